package io.jpair.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.reactor.ConnectionDone;
import io.jpair.stream.ConnectionAborted;
import io.jpair.stream.ConnectionLost;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Two jpair TCP stacks on a perfect in-memory link: handshake, data, close, abort. */
class TcpConnectionTest {
    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void activeOpenReachesEstablishedOnBothSidesAndCallsConnectionMade() {
        TcpPair pair = new TcpPair(1);
        pair.listenRecording(80);
        RecordingProtocol client = new RecordingProtocol();
        CompletableFuture<RecordingProtocol> future = pair.connect("10.0.0.2", 80, client);
        pair.settle();
        assertThat(future).isCompletedWithValue(client);
        assertThat(client.made).isEqualTo(1);
        assertThat(client.connection().state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(pair.accepted).hasSize(1);
        assertThat(pair.accepted.get(0).connection().state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(pair.server.listener(80).accepted()).isEqualTo(1);
        assertThat(pair.server.listener(80).halfOpen()).isZero();
    }

    @Test
    void handshakeNegotiatesMssWindowScaleSackAndTimestamps() {
        TcpPair pair = new TcpPair(1);
        pair.listenRecording(80);
        RecordingProtocol client = new RecordingProtocol();
        pair.connect("10.0.0.2", 80, client);
        pair.settle();
        TcpConnection c = client.connection();
        assertThat(c.sendMss()).isEqualTo(1460);
        assertThat(c.timestampsEnabled()).isTrue();
        assertThat(c.sackEnabled()).isTrue();
        int shift = TcpOptions.defaults().windowScale();
        assertThat(c.windowShifts()).isEqualTo(shift * 16 + shift);
        assertThat(c.sendWindow()).isGreaterThan(65535);
    }

    @Test
    void ipv6HandshakeUsesTheIpv6Mss() {
        TcpPair pair = new TcpPair(1);
        pair.listenRecording(80);
        RecordingProtocol client = new RecordingProtocol();
        CompletableFuture<RecordingProtocol> future = pair.connect("fd00::2", 80, client);
        pair.settle();
        assertThat(future).isCompleted();
        assertThat(client.connection().sendMss()).isEqualTo(1440);
        assertThat(client.connection().getPeer().getAddress().getHostAddress()).isEqualTo("fd00:0:0:0:0:0:0:2");
    }

    @Test
    void dataFlowsBothWaysInOrder() {
        TcpPair pair = new TcpPair(1);
        pair.listen(7, peer -> new RecordingProtocol().echoing());
        RecordingProtocol client = new RecordingProtocol();
        pair.connect("10.0.0.2", 7, client);
        pair.settle();
        byte[] data = randomBytes(1 << 20, 7);
        client.transport().write(data);
        pair.run(Duration.ofSeconds(5));
        assertThat(pair.accepted.get(0).bytes()).isEqualTo(data);
        assertThat(client.bytes()).isEqualTo(data);
        assertThat(client.transport().bufferedBytes()).isZero();
        assertThat(pair.client.retransmissions()).isZero();
    }

    @Test
    void closeFromClientEndsBothSidesWithConnectionDoneAndTimeWaitOnTheClient() {
        TcpPair pair = new TcpPair(1);
        pair.listenRecording(80);
        RecordingProtocol client = new RecordingProtocol();
        pair.connect("10.0.0.2", 80, client);
        pair.settle();
        client.transport().write(ascii("bye"));
        client.transport().loseConnection();
        pair.settle();
        RecordingProtocol server = pair.accepted.get(0);
        assertThat(server.bytes()).isEqualTo(ascii("bye"));
        assertThat(server.readClosed).isEqualTo(1);
        assertThat(server.lost).singleElement().isInstanceOf(ConnectionDone.class);
        assertThat(client.lost).singleElement().isInstanceOf(ConnectionDone.class);
        assertThat(client.connection().state()).isEqualTo(TcpState.CLOSED);
        assertThat(server.connection().state()).isEqualTo(TcpState.CLOSED);
        assertThat(pair.server.connectionCount()).isZero();
        assertThat(pair.client.connectionCount()).isZero();
        assertThat(pair.client.timeWaitCount()).isEqualTo(1);
        assertThat(pair.server.timeWaitCount()).isZero();
    }

    @Test
    void timeWaitExpiresAfterTwoMsl() {
        TcpPair pair = new TcpPair(1);
        pair.listenRecording(80);
        RecordingProtocol client = new RecordingProtocol();
        pair.connect("10.0.0.2", 80, client);
        pair.settle();
        client.transport().loseConnection();
        pair.settle();
        assertThat(pair.client.timeWaitCount()).isEqualTo(1);
        pair.run(Duration.ofSeconds(58));
        assertThat(pair.client.timeWaitCount()).isEqualTo(1);
        pair.run(Duration.ofSeconds(2));
        assertThat(pair.client.timeWaitCount()).isZero();
    }

    @Test
    void closeFromServerPutsTheServerInTimeWait() {
        TcpPair pair = new TcpPair(1);
        pair.listen(80, peer -> new RecordingProtocol() {
            @Override
            protected void connectionMade() {
                transport().write(ascii("hello"));
                transport().loseConnection();
            }
        });
        RecordingProtocol client = new RecordingProtocol();
        pair.connect("10.0.0.2", 80, client);
        pair.settle();
        assertThat(client.bytes()).isEqualTo(ascii("hello"));
        assertThat(client.readClosed).isEqualTo(1);
        assertThat(client.lost).singleElement().isInstanceOf(ConnectionDone.class);
        assertThat(pair.server.timeWaitCount()).isEqualTo(1);
        assertThat(pair.client.timeWaitCount()).isZero();
    }

    @Test
    void halfCloseKeepsReceiving() {
        TcpPair pair = new TcpPair(1);
        pair.listen(80, peer -> new RecordingProtocol().halfOpen());
        RecordingProtocol client = new RecordingProtocol();
        pair.connect("10.0.0.2", 80, client);
        pair.settle();
        client.transport().loseWriteConnection();
        pair.settle();
        RecordingProtocol server = pair.accepted.get(0);
        assertThat(server.readClosed).isEqualTo(1);
        assertThat(server.connection().state()).isEqualTo(TcpState.CLOSE_WAIT);
        assertThat(client.connection().state()).isEqualTo(TcpState.FIN_WAIT_2);
        server.transport().write(ascii("late reply"));
        server.transport().loseConnection();
        pair.settle();
        assertThat(client.bytes()).isEqualTo(ascii("late reply"));
        assertThat(server.lost).singleElement().isInstanceOf(ConnectionDone.class);
        assertThat(pair.client.timeWaitCount()).isEqualTo(1);
    }

    @Test
    void simultaneousCloseGoesThroughClosingToTimeWaitOnBothSides() {
        TcpPair pair = new TcpPair(1);
        pair.listenRecording(80);
        RecordingProtocol client = new RecordingProtocol().halfOpen();
        pair.connect("10.0.0.2", 80, client);
        pair.settle();
        RecordingProtocol server = pair.accepted.get(0);
        client.transport().loseConnection();
        server.transport().loseConnection();
        assertThat(client.connection().state()).isEqualTo(TcpState.FIN_WAIT_1);
        assertThat(server.connection().state()).isEqualTo(TcpState.FIN_WAIT_1);
        java.util.Set<TcpState> seen = java.util.EnumSet.noneOf(TcpState.class);
        pair.link.dropIf(p -> seen.add(client.connection().state()) && false);
        pair.settle();
        assertThat(seen).contains(TcpState.CLOSING);
        assertThat(pair.client.timeWaitCount()).isEqualTo(1);
        assertThat(pair.server.timeWaitCount()).isEqualTo(1);
        assertThat(client.lost).singleElement().isInstanceOf(ConnectionDone.class);
        assertThat(server.lost).singleElement().isInstanceOf(ConnectionDone.class);
    }

    @Test
    void abortSendsRstAndThePeerSeesConnectionLost() {
        TcpPair pair = new TcpPair(1);
        pair.listenRecording(80);
        RecordingProtocol client = new RecordingProtocol();
        pair.connect("10.0.0.2", 80, client);
        pair.settle();
        client.transport().write(ascii("never mind"));
        client.transport().abortConnection();
        pair.settle();
        assertThat(client.lost).singleElement().isInstanceOf(ConnectionAborted.class);
        RecordingProtocol server = pair.accepted.get(0);
        assertThat(server.lost).singleElement().isInstanceOf(ConnectionLost.class);
        assertThat(server.lost.get(0)).isNotInstanceOf(ConnectionAborted.class);
        assertThat(pair.server.connectionCount()).isZero();
        assertThat(pair.client.connectionCount()).isZero();
    }

    @Test
    void connectToAClosedPortFailsWithConnectionRefused() {
        TcpPair pair = new TcpPair(1);
        CompletableFuture<RecordingProtocol> future = pair.connect("10.0.0.2", 81, new RecordingProtocol());
        pair.settle();
        assertThat(future).isCompletedExceptionally();
        assertThat(future.exceptionNow()).isInstanceOf(java.net.ConnectException.class)
            .hasMessageContaining("refused");
        assertThat(pair.server.resetsSent()).isEqualTo(1);
        assertThat(pair.server.drops().get(TcpDrop.NO_LISTENER)).isEqualTo(1);
    }

    @Test
    void connectWithNoAnswerTimesOutAfterTheSynRetries() {
        TcpPair pair = new TcpPair(1, TcpOptions.defaults().withRetries(2, 15), TcpOptions.defaults());
        pair.link.dropIf(packet -> true);
        CompletableFuture<RecordingProtocol> future = pair.connect("10.0.0.2", 80, new RecordingProtocol());
        pair.run(Duration.ofSeconds(6));   // 1 s + 2 s, then 4 s: not yet
        assertThat(future).isNotDone();
        assertThat(pair.link.sent()).isEqualTo(3);
        pair.run(Duration.ofSeconds(2));
        assertThat(future).isCompletedExceptionally();
        assertThat(future.exceptionNow()).isInstanceOf(java.net.SocketTimeoutException.class);
        assertThat(pair.client.connectionCount()).isZero();
    }

    @Test
    void factoryReturningNullResetsTheConnection() {
        TcpPair pair = new TcpPair(1);
        pair.listen(80, peer -> null);
        CompletableFuture<RecordingProtocol> future = pair.connect("10.0.0.2", 80, new RecordingProtocol());
        pair.settle();
        assertThat(pair.server.connectionCount()).isZero();
        RecordingProtocol client = future.join();
        assertThat(client.lost).singleElement().isInstanceOf(ConnectionLost.class);
    }

    @Test
    void retransmittedFinInTimeWaitIsAcknowledgedAgain() {
        TcpPair pair = new TcpPair(1);
        pair.listenRecording(80);
        RecordingProtocol client = new RecordingProtocol();
        pair.connect("10.0.0.2", 80, client);
        pair.settle();
        client.transport().loseConnection();
        // the client's last ACK (of the server's FIN) is lost once: the server sends its FIN again
        boolean[] dropped = {false};
        pair.link.dropIf(p -> {
            if (!dropped[0] && TcpRecoveryTest.fromClient(p) && pair.server.connectionCount() == 1
                    && pair.accepted.get(0).connection().state() == TcpState.LAST_ACK) {
                dropped[0] = true;
                return true;
            }
            return false;
        });
        pair.run(Duration.ofSeconds(5));
        assertThat(dropped[0]).isTrue();
        assertThat(pair.server.connectionCount()).isZero();
        assertThat(pair.accepted.get(0).lost).singleElement().isInstanceOf(ConnectionDone.class);
        assertThat(pair.client.timeWaitCount()).isEqualTo(1);
    }

    @Test
    void fullBacklogAnswersWithSynCookiesAndTheCookieAckEstablishes() {
        TcpPair pair = new TcpPair(1, TcpOptions.defaults(), TcpOptions.defaults().withBacklog(1, true));
        pair.listenRecording(80);
        // the first SYN-ACK is lost, so its connection stays half-open and fills the backlog
        int[] synAcks = {0};
        pair.link.dropIf(p -> !TcpRecoveryTest.fromClient(p) && synAcks[0]++ == 0);
        RecordingProtocol first = new RecordingProtocol();
        RecordingProtocol second = new RecordingProtocol();
        pair.connect("10.0.0.2", 80, first);
        pair.link.runFor(Duration.ofMillis(100));
        assertThat(pair.server.listener(80).halfOpen()).isEqualTo(1);
        CompletableFuture<RecordingProtocol> cookie = pair.connect("10.0.0.2", 80, second);
        pair.link.runFor(Duration.ofMillis(100));
        assertThat(pair.server.synCookiesSent()).isEqualTo(1);
        assertThat(pair.server.synCookiesAccepted()).isEqualTo(1);
        assertThat(cookie).isCompletedWithValue(second);
        second.transport().write(ascii("via cookie"));
        pair.settle();
        assertThat(pair.accepted).anyMatch(p -> new String(p.bytes(), StandardCharsets.US_ASCII).equals("via cookie"));
        assertThat(second.connection().timestampsEnabled()).as("a cookie keeps no options but the MSS").isFalse();
    }

    @Test
    void writesAfterLoseConnectionAreDropped() {
        TcpPair pair = new TcpPair(1);
        pair.listenRecording(80);
        RecordingProtocol client = new RecordingProtocol();
        pair.connect("10.0.0.2", 80, client);
        pair.settle();
        client.transport().loseConnection();
        assertThat(client.transport().write(ByteBuffer.wrap(ascii("late")))).isZero();
    }
}

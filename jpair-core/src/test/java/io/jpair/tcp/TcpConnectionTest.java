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
        assertThat(client.connection().state()).isEqualTo(TcpState.TIME_WAIT);
        assertThat(server.connection().state()).isEqualTo(TcpState.CLOSED);
        assertThat(pair.server.connectionCount()).isZero();
        assertThat(pair.client.timeWaitCount()).isEqualTo(1);
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
        assertThat(client.connection().state()).isEqualTo(TcpState.TIME_WAIT);
        pair.run(Duration.ofSeconds(58));
        assertThat(client.connection().state()).isEqualTo(TcpState.TIME_WAIT);
        pair.run(Duration.ofSeconds(2));
        assertThat(client.connection().state()).isEqualTo(TcpState.CLOSED);
        assertThat(pair.client.connectionCount()).isZero();
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
        assertThat(pair.accepted.get(0).connection().state()).isEqualTo(TcpState.TIME_WAIT);
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
        assertThat(client.connection().state()).isEqualTo(TcpState.TIME_WAIT);
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
        pair.link.pump();
        assertThat(client.connection().state()).isIn(TcpState.CLOSING, TcpState.TIME_WAIT);
        pair.settle();
        assertThat(client.connection().state()).isEqualTo(TcpState.TIME_WAIT);
        assertThat(server.connection().state()).isEqualTo(TcpState.TIME_WAIT);
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

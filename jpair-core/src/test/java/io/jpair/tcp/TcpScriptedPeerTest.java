package io.jpair.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.host.IpHost;
import io.jpair.stream.ConnectionLost;
import io.jpair.testing.MemoryIOSystem;
import io.jpair.testing.MemoryReactor;
import io.jpair.testing.MemoryTunnel;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One jpair connection against a scripted peer that injects exact segments (packetdrill's model):
 * RFC 5961's challenge ACKs, the acceptability checks, PAWS, delayed ACKs and window updates.
 */
class TcpScriptedPeerTest {
    private static final byte[] NONE = new byte[0];
    private static final String PEER = "10.77.0.1";
    private static final String US = "10.77.0.2";
    private static final int PEER_ISN = 1000;

    private final MemoryReactor reactor = new MemoryReactor();
    private final MemoryIOSystem system = new MemoryIOSystem();
    private final RecordingProtocol server = new RecordingProtocol();
    private IpHost host;
    private MemoryTunnel tunnel;
    private int iss;
    private boolean timestamps;

    private static byte[] timestamp(int value, int echo) {
        ByteBuffer b = ByteBuffer.allocate(12);
        TcpHeader.writeTimestamp(b, 0, value, echo);
        return b.array();
    }

    /** Opens a connection from the peer's port 40000 to our port 7; returns when ESTABLISHED. */
    private void establish(boolean withTimestamps, TcpOptions options) throws Exception {
        timestamps = withTimestamps;
        host = IpHost.onTun().address(US + "/24").tcpOptions(options).listenTcp(7, peer -> server);
        tunnel = system.getTunnel(host.listen("jt0", reactor, system));
        send(PEER_ISN, 0, TcpHeader.SYN, 1, NONE);
        Segments.Parsed synAck = next();
        iss = synAck.tcp.sequence();
        send(PEER_ISN + 1, iss + 1, TcpHeader.ACK, 2, NONE);
        assertThat(server.made).isEqualTo(1);
        assertThat(tunnel.writeBuffer()).isEmpty();
    }

    private void establish() throws Exception {
        establish(false, TcpOptions.defaults());
    }

    private void send(int seq, int ack, int flags, int tsValue, byte[] payload) {
        tunnel.readBuffer().add(Segments.ipv4(PEER, 40000, US, 7, seq, ack, flags, 65535,
            timestamps ? timestamp(tsValue, 0) : NONE, payload));
        reactor.fireReadable();
    }

    private Segments.Parsed next() {
        assertThat(tunnel.writeBuffer()).as(host.counters().toString()).isNotEmpty();
        Segments.Parsed p = Segments.parse(tunnel.writeBuffer().remove(0));
        assertThat(p.checksumValid).isTrue();
        return p;
    }

    private void assertChallengeAck(int rcvNxt) {
        Segments.Parsed ack = next();
        assertThat(ack.is(TcpHeader.ACK)).isTrue();
        assertThat(ack.tcp.sequence()).isEqualTo(iss + 1);
        assertThat(ack.tcp.acknowledgment()).isEqualTo(rcvNxt);
        assertThat(tunnel.writeBuffer()).isEmpty();
    }

    @Test
    void inWindowRstThatIsNotExactGetsAChallengeAckAndTheConnectionStays() throws Exception {
        establish();
        send(PEER_ISN + 1 + 100, 0, TcpHeader.RST, 3, NONE);
        assertChallengeAck(PEER_ISN + 1);
        assertThat(server.connection().state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(host.tcp().drops().get(TcpDrop.CHALLENGED)).isEqualTo(1);
        assertThat(host.tcp().challengeAcks()).isEqualTo(1);
    }

    @Test
    void rstAtExactlyRcvNxtResetsTheConnection() throws Exception {
        establish();
        send(PEER_ISN + 1, 0, TcpHeader.RST, 3, NONE);
        assertThat(tunnel.writeBuffer()).isEmpty();
        assertThat(server.lost).singleElement().isInstanceOf(ConnectionLost.class);
        assertThat(server.lost.get(0)).hasMessageContaining("reset");
        assertThat(host.tcp().connectionCount()).isZero();
    }

    @Test
    void rstOutsideTheWindowIsDroppedSilently() throws Exception {
        establish();
        send(PEER_ISN + 1 + (64 << 20), 0, TcpHeader.RST, 3, NONE);
        assertThat(tunnel.writeBuffer()).isEmpty();
        assertThat(server.connection().state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(host.tcp().drops().get(TcpDrop.OUT_OF_WINDOW)).isEqualTo(1);
    }

    @Test
    void synInAnEstablishedConnectionGetsAChallengeAck() throws Exception {
        establish();
        send(PEER_ISN + 1, 0, TcpHeader.SYN, 3, NONE);
        assertChallengeAck(PEER_ISN + 1);
        assertThat(server.connection().state()).isEqualTo(TcpState.ESTABLISHED);
    }

    @Test
    void ackOfDataNeverSentIsDroppedWithAnAck() throws Exception {
        establish();
        send(PEER_ISN + 1, iss + 1 + 5000, TcpHeader.ACK | TcpHeader.PSH, 3, "data".getBytes());
        assertChallengeAck(PEER_ISN + 1);
        assertThat(server.bytes()).isEmpty();
        assertThat(host.tcp().drops().get(TcpDrop.UNACCEPTABLE_ACK)).isEqualTo(1);
    }

    @Test
    void segmentBeyondTheWindowIsAnsweredWithAnAck() throws Exception {
        establish();
        send(PEER_ISN + 1 + (64 << 20), iss + 1, TcpHeader.ACK, 3, "far".getBytes());
        assertChallengeAck(PEER_ISN + 1);
        assertThat(server.bytes()).isEmpty();
    }

    @Test
    void outOfOrderSegmentGetsAnImmediateDuplicateAckAndTheHoleFillDeliversBoth() throws Exception {
        establish();
        send(PEER_ISN + 1 + 5, iss + 1, TcpHeader.ACK, 3, "world".getBytes());
        assertChallengeAck(PEER_ISN + 1);
        assertThat(server.bytes()).isEmpty();
        send(PEER_ISN + 1, iss + 1, TcpHeader.ACK, 4, "hello".getBytes());
        assertThat(server.bytes()).isEqualTo("helloworld".getBytes());
        Segments.Parsed ack = next();
        assertThat(ack.tcp.acknowledgment()).as("a hole fill is acknowledged at once").isEqualTo(PEER_ISN + 11);
    }

    @Test
    void singleSmallSegmentIsAcknowledgedAfterTheDelayedAckTimer() throws Exception {
        establish();
        send(PEER_ISN + 1, iss + 1, TcpHeader.ACK | TcpHeader.PSH, 3, "ping".getBytes());
        assertThat(tunnel.writeBuffer()).isEmpty();
        reactor.advance(Duration.ofMillis(39));
        assertThat(tunnel.writeBuffer()).isEmpty();
        reactor.advance(Duration.ofMillis(1));
        assertThat(next().tcp.acknowledgment()).isEqualTo(PEER_ISN + 5);
    }

    @Test
    void twoFullSegmentsInOneBatchAreAcknowledgedAtOnce() throws Exception {
        establish();
        byte[] full = new byte[1460];
        tunnel.readBuffer().add(Segments.ipv4(PEER, 40000, US, 7, PEER_ISN + 1, iss + 1, TcpHeader.ACK, 65535, NONE,
            full));
        tunnel.readBuffer().add(Segments.ipv4(PEER, 40000, US, 7, PEER_ISN + 1461, iss + 1, TcpHeader.ACK, 65535,
            NONE, full));
        reactor.fireReadable();
        Segments.Parsed ack = next();
        assertThat(ack.tcp.acknowledgment()).isEqualTo(PEER_ISN + 1 + 2920);
        assertThat(tunnel.writeBuffer()).as("one ACK for the batch").isEmpty();
    }

    @Test
    void pawsDropsASegmentWithAnOlderTimestampAndAcks() throws Exception {
        establish(true, TcpOptions.defaults());
        send(PEER_ISN + 1, iss + 1, TcpHeader.ACK | TcpHeader.PSH, 100, "new".getBytes());
        reactor.advance(Duration.ofMillis(40));
        next();
        send(PEER_ISN + 4, iss + 1, TcpHeader.ACK | TcpHeader.PSH, 50, "old".getBytes());
        Segments.Parsed ack = next();
        assertThat(ack.tcp.acknowledgment()).isEqualTo(PEER_ISN + 4);
        assertThat(ack.tcp.timestampEcho()).as("TS.Recent is the newer value").isEqualTo(100);
        assertThat(server.bytes()).isEqualTo("new".getBytes());
        assertThat(host.tcp().drops().get(TcpDrop.PAWS)).isEqualTo(1);
    }

    @Test
    void resumingAPausedReaderAnnouncesTheReopenedWindowUnasked() throws Exception {
        establish(false, TcpOptions.defaults().withReceiveBuffer(16 * 1024));
        server.transport().pauseProducing();
        byte[] chunk = new byte[1024];
        for (int i = 0; i < 16; i++) {
            send(PEER_ISN + 1 + i * 1024, iss + 1, TcpHeader.ACK, 3, chunk);
        }
        reactor.advance(Duration.ofMillis(40));
        tunnel.writeBuffer().clear();
        assertThat(server.bytes()).isEmpty();
        server.transport().resumeProducing();
        assertThat(server.bytes()).hasSize(16 * 1024);
        Segments.Parsed update = next();
        assertThat(update.tcp.acknowledgment()).isEqualTo(PEER_ISN + 1 + 16 * 1024);
        assertThat(update.tcp.window() << TcpOptions.defaults().withReceiveBuffer(16 * 1024).windowScale())
            .isGreaterThanOrEqualTo(8 * 1024);
    }

    @Test
    void newerSynForATupleInTimeWaitOpensANewConnection() throws Exception {
        establish();
        server.transport().loseConnection();
        Segments.Parsed fin = next();
        assertThat(fin.tcp.flags() & TcpHeader.FIN).isNotZero();
        send(PEER_ISN + 1, iss + 2, TcpHeader.ACK | TcpHeader.FIN, 3, NONE);
        assertThat(next().tcp.acknowledgment()).isEqualTo(PEER_ISN + 2);
        assertThat(host.tcp().timeWaitCount()).isEqualTo(1);
        // a retransmitted FIN is acknowledged from the TIME-WAIT table
        send(PEER_ISN + 1, iss + 2, TcpHeader.ACK | TcpHeader.FIN, 4, NONE);
        Segments.Parsed again = next();
        assertThat(again.is(TcpHeader.ACK)).isTrue();
        assertThat(again.tcp.sequence()).isEqualTo(iss + 2);
        assertThat(again.tcp.acknowledgment()).isEqualTo(PEER_ISN + 2);
        // RFC 6191: a SYN above RCV.NXT starts a new incarnation
        send(PEER_ISN + 100_000, 0, TcpHeader.SYN, 5, NONE);
        Segments.Parsed synAck = next();
        assertThat(synAck.is(TcpHeader.SYN | TcpHeader.ACK)).isTrue();
        assertThat(synAck.tcp.acknowledgment()).isEqualTo(PEER_ISN + 100_001);
        assertThat(host.tcp().timeWaitCount()).isZero();
    }

    @Test
    void aLongReadBatchIsAcknowledgedEvery64KibNotOnlyAtItsEnd() throws Exception {
        host = IpHost.onTun().address(US + "/24").listenTcp(7, peer -> server);
        tunnel = system.getTunnel(host.listen("jt0", reactor, system));
        byte[] windowScale = {1, 3, 3, 7};  // NOP, window scale 7: our window may exceed 64 KiB
        tunnel.readBuffer().add(Segments.ipv4(PEER, 40000, US, 7, PEER_ISN, 0, TcpHeader.SYN, 65535, windowScale,
            NONE));
        reactor.fireReadable();
        iss = next().tcp.sequence();
        send(PEER_ISN + 1, iss + 1, TcpHeader.ACK, 2, NONE);
        int segments = 100;
        int size = 1400;
        for (int i = 0; i < segments; i++) {  // one read batch of 140,000 bytes
            tunnel.readBuffer().add(Segments.ipv4(PEER, 40000, US, 7, PEER_ISN + 1 + i * size, iss + 1,
                TcpHeader.ACK, 65535, NONE, new byte[size]));
        }
        reactor.fireReadable();
        List<Integer> acks = new ArrayList<>();
        while (!tunnel.writeBuffer().isEmpty()) {
            acks.add(next().tcp.acknowledgment() - PEER_ISN - 1);
        }
        int first = (TcpConnection.BATCH_ACK_BYTES + size - 1) / size * size;  // 47 segments
        assertThat(acks).containsExactly(first, 2 * first, segments * size);
    }
}

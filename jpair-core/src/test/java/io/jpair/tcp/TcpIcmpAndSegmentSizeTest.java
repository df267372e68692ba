package io.jpair.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.host.IpHost;
import io.jpair.testing.MemoryIOSystem;
import io.jpair.testing.MemoryReactor;
import io.jpair.testing.MemoryTunnel;
import io.jpair.testing.Packets;
import io.jpair.testing.StackPackets;
import io.jpair.wire.InternetChecksum;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * ICMP errors reaching TCP over the wire (RFC 5927, RFC 1191, RFC 8201), the data a segment
 * carries next to its options (RFC 6691) and the RTO after a handshake timeout (RFC 6298 5.7),
 * against a scripted peer.
 */
class TcpIcmpAndSegmentSizeTest {
    private static final byte[] NONE = new byte[0];
    private static final String PEER = "10.77.0.1";
    private static final String US = "10.77.0.2";
    private static final String PEER6 = "fd00::1";
    private static final String US6 = "fd00::2";
    private static final String ROUTER = "10.77.0.254";
    private static final int PEER_ISN = 1000;

    private final MemoryReactor reactor = new MemoryReactor();
    private final MemoryIOSystem system = new MemoryIOSystem();
    private final RecordingProtocol server = new RecordingProtocol();
    private IpHost host;
    private MemoryTunnel tunnel;
    private boolean v6;
    private int iss;

    private MemoryTunnel start(IpHost built) throws Exception {
        host = built;
        tunnel = system.getTunnel(host.listen("jt0", reactor, system));
        return tunnel;
    }

    private Segments.Parsed next() {
        assertThat(tunnel.writeBuffer()).as(host.counters().toString()).isNotEmpty();
        Segments.Parsed p = Segments.parse(tunnel.writeBuffer().remove(0));
        assertThat(p.checksumValid).isTrue();
        return p;
    }

    private void send(int seq, int ack, int flags, byte[] options, byte[] payload) {
        tunnel.readBuffer().add(v6
            ? Segments.ipv6(PEER6, 40000, US6, 7, seq, ack, flags, 65535, options, payload)
            : Segments.ipv4(PEER, 40000, US, 7, seq, ack, flags, 65535, options, payload));
        reactor.fireReadable();
    }

    private static byte[] icmpv4(int type, int code, int word, byte[] quote) {
        byte[] m = new byte[8 + quote.length];
        ByteBuffer b = ByteBuffer.wrap(m).put(0, (byte) type).put(1, (byte) code).putInt(4, word);
        System.arraycopy(quote, 0, m, 8, quote.length);
        b.putShort(2, (short) InternetChecksum.checksum(b, 0, m.length, 0));
        return Packets.ipv4(ROUTER, US, Packets.PROTO_ICMP, m);
    }

    private static byte[] icmpv6(String from, int type, int code, int word, byte[] quote) {
        byte[] m = new byte[8 + quote.length];
        ByteBuffer.wrap(m).put(0, (byte) type).put(1, (byte) code).putInt(4, word);
        System.arraycopy(quote, 0, m, 8, quote.length);
        return StackPackets.ipv6Icmp(from, US6, 64, m);
    }

    private static byte[] options(int mss, boolean timestamps, boolean sackPermitted) {
        ByteBuffer b = ByteBuffer.allocate(40);
        int o = TcpHeader.writeMss(b, 0, mss);
        if (sackPermitted) {
            o += TcpHeader.writeSackPermitted(b, o);
        }
        if (timestamps) {
            o += TcpHeader.writeTimestamp(b, o, 1, 0);
        }
        return Arrays.copyOf(b.array(), o);
    }

    private static byte[] timestamp(int value, int echo) {
        ByteBuffer b = ByteBuffer.allocate(12);
        TcpHeader.writeTimestamp(b, 0, value, echo);
        return b.array();
    }

    /** The peer opens a connection to our port 7 with the given SYN options; returns when ESTABLISHED. */
    private void establish(boolean ipv6, byte[] synOptions, boolean timestamps) throws Exception {
        v6 = ipv6;
        start(IpHost.onTun().address(US + "/24").address(US6 + "/64").listenTcp(7, peer -> server));
        send(PEER_ISN, 0, TcpHeader.SYN, synOptions, NONE);
        iss = next().tcp.sequence();
        send(PEER_ISN + 1, iss + 1, TcpHeader.ACK, timestamps ? timestamp(2, 1) : NONE, NONE);
        assertThat(server.made).isEqualTo(1);
        assertThat(tunnel.writeBuffer()).isEmpty();
    }

    private List<Segments.Parsed> drain() {
        List<Segments.Parsed> out = new ArrayList<>();
        while (!tunnel.writeBuffer().isEmpty()) {
            out.add(next());
        }
        return out;
    }

    /** The IP packet's length. */
    private static int length(Segments.Parsed s) {
        return s.ip.payloadOffset() + s.ip.payloadLength();
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    // ---------------------------------------------------------------- unreachables (RFC 5927, 1122)

    @Test
    void icmpPortUnreachableOnTheWireFailsAConnectQuotingItsSyn() throws Exception {
        start(IpHost.onTun().address(US + "/24"));
        CompletableFuture<RecordingProtocol> future = host.connectTcp(
            new InetSocketAddress(InetAddress.ofLiteral(PEER), 81), peer -> new RecordingProtocol());
        byte[] syn = tunnel.writeBuffer().remove(0);
        tunnel.readBuffer().add(icmpv4(3, 3, 0, Arrays.copyOf(syn, 28)));
        reactor.fireReadable();
        assertThat(future.exceptionNow()).isInstanceOf(ConnectException.class).hasMessageContaining("port unreachable");
        assertThat(host.tcp().connectionCount()).isZero();
    }

    @Test
    void icmpv6AdministrativelyProhibitedFailsAConnect() throws Exception {
        start(IpHost.onTun().address(US6 + "/64"));
        CompletableFuture<RecordingProtocol> future = host.connectTcp(
            new InetSocketAddress(InetAddress.ofLiteral(PEER6), 81), peer -> new RecordingProtocol());
        byte[] syn = tunnel.writeBuffer().remove(0);
        tunnel.readBuffer().add(icmpv6("fd00::fe", 1, 1, 0, Arrays.copyOf(syn, 48)));
        reactor.fireReadable();
        assertThat(future.exceptionNow()).isInstanceOf(ConnectException.class)
            .hasMessageContaining("administratively prohibited");
    }

    @Test
    void unreachableQuotingASequenceOutsideTheSynIsIgnored() throws Exception {
        start(IpHost.onTun().address(US + "/24"));
        CompletableFuture<RecordingProtocol> future = host.connectTcp(
            new InetSocketAddress(InetAddress.ofLiteral(PEER), 81), peer -> new RecordingProtocol());
        byte[] quote = Arrays.copyOf(tunnel.writeBuffer().remove(0), 28);
        ByteBuffer.wrap(quote).putInt(24, ByteBuffer.wrap(quote).getInt(24) + 100_000);
        tunnel.readBuffer().add(icmpv4(3, 3, 0, quote));
        reactor.fireReadable();
        assertThat(future).isNotDone();
        assertThat(host.tcp().connectionCount()).isEqualTo(1);
    }

    @Test
    void unreachableAboutAnEstablishedConnectionIsASoftError() throws Exception {
        establish(false, Segments.mss(1460), false);
        server.transport().write(ByteBuffer.wrap(bytes(100)));
        byte[] data = tunnel.writeBuffer().remove(0);
        tunnel.readBuffer().add(icmpv4(3, 1, 0, Arrays.copyOf(data, 28)));
        reactor.fireReadable();
        assertThat(server.lost).isEmpty();
        assertThat(server.connection().state()).isEqualTo(TcpState.ESTABLISHED);
    }

    // ---------------------------------------------------------------- path MTU (RFC 1191, 8201)

    @Test
    void fragmentationNeededLowersTheMssAndResendsWhatIsInFlightSmaller() throws Exception {
        establish(false, Segments.mss(1460), false);
        server.transport().write(ByteBuffer.wrap(bytes(2920)));
        assertThat(tunnel.writeBuffer()).hasSize(2);
        byte[] first = Arrays.copyOf(tunnel.writeBuffer().get(0), 28);
        tunnel.writeBuffer().clear();
        tunnel.readBuffer().add(icmpv4(3, 4, 1000, first));
        reactor.fireReadable();
        assertThat(server.connection().sendMss()).isEqualTo(1000 - 40);
        assertThat(host.tcp().pathMtuUpdates()).isEqualTo(1);
        List<Segments.Parsed> resent = drain();
        assertThat(resent).isNotEmpty();
        assertThat(resent.get(0).tcp.sequence()).isEqualTo(iss + 1);
        assertThat(resent).allSatisfy(s -> assertThat(length(s)).isLessThanOrEqualTo(1000));
        // all of it, the short tail too: Nagle holds back new data, not a resend
        assertThat(resent.stream().mapToInt(s -> s.payload.length).sum()).isEqualTo(2920);
    }

    @Test
    void packetTooBigLowersAnIpv6ConnectionsMss() throws Exception {
        establish(true, Segments.mss(1440), false);
        server.transport().write(ByteBuffer.wrap(bytes(1440)));
        byte[] data = tunnel.writeBuffer().remove(0);
        tunnel.readBuffer().add(icmpv6("fd00::fe", 2, 0, 1280, Arrays.copyOf(data, 1232)));
        reactor.fireReadable();
        assertThat(server.connection().sendMss()).isEqualTo(1280 - 60);
        List<Segments.Parsed> resent = drain();
        assertThat(resent).isNotEmpty().allSatisfy(s -> assertThat(length(s)).isLessThanOrEqualTo(1280));
    }

    @Test
    void tooBigQuotingASequenceNotInFlightIsIgnored() throws Exception {
        establish(false, Segments.mss(1460), false);
        server.transport().write(ByteBuffer.wrap(bytes(100)));
        byte[] quote = Arrays.copyOf(tunnel.writeBuffer().remove(0), 28);
        ByteBuffer.wrap(quote).putInt(24, iss + 1 + 5000);
        tunnel.readBuffer().add(icmpv4(3, 4, 1000, quote));
        reactor.fireReadable();
        assertThat(server.connection().sendMss()).isEqualTo(1460);
        assertThat(tunnel.writeBuffer()).isEmpty();
    }

    // ---------------------------------------------------------------- RFC 6691

    private void assertFullSegmentsFitTheMtu(boolean ipv6) throws Exception {
        int mss = ipv6 ? 1440 : 1460;
        establish(ipv6, options(mss, true, true), true);
        // a hole: the peer's bytes 100..200 arrive before 0..100, so our segments carry a SACK block
        send(PEER_ISN + 1 + 100, iss + 1, TcpHeader.ACK, timestamp(3, 1), bytes(100));
        Segments.Parsed dupAck = next();
        assertThat(dupAck.tcp.sackCount()).isEqualTo(1);
        server.transport().write(ByteBuffer.wrap(bytes(20_000)));
        List<Segments.Parsed> sent = drain();
        assertThat(sent).hasSizeGreaterThan(2);
        assertThat(sent).allSatisfy(s -> {
            assertThat(length(s)).isLessThanOrEqualTo(1500);
            assertThat(s.tcp.sackCount()).isEqualTo(1);
            assertThat(s.tcp.hasTimestamp()).isTrue();
        });
        // 12 bytes of timestamps and 12 of one SACK block come out of the MSS, not on top of it
        assertThat(sent.get(0).payload.length).isEqualTo(mss - 12 - 12);
        assertThat(length(sent.get(0))).isEqualTo(1500);
    }

    @Test
    void fullIpv4SegmentsWithTimestampsAndSackFitA1500ByteMtu() throws Exception {
        assertFullSegmentsFitTheMtu(false);
    }

    @Test
    void fullIpv6SegmentsWithTimestampsAndSackFitA1500ByteMtu() throws Exception {
        assertFullSegmentsFitTheMtu(true);
    }

    // ---------------------------------------------------------------- RFC 6298 section 5.7

    @Test
    void afterASynTimeoutDataStartsWithAThreeSecondRto() throws Exception {
        start(IpHost.onTun().address(US + "/24"));
        CompletableFuture<RecordingProtocol> future = host.connectTcp(
            new InetSocketAddress(InetAddress.ofLiteral(PEER), 81), peer -> new RecordingProtocol());
        next();
        reactor.advance(Duration.ofSeconds(1));
        Segments.Parsed syn = next();
        assertThat(syn.is(TcpHeader.SYN)).isTrue();
        tunnel.readBuffer().add(Segments.ipv4(PEER, 81, US, syn.tcp.sourcePort(), PEER_ISN, syn.tcp.sequence() + 1,
            TcpHeader.SYN | TcpHeader.ACK, 65535, Segments.mss(1460), NONE));
        reactor.fireReadable();
        RecordingProtocol client = future.resultNow();
        drain();
        client.transport().write(ByteBuffer.wrap(bytes(100)));
        assertThat(drain()).hasSize(1);
        reactor.advance(Duration.ofMillis(2_900));
        assertThat(tunnel.writeBuffer()).as("no retransmission before 3 s").isEmpty();
        reactor.advance(Duration.ofMillis(100));
        Segments.Parsed again = next();
        assertThat(again.payload).hasSize(100);
    }

    @Test
    void withoutAHandshakeTimeoutDataStartsWithTheInitialRto() throws Exception {
        establish(false, Segments.mss(1460), false);
        server.transport().write(ByteBuffer.wrap(bytes(100)));
        assertThat(drain()).hasSize(1);
        reactor.advance(Duration.ofSeconds(1));
        assertThat(next().payload).hasSize(100);
    }
}

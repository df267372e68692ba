package io.jpair.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.host.IpHost;
import io.jpair.testing.MemoryIOSystem;
import io.jpair.testing.MemoryReactor;
import io.jpair.testing.MemoryTunnel;
import io.jpair.tuntap.TuntapPort;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** IpHost's TCP on the in-memory TUN device, against a scripted peer (the "kernel" side). */
class IpHostTcpTest {
    private static final byte[] NONE = new byte[0];
    private static final String PEER = "10.77.0.1";
    private static final String US = "10.77.0.2";

    private final MemoryReactor reactor = new MemoryReactor();
    private final MemoryIOSystem system = new MemoryIOSystem();

    private MemoryTunnel start(IpHost host) throws Exception {
        TuntapPort port = host.listen("jt0", reactor, system);
        return system.getTunnel(port);
    }

    private static Segments.Parsed only(MemoryTunnel tunnel) {
        assertThat(tunnel.writeBuffer()).hasSize(1);
        Segments.Parsed p = Segments.parse(tunnel.writeBuffer().remove(0));
        assertThat(p.checksumValid).isTrue();
        return p;
    }

    @Test
    void synToAListeningPortIsAnsweredWithSynAckCarryingOurOptions() throws Exception {
        IpHost host = IpHost.onTun().address(US + "/24").listenTcp(7, peer -> new RecordingProtocol());
        MemoryTunnel tunnel = start(host);
        tunnel.readBuffer().add(Segments.ipv4(PEER, 40000, US, 7, 1000, 0, TcpHeader.SYN, 65535,
            Segments.mss(1460), NONE));
        reactor.fireReadable();
        Segments.Parsed synAck = only(tunnel);
        assertThat(synAck.is(TcpHeader.SYN | TcpHeader.ACK)).isTrue();
        assertThat(synAck.tcp.acknowledgment()).isEqualTo(1001);
        assertThat(synAck.tcp.sourcePort()).isEqualTo(7);
        assertThat(synAck.tcp.destinationPort()).isEqualTo(40000);
        assertThat(synAck.tcp.mss()).isEqualTo(1460);
        assertThat(synAck.tcp.windowScale()).as("no window scale unless the SYN had one").isEqualTo(-1);
        assertThat(synAck.tcp.hasTimestamp()).isFalse();
    }

    @Test
    void segmentToAClosedPortGetsRstAckForTheWholeSegment() throws Exception {
        IpHost host = IpHost.onTun().address(US + "/24");
        MemoryTunnel tunnel = start(host);
        tunnel.readBuffer().add(Segments.ipv4(PEER, 40000, US, 22, 5000, 0, TcpHeader.SYN, 65535, NONE, NONE));
        reactor.fireReadable();
        Segments.Parsed rst = only(tunnel);
        assertThat(rst.is(TcpHeader.RST | TcpHeader.ACK)).isTrue();
        assertThat(rst.tcp.sequence()).isZero();
        assertThat(rst.tcp.acknowledgment()).isEqualTo(5001);
        assertThat(host.counters()).containsEntry("tcp.drop.NO_LISTENER", 1L).containsEntry("tcp.resetsSent", 1L);
    }

    @Test
    void ackToAClosedPortGetsRstWithItsAckAsSequence() throws Exception {
        IpHost host = IpHost.onTun().address(US + "/24");
        MemoryTunnel tunnel = start(host);
        tunnel.readBuffer().add(Segments.ipv4(PEER, 40000, US, 22, 5000, 777, TcpHeader.ACK, 65535, NONE, NONE));
        reactor.fireReadable();
        Segments.Parsed rst = only(tunnel);
        assertThat(rst.is(TcpHeader.RST)).isTrue();
        assertThat(rst.tcp.sequence()).isEqualTo(777);
    }

    @Test
    void rstToAClosedPortIsNotAnswered() throws Exception {
        IpHost host = IpHost.onTun().address(US + "/24");
        MemoryTunnel tunnel = start(host);
        tunnel.readBuffer().add(Segments.ipv4(PEER, 40000, US, 22, 5000, 0, TcpHeader.RST, 0, NONE, NONE));
        reactor.fireReadable();
        assertThat(tunnel.writeBuffer()).isEmpty();
    }

    @Test
    void badChecksumIsDroppedSilently() throws Exception {
        IpHost host = IpHost.onTun().address(US + "/24").listenTcp(7, peer -> new RecordingProtocol());
        MemoryTunnel tunnel = start(host);
        byte[] syn = Segments.ipv4(PEER, 40000, US, 7, 1000, 0, TcpHeader.SYN, 65535, NONE, NONE);
        syn[syn.length - 1] ^= 1;
        tunnel.readBuffer().add(syn);
        reactor.fireReadable();
        assertThat(tunnel.writeBuffer()).isEmpty();
        assertThat(host.tcp().drops().get(TcpDrop.BAD_CHECKSUM)).isEqualTo(1);
    }

    @Test
    void handshakeThenDataIsDeliveredAndAcknowledgedOncePerReadBatch() throws Exception {
        RecordingProtocol server = new RecordingProtocol().echoing();
        IpHost host = IpHost.onTun().address(US + "/24").listenTcp(7, peer -> server);
        MemoryTunnel tunnel = start(host);
        tunnel.readBuffer().add(Segments.ipv4(PEER, 40000, US, 7, 1000, 0, TcpHeader.SYN, 65535, NONE, NONE));
        reactor.fireReadable();
        int iss = only(tunnel).tcp.sequence();
        byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
        byte[] world = "world".getBytes(StandardCharsets.US_ASCII);
        tunnel.readBuffer().add(Segments.ipv4(PEER, 40000, US, 7, 1001, iss + 1, TcpHeader.ACK, 65535, NONE, NONE));
        tunnel.readBuffer().add(Segments.ipv4(PEER, 40000, US, 7, 1001, iss + 1, TcpHeader.ACK | TcpHeader.PSH, 65535,
            NONE, hello));
        tunnel.readBuffer().add(Segments.ipv4(PEER, 40000, US, 7, 1006, iss + 1, TcpHeader.ACK | TcpHeader.PSH, 65535,
            NONE, world));
        reactor.fireReadable();
        assertThat(server.made).isEqualTo(1);
        assertThat(server.bytes()).isEqualTo("helloworld".getBytes(StandardCharsets.US_ASCII));
        // one read batch: the echo of both writes goes out as one segment carrying the ACK
        Segments.Parsed echo = only(tunnel);
        assertThat(echo.payload).isEqualTo("helloworld".getBytes(StandardCharsets.US_ASCII));
        assertThat(echo.tcp.acknowledgment()).isEqualTo(1011);
        assertThat(echo.tcp.sequence()).isEqualTo(iss + 1);
    }

    @Test
    void connectTcpOpensFromThePrimaryAddressAndCompletesOnSynAck() throws Exception {
        IpHost host = IpHost.onTun().address(US + "/24");
        MemoryTunnel tunnel = start(host);
        RecordingProtocol client = new RecordingProtocol();
        CompletableFuture<RecordingProtocol> future = host.connectTcp(
            new InetSocketAddress(InetAddress.ofLiteral(PEER), 80), peer -> client);
        Segments.Parsed syn = only(tunnel);
        assertThat(syn.is(TcpHeader.SYN)).isTrue();
        assertThat(syn.tcp.destinationPort()).isEqualTo(80);
        assertThat(syn.tcp.sourcePort()).isBetween(32768, 60999);
        assertThat(syn.tcp.sackPermitted()).isTrue();
        assertThat(syn.tcp.hasTimestamp()).isTrue();
        assertThat(syn.tcp.windowScale()).isPositive();
        tunnel.readBuffer().add(Segments.ipv4(PEER, 80, US, syn.tcp.sourcePort(), 9000, syn.tcp.sequence() + 1,
            TcpHeader.SYN | TcpHeader.ACK, 65535, Segments.mss(1400), NONE));
        reactor.fireReadable();
        assertThat(future).isCompletedWithValue(client);
        Segments.Parsed ack = only(tunnel);
        assertThat(ack.is(TcpHeader.ACK)).isTrue();
        assertThat(ack.tcp.acknowledgment()).isEqualTo(9001);
        assertThat(client.connection().sendMss()).isEqualTo(1400);
    }

    @Test
    void connectTcpFailsWithConnectExceptionOnRst() throws Exception {
        IpHost host = IpHost.onTun().address(US + "/24");
        MemoryTunnel tunnel = start(host);
        CompletableFuture<RecordingProtocol> future = host.connectTcp(
            new InetSocketAddress(InetAddress.ofLiteral(PEER), 81), peer -> new RecordingProtocol());
        Segments.Parsed syn = only(tunnel);
        tunnel.readBuffer().add(Segments.ipv4(PEER, 81, US, syn.tcp.sourcePort(), 0, syn.tcp.sequence() + 1,
            TcpHeader.RST | TcpHeader.ACK, 0, NONE, NONE));
        reactor.fireReadable();
        assertThat(future.exceptionNow()).isInstanceOf(java.net.ConnectException.class);
    }

    @Test
    void icmpUnreachableQuotingOurSynFailsTheConnect() throws Exception {
        IpHost host = IpHost.onTun().address(US + "/24");
        MemoryTunnel tunnel = start(host);
        CompletableFuture<RecordingProtocol> future = host.connectTcp(
            new InetSocketAddress(InetAddress.ofLiteral(PEER), 81), peer -> new RecordingProtocol());
        byte[] syn = tunnel.writeBuffer().remove(0);
        byte[] otherPort = syn.clone();
        otherPort[22] ^= 1;
        assertThat(host.tcp().destinationUnreachable(java.nio.ByteBuffer.wrap(otherPort), 0, 28, "port unreachable"))
            .isFalse();
        assertThat(host.tcp().destinationUnreachable(java.nio.ByteBuffer.wrap(syn), 0, 28, "port unreachable"))
            .isTrue();
        assertThat(future.exceptionNow()).isInstanceOf(java.net.ConnectException.class)
            .hasMessageContaining("port unreachable");
        assertThat(host.tcp().connectionCount()).isZero();
    }
}

package io.jpair.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.ethernet.EthernetHeader;
import io.jpair.ethernet.MacAddress;
import io.jpair.ip.IcmpDrop;
import io.jpair.ip.IcmpHeader;
import io.jpair.ip.IpDrop;
import io.jpair.ip.IpPacket;
import io.jpair.ip.Ipv4Header;
import io.jpair.neighbour.ArpPacket;
import io.jpair.testing.MemoryIOSystem;
import io.jpair.testing.MemoryReactor;
import io.jpair.testing.MemoryTunnel;
import io.jpair.testing.Packets;
import io.jpair.testing.StackPackets;
import io.jpair.tuntap.offload.OffloadOptions;
import io.jpair.tuntap.TunnelOptions;
import io.jpair.tuntap.TuntapPort;
import io.jpair.udp.DatagramProtocol;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A whole host on the in-memory TUN/TAP device: ping, UDP, ARP and neighbour discovery. */
class IpHostTest {
    static final MacAddress OUR_MAC = MacAddress.parse("02:00:00:77:00:02");
    static final byte[] PEER_MAC = {0x02, 0, 0, 0x77, 0, 0x01};
    static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};
    static final byte[] PAYLOAD = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final MemoryReactor reactor = new MemoryReactor();
    private final MemoryIOSystem system = new MemoryIOSystem();

    /** Echoes every datagram through the allocation-free reply path. */
    static final class Echo extends DatagramProtocol {
        @Override
        public void datagramReceived(ByteBuffer payload, IpPacket packet, int sourcePort) {
            transport().reply(payload, packet, sourcePort);
        }
    }

    private MemoryTunnel start(IpHost host, String device) throws Exception {
        TuntapPort port = host.listen(device, reactor, system);
        return system.getTunnel(port);
    }

    private static IpPacket ipOf(byte[] packet, int offset) {
        return new IpPacket().wrap(ByteBuffer.wrap(packet), offset);
    }

    @Test
    void tunHostAnswersPing() throws Exception {
        IpHost host = IpHost.onTun().address("10.77.0.2/24");
        MemoryTunnel tunnel = start(host, "jt0");
        tunnel.readBuffer().add(Packets.ipv4("10.77.0.1", "10.77.0.2", 1, StackPackets.icmpEcho(8, 0x1234, 7, PAYLOAD)));
        reactor.fireReadable();
        assertThat(tunnel.writeBuffer()).hasSize(1);
        byte[] reply = tunnel.writeBuffer().get(0);
        IpPacket ip = ipOf(reply, 0);
        assertThat(ip.ipv4().checksumValid()).isTrue();
        assertThat(Ipv4Header.format(ip.sourceIpv4())).isEqualTo("10.77.0.2");
        assertThat(Ipv4Header.format(ip.destinationIpv4())).isEqualTo("10.77.0.1");
        assertThat(ip.protocol()).isEqualTo(1);
        byte[] expected = StackPackets.icmpEcho(0, 0x1234, 7, PAYLOAD);
        assertThat(java.util.Arrays.copyOfRange(reply, 20, reply.length)).isEqualTo(expected);
        assertThat(host.icmp().echoReplies()).isEqualTo(1);
    }

    @Test
    void tunHostAnswersIpv6Ping() throws Exception {
        IpHost host = IpHost.onTun().address("fd00:77::2/64");
        MemoryTunnel tunnel = start(host, "jt0");
        tunnel.readBuffer().add(StackPackets.ipv6Icmp("fd00:77::1", "fd00:77::2", 64,
            StackPackets.icmpv6Echo(128, 9, 3, PAYLOAD)));
        reactor.fireReadable();
        byte[] expected = StackPackets.ipv6Icmp("fd00:77::2", "fd00:77::1", 64, StackPackets.icmpv6Echo(129, 9, 3, PAYLOAD));
        assertThat(tunnel.writeBuffer()).containsExactly(expected);
    }

    @Test
    void pingWithBadChecksumIsCountedNotAnswered() throws Exception {
        IpHost host = IpHost.onTun().address("10.77.0.2/24");
        MemoryTunnel tunnel = start(host, "jt0");
        byte[] echo = StackPackets.icmpEcho(8, 1, 1, PAYLOAD);
        echo[9] ^= 1;
        tunnel.readBuffer().add(Packets.ipv4("10.77.0.1", "10.77.0.2", 1, echo));
        reactor.fireReadable();
        assertThat(tunnel.writeBuffer()).isEmpty();
        assertThat(host.icmp().drops().get(IcmpDrop.BAD_CHECKSUM)).isEqualTo(1);
    }

    @Test
    void tunHostEchoesUdpOverIpv4AndIpv6() throws Exception {
        IpHost host = IpHost.onTun().address("10.77.0.2/24").address("fd00:77::2/64").udp(7, new Echo());
        MemoryTunnel tunnel = start(host, "jt0");
        tunnel.readBuffer().add(Packets.ipv4Udp("10.77.0.1", 40000, "10.77.0.2", 7, PAYLOAD));
        tunnel.readBuffer().add(StackPackets.ipv6Udp("fd00:77::1", 40001, "fd00:77::2", 7, PAYLOAD));
        reactor.fireReadable();
        assertThat(tunnel.writeBuffer()).as(host.counters().toString()).hasSize(2);
        byte[] v4 = tunnel.writeBuffer().get(0);
        // Same encoding as the reference builder, except the IPv4 identification.
        byte[] expected = Packets.ipv4Udp("10.77.0.2", 7, "10.77.0.1", 40000, PAYLOAD);
        assertThat(java.util.Arrays.copyOfRange(v4, 20, v4.length))
            .isEqualTo(java.util.Arrays.copyOfRange(expected, 20, expected.length));
        assertThat(ipOf(v4, 0).ipv4().checksumValid()).isTrue();
        assertThat(tunnel.writeBuffer().get(1))
            .isEqualTo(StackPackets.ipv6Udp("fd00:77::2", 7, "fd00:77::1", 40001, PAYLOAD));
    }

    @Test
    void twistedStyleDatagramProtocolCanWriteToAnAddress() throws Exception {
        IpHost host = IpHost.onTun().address("10.77.0.2/24");
        host.udp(9, new DatagramProtocol() {
            @Override
            public void datagramReceived(byte[] data, InetSocketAddress source) {
                transport().write(("re:" + new String(data, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII),
                    source);
            }
        });
        MemoryTunnel tunnel = start(host, "jt0");
        tunnel.readBuffer().add(Packets.ipv4Udp("10.77.0.1", 5000, "10.77.0.2", 9, "hi".getBytes(StandardCharsets.US_ASCII)));
        reactor.fireReadable();
        assertThat(system.receiveUDP(tunnel == null ? 0 : system.openFiles().keySet().iterator().next(), 5000))
            .containsExactly("re:hi".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void tapHostAnnouncesItsAddressesOnStart() throws Exception {
        IpHost host = IpHost.onTap(OUR_MAC).address("10.77.1.2/24").address("fd00:77::2/64");
        MemoryTunnel tunnel = start(host, "jtap0");
        assertThat(tunnel.writeBuffer()).hasSize(2);
        ByteBuffer garp = ByteBuffer.wrap(tunnel.writeBuffer().get(0));
        EthernetHeader eth = new EthernetHeader().wrap(garp, 0);
        assertThat(eth.destination()).isEqualTo(MacAddress.BROADCAST_VALUE);
        assertThat(eth.etherType()).isEqualTo(0x0806);
        ArpPacket arp = new ArpPacket().wrap(garp, 14);
        assertThat(arp.senderProtocol()).isEqualTo(arp.targetProtocol()).isEqualTo(Ipv4Header.parse("10.77.1.2"));
        ByteBuffer na = ByteBuffer.wrap(tunnel.writeBuffer().get(1));
        assertThat(MacAddress.format(new EthernetHeader().wrap(na, 0).destination())).isEqualTo("33:33:00:00:00:01");
        assertThat(new IcmpHeader().wrap(na, 14 + 40).type()).isEqualTo(136);
    }

    @Test
    void tapHostAnswersArpRequestsForItsAddressOnly() throws Exception {
        IpHost host = IpHost.onTap(OUR_MAC).address("10.77.1.2/24");
        MemoryTunnel tunnel = start(host, "jtap0");
        tunnel.writeBuffer().clear();
        tunnel.readBuffer().add(Packets.ethernet(PEER_MAC, BROADCAST, 0x0806,
            StackPackets.arp(1, PEER_MAC, "10.77.1.1", new byte[6], "10.77.1.2")));
        tunnel.readBuffer().add(Packets.ethernet(PEER_MAC, BROADCAST, 0x0806,
            StackPackets.arp(1, PEER_MAC, "10.77.1.1", new byte[6], "10.77.1.3")));
        reactor.fireReadable();
        assertThat(tunnel.writeBuffer()).hasSize(1);
        byte[] expected = Packets.ethernet(OUR_MAC.bytes(), PEER_MAC, 0x0806,
            java.util.Arrays.copyOf(StackPackets.arp(2, OUR_MAC.bytes(), "10.77.1.2", PEER_MAC, "10.77.1.1"), 46));
        assertThat(tunnel.writeBuffer().get(0)).isEqualTo(expected);
        assertThat(host.arp().requestsAnswered()).isEqualTo(1);
    }

    @Test
    void tapPingReplyWaitsForArpResolution() throws Exception {
        IpHost host = IpHost.onTap(OUR_MAC).address("10.77.1.2/24");
        MemoryTunnel tunnel = start(host, "jtap0");
        tunnel.writeBuffer().clear();
        byte[] ping = Packets.ipv4("10.77.1.1", "10.77.1.2", 1, StackPackets.icmpEcho(8, 1, 1, PAYLOAD));
        tunnel.readBuffer().add(Packets.ethernet(PEER_MAC, OUR_MAC.bytes(), 0x0800, ping));
        reactor.fireReadable();
        assertThat(tunnel.writeBuffer()).hasSize(1); // the ARP request; the reply waits
        ArpPacket request = new ArpPacket().wrap(ByteBuffer.wrap(tunnel.writeBuffer().get(0)), 14);
        assertThat(request.operation()).isEqualTo(1);
        assertThat(request.targetProtocol()).isEqualTo(Ipv4Header.parse("10.77.1.1"));
        tunnel.readBuffer().add(Packets.ethernet(PEER_MAC, OUR_MAC.bytes(), 0x0806,
            StackPackets.arp(2, PEER_MAC, "10.77.1.1", OUR_MAC.bytes(), "10.77.1.2")));
        reactor.fireReadable();
        assertThat(tunnel.writeBuffer()).hasSize(2);
        ByteBuffer frame = ByteBuffer.wrap(tunnel.writeBuffer().get(1));
        assertThat(new EthernetHeader().wrap(frame, 0).destination()).isEqualTo(MacAddress.of(PEER_MAC).value());
        assertThat(new IcmpHeader().wrap(frame, 14 + 20).type()).isZero();
        assertThat(host.link().queued()).isEqualTo(1);
    }

    @Test
    void tapHostAnswersNeighbourSolicitationAndThenPing6() throws Exception {
        IpHost host = IpHost.onTap(OUR_MAC).address("fd00:77::2/64");
        MemoryTunnel tunnel = start(host, "jtap0");
        tunnel.writeBuffer().clear();
        byte[] ns = StackPackets.ipv6Icmp("fd00:77::1", "ff02::1:ff00:2", 255,
            StackPackets.neighbourMessage(135, 0, "fd00:77::2", 1, PEER_MAC));
        byte[] solicitedMac = {0x33, 0x33, -1, 0, 0, 2};
        tunnel.readBuffer().add(Packets.ethernet(PEER_MAC, solicitedMac, 0x86DD, ns));
        tunnel.readBuffer().add(Packets.ethernet(PEER_MAC, OUR_MAC.bytes(), 0x86DD, StackPackets.ipv6Icmp("fd00:77::1",
            "fd00:77::2", 64, StackPackets.icmpv6Echo(128, 5, 6, PAYLOAD))));
        reactor.fireReadable();
        List<byte[]> written = tunnel.writeBuffer();
        assertThat(written).hasSize(2);
        byte[] na = StackPackets.ipv6Icmp("fd00:77::2", "fd00:77::1", 255,
            StackPackets.neighbourMessage(136, 0x60000000, "fd00:77::2", 2, OUR_MAC.bytes()));
        assertThat(written.get(0)).isEqualTo(Packets.ethernet(OUR_MAC.bytes(), PEER_MAC, 0x86DD, na));
        byte[] reply = StackPackets.ipv6Icmp("fd00:77::2", "fd00:77::1", 64, StackPackets.icmpv6Echo(129, 5, 6, PAYLOAD));
        assertThat(written.get(1)).isEqualTo(Packets.ethernet(OUR_MAC.bytes(), PEER_MAC, 0x86DD, reply));
    }

    @Test
    void neighbourSolicitationWithWrongHopLimitIsIgnored() throws Exception {
        IpHost host = IpHost.onTap(OUR_MAC).address("fd00:77::2/64");
        MemoryTunnel tunnel = start(host, "jtap0");
        tunnel.writeBuffer().clear();
        byte[] ns = StackPackets.ipv6Icmp("fd00:77::1", "fd00:77::2", 64,
            StackPackets.neighbourMessage(135, 0, "fd00:77::2", 1, PEER_MAC));
        tunnel.readBuffer().add(Packets.ethernet(PEER_MAC, OUR_MAC.bytes(), 0x86DD, ns));
        reactor.fireReadable();
        assertThat(tunnel.writeBuffer()).isEmpty();
        assertThat(host.icmpv6().drops().get(IcmpDrop.INVALID_NEIGHBOR_DISCOVERY)).isEqualTo(1);
    }

    @Test
    void countersNameEveryLayer() throws Exception {
        IpHost host = IpHost.onTap(OUR_MAC).address("10.77.1.2/24");
        MemoryTunnel tunnel = start(host, "jtap0");
        tunnel.readBuffer().add(Packets.ethernet(PEER_MAC, OUR_MAC.bytes(), 0x0800, new byte[] {0x45, 0, 0}));
        reactor.fireReadable();
        assertThat(host.ip().drops().get(IpDrop.TRUNCATED)).isEqualTo(1);
        assertThat(host.counters()).containsEntry("ip.drop.TRUNCATED", 1L).containsKey("ethernet.drop.NOT_FOR_US")
            .containsKey("arp.requestsAnswered").containsKey("udp.drop.NO_LISTENER");
    }

    @Test
    void listenWithDeviceAndOffloadOptionsRaisesTheReadSizeAndAnswersPing() throws Exception {
        IpHost host = IpHost.onTun().address("10.77.0.2/24");
        TuntapPort port = host.listen("jt0", reactor, TunnelOptions.defaults().withMaxPacketSize(1500),
            OffloadOptions.disabled(), system);
        MemoryTunnel tunnel = system.getTunnel(port);
        tunnel.readBuffer().add(Packets.ipv4("10.77.0.1", "10.77.0.2", 1, StackPackets.icmpEcho(8, 1, 1, PAYLOAD)));
        reactor.fireReadable();
        assertThat(tunnel.writeBuffer()).hasSize(1);
        assertThat(host.icmp().clock().nanoTime()).as("time is the port's reactor's").isEqualTo(reactor.nanoTime());
    }

    @Test
    void layersReadTheClockOfTheReactorOfThePortTheHostIsAttachedTo() throws Exception {
        IpHost host = IpHost.onTap(OUR_MAC).address("10.77.1.2/24");
        start(host, "jtap0");
        reactor.advance(java.time.Duration.ofSeconds(5));
        assertThat(host.icmp().clock().nanoTime()).isEqualTo(reactor.nanoTime());
        assertThat(host.icmpv6().clock().nanoTime()).isEqualTo(reactor.nanoTime());
    }
}

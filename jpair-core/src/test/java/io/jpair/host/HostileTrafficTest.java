package io.jpair.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.ethernet.EthernetHeader;
import io.jpair.ethernet.MacAddress;
import io.jpair.ip.IcmpDrop;
import io.jpair.ip.IpDrop;
import io.jpair.ip.IpPacket;
import io.jpair.ip.Ipv4Header;
import io.jpair.neighbour.ArpDrop;
import io.jpair.neighbour.ArpPacket;
import io.jpair.neighbour.EthernetLink;
import io.jpair.neighbour.NeighbourTable;
import io.jpair.testing.MemoryIOSystem;
import io.jpair.testing.MemoryReactor;
import io.jpair.testing.MemoryTunnel;
import io.jpair.testing.Packets;
import io.jpair.testing.StackPackets;
import io.jpair.tuntap.TuntapPort;
import io.jpair.udp.DatagramProtocol;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a host does with traffic meant to abuse it: no replies to broadcast or multicast pings, no
 * packets from martian sources, a rate limit on echo replies, no cache poisoning by unsolicited
 * ARP replies or neighbour advertisements, and bounded tables under a sweep of spoofed sources.
 */
class HostileTrafficTest {
    static final MacAddress OUR_MAC = MacAddress.parse("02:00:00:77:00:02");
    static final byte[] PEER_MAC = {0x02, 0, 0, 0x77, 0, 0x01};
    static final byte[] FORGER_MAC = {0x02, 0, 0, 0x66, 0x66, 0x66};
    static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};
    static final byte[] PAYLOAD = "hostile".getBytes(StandardCharsets.US_ASCII);

    private final MemoryReactor reactor = new MemoryReactor();
    private final MemoryIOSystem system = new MemoryIOSystem();

    private MemoryTunnel start(IpHost host, String device) throws Exception {
        TuntapPort port = host.listen(device, reactor, system);
        MemoryTunnel tunnel = system.getTunnel(port);
        tunnel.writeBuffer().clear();
        return tunnel;
    }

    private static byte[] ping(String source, String destination) {
        return Packets.ipv4(source, destination, 1, StackPackets.icmpEcho(8, 1, 1, PAYLOAD));
    }

    private static byte[] frame(byte[] source, byte[] destination, int etherType, byte[] payload) {
        return Packets.ethernet(source, destination, etherType, payload);
    }

    private void feed(MemoryTunnel tunnel, byte[] packet) {
        tunnel.readBuffer().add(packet);
        reactor.fireReadable();
    }

    private static long destinationMac(byte[] frame) {
        return new EthernetHeader().wrap(ByteBuffer.wrap(frame), 0).destination();
    }

    private static byte[] arpRequest(byte[] mac, String sender, String target) {
        return frame(mac, BROADCAST, 0x0806, StackPackets.arp(1, mac, sender, new byte[6], target));
    }

    private static byte[] arpReply(byte[] mac, String sender, String target) {
        return frame(mac, OUR_MAC.bytes(), 0x0806, StackPackets.arp(2, mac, sender, OUR_MAC.bytes(), target));
    }

    private static byte[] tagged(int tpid, int vlanId, byte[] untaggedFrame) {
        byte[] out = new byte[untaggedFrame.length + 4];
        System.arraycopy(untaggedFrame, 0, out, 0, 12);
        out[12] = (byte) (tpid >>> 8);
        out[13] = (byte) tpid;
        out[14] = (byte) (vlanId >>> 8);
        out[15] = (byte) vlanId;
        System.arraycopy(untaggedFrame, 12, out, 16, untaggedFrame.length - 12);
        return out;
    }

    private static byte[] solicitation(byte[] mac, String source, String target) {
        return frame(mac, OUR_MAC.bytes(), 0x86DD, StackPackets.ipv6Icmp(source, target, 255,
            StackPackets.neighbourMessage(135, 0, target, 1, mac)));
    }

    private static byte[] ping6(byte[] mac, String source, String destination, int sequence) {
        return frame(mac, OUR_MAC.bytes(), 0x86DD,
            StackPackets.ipv6Icmp(source, destination, 64, StackPackets.icmpv6Echo(128, 1, sequence, PAYLOAD)));
    }

    private static int etherType(byte[] frame) {
        return new EthernetHeader().wrap(ByteBuffer.wrap(frame), 0).etherType();
    }

    /** Frames of one EtherType written to one MAC since the last clear. */
    private static long written(MemoryTunnel tunnel, int etherType, byte[] mac) {
        long value = MacAddress.of(mac).value();
        return tunnel.writeBuffer().stream().filter(f -> etherType(f) == etherType && destinationMac(f) == value).count();
    }

    private static long arpRequestsWritten(MemoryTunnel tunnel) {
        return tunnel.writeBuffer().stream()
            .filter(f -> etherType(f) == EthernetHeader.TYPE_ARP && destinationMac(f) == MacAddress.BROADCAST_VALUE).count();
    }

    /** Neighbour solicitations written since the last clear (ICMPv6 type 135 after a bare IPv6 header). */
    private static long solicitationsWritten(MemoryTunnel tunnel) {
        return tunnel.writeBuffer().stream()
            .filter(f -> etherType(f) == EthernetHeader.TYPE_IPV6 && f.length > 54 && (f[54] & 0xFF) == 135).count();
    }

    /** A UDP service answering every datagram: the kind of service a spoofed-source flood is aimed at. */
    static final class Reflector extends DatagramProtocol {
        @Override
        public void datagramReceived(ByteBuffer payload, IpPacket packet, int sourcePort) {
            transport().reply(payload, packet, sourcePort);
        }
    }

    private static boolean isArpRequestFor(byte[] frame, String address) {
        ByteBuffer b = ByteBuffer.wrap(frame);
        if (new EthernetHeader().wrap(b, 0).etherType() != EthernetHeader.TYPE_ARP) {
            return false;
        }
        ArpPacket arp = new ArpPacket().wrap(b, EthernetHeader.LENGTH);
        return arp.operation() == ArpPacket.REQUEST && arp.targetProtocol() == Ipv4Header.parse(address);
    }

    // ------------------------------------------------------------ no amplification

    @ParameterizedTest
    @ValueSource(strings = {"255.255.255.255", "10.77.0.255", "224.0.0.1"})
    void echoRequestsToBroadcastAndMulticastAreNotAnswered(String destination) throws Exception {
        IpHost host = IpHost.onTun().address("10.77.0.2/24");
        MemoryTunnel tunnel = start(host, "jt0");
        feed(tunnel, ping("10.77.0.1", destination));
        assertThat(tunnel.writeBuffer()).isEmpty();
        assertThat(host.icmp().drops().get(IcmpDrop.NOT_ANSWERED)).isEqualTo(1);
    }

    @Test
    void echoRequestsToIpv6AllNodesAreNotAnswered() throws Exception {
        IpHost host = IpHost.onTun().address("fd00:77::2/64");
        MemoryTunnel tunnel = start(host, "jt0");
        feed(tunnel, StackPackets.ipv6Icmp("fd00:77::1", "ff02::1", 64, StackPackets.icmpv6Echo(128, 1, 1, PAYLOAD)));
        assertThat(tunnel.writeBuffer()).isEmpty();
        assertThat(host.icmpv6().drops().get(IcmpDrop.NOT_ANSWERED)).isEqualTo(1);
    }

    @Test
    void broadcastAndMulticastPingsAreAnsweredFromOurAddressWhenConfigured() throws Exception {
        IpHost host = IpHost.onTun().address("10.77.0.2/24").address("fd00:77::2/64").answerBroadcastPings(true);
        MemoryTunnel tunnel = start(host, "jt0");
        feed(tunnel, ping("10.77.0.1", "255.255.255.255"));
        feed(tunnel, StackPackets.ipv6Icmp("fd00:77::1", "ff02::1", 64, StackPackets.icmpv6Echo(128, 1, 1, PAYLOAD)));
        assertThat(tunnel.writeBuffer()).hasSize(2);
        IpPacket v4 = new IpPacket().wrap(ByteBuffer.wrap(tunnel.writeBuffer().get(0)), 0);
        assertThat(Ipv4Header.format(v4.sourceIpv4())).isEqualTo("10.77.0.2");
        assertThat(v4.ipv4().checksumValid()).isTrue();
        assertThat(tunnel.writeBuffer().get(1)).isEqualTo(StackPackets.ipv6Icmp("fd00:77::2", "fd00:77::1", 64,
            StackPackets.icmpv6Echo(129, 1, 1, PAYLOAD)));
    }

    @Test
    void byDefaultEveryPingIsAnsweredAsLinuxDoes() throws Exception {
        // Linux's icmp_ratemask (0x1818) limits errors, not echo replies: a spoofed flood cannot
        // empty a shared bucket and starve the legitimate pingers.
        IpHost host = IpHost.onTun().address("10.77.0.2/24");
        MemoryTunnel tunnel = start(host, "jt0");
        for (int i = 0; i < 200; i++) {
            tunnel.readBuffer().add(ping("10.77.0.66", "10.77.0.2"));
        }
        tunnel.readBuffer().add(ping("10.77.0.1", "10.77.0.2"));
        reactor.fireReadable();
        assertThat(tunnel.writeBuffer()).hasSize(201);
        assertThat(host.icmp().drops().get(IcmpDrop.RATE_LIMITED)).isZero();
    }

    @Test
    void aPingFromTheUnspecifiedIpv6AddressIsNotAnswered() throws Exception {
        IpHost host = IpHost.onTun().address("fd00:77::2/64");
        MemoryTunnel tunnel = start(host, "jt0");
        tunnel.readBuffer().add(StackPackets.ipv6Icmp("::", "fd00:77::2", 64, StackPackets.icmpv6Echo(128, 1, 1, PAYLOAD)));
        reactor.fireReadable();
        assertThat(tunnel.writeBuffer()).isEmpty();
        assertThat(host.icmpv6().drops().get(IcmpDrop.NOT_ANSWERED)).isEqualTo(1);
    }

    @Test
    void aPingFloodIsAnsweredAtTheRateLimitAndTheRestCounted() throws Exception {
        IpHost host = IpHost.onTun().address("10.77.0.2/24").icmpRateLimit(1000, 50);
        MemoryTunnel tunnel = start(host, "jt0");
        for (int i = 0; i < 200; i++) {
            tunnel.readBuffer().add(ping("10.77.0.1", "10.77.0.2"));
        }
        reactor.fireReadable();
        assertThat(tunnel.writeBuffer()).hasSize(50);
        assertThat(host.icmp().drops().get(IcmpDrop.RATE_LIMITED)).isEqualTo(150);
        reactor.advance(Duration.ofMillis(20));
        for (int i = 0; i < 200; i++) {
            tunnel.readBuffer().add(ping("10.77.0.1", "10.77.0.2"));
        }
        reactor.fireReadable();
        assertThat(tunnel.writeBuffer()).hasSize(70);
        assertThat(host.counters()).containsEntry("icmp.drop.RATE_LIMITED", 330L);
    }

    @Test
    void theRateLimitIsOneBucketForIpv4AndIpv6() throws Exception {
        IpHost host = IpHost.onTun().address("10.77.0.2/24").address("fd00:77::2/64").icmpRateLimit(10, 4);
        MemoryTunnel tunnel = start(host, "jt0");
        for (int i = 0; i < 3; i++) {
            tunnel.readBuffer().add(ping("10.77.0.1", "10.77.0.2"));
            tunnel.readBuffer().add(StackPackets.ipv6Icmp("fd00:77::1", "fd00:77::2", 64,
                StackPackets.icmpv6Echo(128, 1, i, PAYLOAD)));
        }
        reactor.fireReadable();
        assertThat(tunnel.writeBuffer()).hasSize(4);
        assertThat(host.icmp().drops().get(IcmpDrop.RATE_LIMITED) + host.icmpv6().drops().get(IcmpDrop.RATE_LIMITED))
            .isEqualTo(2);
    }

    // ------------------------------------------------------------ martians

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "224.0.0.5", "255.255.255.255", "240.0.0.1", "0.1.2.3", "0.0.0.0",
        "10.77.0.2", "10.77.0.255"})
    void packetsFromMartianSourcesAreDroppedAndCounted(String source) throws Exception {
        IpHost host = IpHost.onTun().address("10.77.0.2/24");
        MemoryTunnel tunnel = start(host, "jt0");
        feed(tunnel, ping(source, "10.77.0.2"));
        assertThat(tunnel.writeBuffer()).isEmpty();
        assertThat(host.ip().drops().get(IpDrop.MARTIAN_SOURCE)).isEqualTo(1);
        assertThat(host.icmp().messagesReceived()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"::1", "ff02::1", "fd00:77::2"})
    void ipv6PacketsFromMartianSourcesAreDroppedAndCounted(String source) throws Exception {
        IpHost host = IpHost.onTun().address("fd00:77::2/64");
        MemoryTunnel tunnel = start(host, "jt0");
        feed(tunnel, StackPackets.ipv6Icmp(source, "fd00:77::2", 64, StackPackets.icmpv6Echo(128, 1, 1, PAYLOAD)));
        assertThat(tunnel.writeBuffer()).isEmpty();
        assertThat(host.ip().drops().get(IpDrop.MARTIAN_SOURCE)).isEqualTo(1);
    }

    @Test
    void anIpv4MappedIpv6SourceIsMartian() throws Exception {
        IpHost host = IpHost.onTun().address("fd00:77::2/64");
        MemoryTunnel tunnel = start(host, "jt0");
        byte[] packet = StackPackets.ipv6Icmp("fd00:77::1", "fd00:77::2", 64, StackPackets.icmpv6Echo(128, 1, 1, PAYLOAD));
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 10, 77, 0, 1};
        System.arraycopy(mapped, 0, packet, 8, 16);
        feed(tunnel, packet);
        assertThat(host.ip().drops().get(IpDrop.MARTIAN_SOURCE)).isEqualTo(1);
    }

    @Test
    void aDhcpClientsUnspecifiedSourceToTheLimitedBroadcastIsNotMartian() throws Exception {
        List<byte[]> received = new ArrayList<>();
        IpHost host = IpHost.onTun().address("10.77.0.2/24").udp(67, new DatagramProtocol() {
            @Override
            public void datagramReceived(ByteBuffer payload, IpPacket packet, int sourcePort) {
                byte[] copy = new byte[payload.remaining()];
                payload.get(copy);
                received.add(copy);
            }
        });
        MemoryTunnel tunnel = start(host, "jt0");
        feed(tunnel, Packets.ipv4Udp("0.0.0.0", 68, "255.255.255.255", 67, PAYLOAD));
        assertThat(received).containsExactly(PAYLOAD);
        assertThat(host.ip().drops().get(IpDrop.MARTIAN_SOURCE)).isZero();
    }

    @Test
    void martiansAreDeliveredWhenConfigured() throws Exception {
        IpHost host = IpHost.onTun().address("10.77.0.2/24").acceptMartians(true);
        MemoryTunnel tunnel = start(host, "jt0");
        feed(tunnel, ping("127.0.0.1", "10.77.0.2"));
        assertThat(tunnel.writeBuffer()).hasSize(1);
        assertThat(host.ip().drops().get(IpDrop.MARTIAN_SOURCE)).isZero();
    }

    // ------------------------------------------------------------ ARP and ND poisoning

    @Test
    void anUnsolicitedArpReplyPlantsNothing() throws Exception {
        IpHost host = IpHost.onTap(OUR_MAC).address("10.77.1.2/24");
        MemoryTunnel tunnel = start(host, "jtap0");
        feed(tunnel, frame(FORGER_MAC, OUR_MAC.bytes(), 0x0806,
            StackPackets.arp(2, FORGER_MAC, "10.77.1.1", OUR_MAC.bytes(), "10.77.1.2")));
        assertThat(host.arp().drops().get(ArpDrop.UNSOLICITED_REPLY)).isEqualTo(1);
        assertThat(host.arp().table().size()).isZero();
        feed(tunnel, frame(PEER_MAC, OUR_MAC.bytes(), 0x0800, ping("10.77.1.1", "10.77.1.2")));
        assertThat(tunnel.writeBuffer()).singleElement().satisfies(f -> assertThat(isArpRequestFor(f, "10.77.1.1")).isTrue());
    }

    @Test
    void aForgedReplyForAResolvedNeighbourIsNotTakenAndTheOldMacIsProbed() throws Exception {
        IpHost host = IpHost.onTap(OUR_MAC).address("10.77.1.2/24");
        MemoryTunnel tunnel = start(host, "jtap0");
        feed(tunnel, arpRequest(PEER_MAC, "10.77.1.1", "10.77.1.2"));
        tunnel.writeBuffer().clear();
        feed(tunnel, arpReply(FORGER_MAC, "10.77.1.1", "10.77.1.2"));
        assertThat(host.arp().drops().get(ArpDrop.CONFLICTING_MAC)).isEqualTo(1);
        assertThat(host.arp().conflicts()).isEqualTo(1);
        assertThat(tunnel.writeBuffer()).hasSize(2).allSatisfy(f -> assertThat(isArpRequestFor(f, "10.77.1.1")).isTrue());
        assertThat(written(tunnel, EthernetHeader.TYPE_ARP, PEER_MAC)).as("a unicast probe to the old MAC").isEqualTo(1);
        assertThat(arpRequestsWritten(tunnel)).as("and one broadcast").isEqualTo(1);
        tunnel.writeBuffer().clear();
        feed(tunnel, frame(PEER_MAC, OUR_MAC.bytes(), 0x0800, ping("10.77.1.1", "10.77.1.2")));
        assertThat(tunnel.writeBuffer()).singleElement()
            .satisfies(f -> assertThat(destinationMac(f)).isEqualTo(MacAddress.of(PEER_MAC).value()));
        feed(tunnel, arpReply(PEER_MAC, "10.77.1.1", "10.77.1.2"));
        assertThat(host.arp().table().revalidating(0, NeighbourTable.ipv4Key(Ipv4Header.parse("10.77.1.1")), reactor.nanoTime()))
            .as("the owner's answer ended the revalidation").isFalse();
    }

    @Test
    void twoForgedRequestsFiftyMillisecondsApartDoNotPoisonTheCache() throws Exception {
        IpHost host = IpHost.onTap(OUR_MAC).address("10.77.1.2/24");
        MemoryTunnel tunnel = start(host, "jtap0");
        feed(tunnel, arpRequest(PEER_MAC, "10.77.1.1", "10.77.1.2"));
        feed(tunnel, frame(PEER_MAC, OUR_MAC.bytes(), 0x0800, ping("10.77.1.1", "10.77.1.2")));
        tunnel.writeBuffer().clear();
        feed(tunnel, arpRequest(FORGER_MAC, "10.77.1.1", "10.77.1.2"));
        reactor.advance(Duration.ofMillis(50));
        feed(tunnel, arpRequest(FORGER_MAC, "10.77.1.1", "10.77.1.2"));
        assertThat(written(tunnel, EthernetHeader.TYPE_ARP, PEER_MAC)).as("the old MAC is probed").isEqualTo(1);
        feed(tunnel, arpReply(PEER_MAC, "10.77.1.1", "10.77.1.2"));
        tunnel.writeBuffer().clear();
        for (int i = 0; i < 30; i++) {
            feed(tunnel, frame(PEER_MAC, OUR_MAC.bytes(), 0x0800, ping("10.77.1.1", "10.77.1.2")));
            reactor.advance(Duration.ofSeconds(1));
        }
        assertThat(written(tunnel, EthernetHeader.TYPE_IPV4, PEER_MAC)).as("every echo reply to the owner").isEqualTo(30);
        assertThat(written(tunnel, EthernetHeader.TYPE_IPV4, FORGER_MAC)).isZero();
        assertThat(host.arp().conflicts()).isEqualTo(2);
    }

    @Test
    void forgedRequestsWhileTheOwnerIsSilentAreNeverTakenFromTheRequestsAlone() throws Exception {
        IpHost host = IpHost.onTap(OUR_MAC).address("10.77.1.2/24");
        MemoryTunnel tunnel = start(host, "jtap0");
        feed(tunnel, arpRequest(PEER_MAC, "10.77.1.1", "10.77.1.2"));
        for (int i = 0; i < 100; i++) {
            feed(tunnel, arpRequest(FORGER_MAC, "10.77.1.1", "10.77.1.2"));
            reactor.advance(Duration.ofMillis(50));
        }
        assertThat(host.arp().probesSent()).isPositive();
        assertThat(host.arp().table().lookup(0, NeighbourTable.ipv4Key(Ipv4Header.parse("10.77.1.1")), reactor.nanoTime()))
            .as("the owner never answered: resolve afresh, by an answer only").isEqualTo(MacAddress.NONE);
    }

    @Test
    void twoHundredRequestsFromRandomSendersThenAForgedOneLeaveANeighbourInUseAlone() throws Exception {
        IpHost host = IpHost.onTap(OUR_MAC).address("10.77.1.2/16");
        MemoryTunnel tunnel = start(host, "jtap0");
        feed(tunnel, arpRequest(PEER_MAC, "10.77.1.1", "10.77.1.2"));
        for (int i = 0; i < 200; i++) {
            byte[] mac = {0x02, 0, 0, 0x55, (byte) (i >>> 8), (byte) i};
            feed(tunnel, arpRequest(mac, "10.77." + (2 + i / 250) + "." + (1 + i % 250), "10.77.1.2"));
            if (i % 10 == 0) {
                feed(tunnel, frame(PEER_MAC, OUR_MAC.bytes(), 0x0800, ping("10.77.1.1", "10.77.1.2")));
            }
            reactor.advance(Duration.ofMillis(5));
        }
        assertThat(host.arp().table().size()).isEqualTo(NeighbourTable.DEFAULT_CAPACITY);
        feed(tunnel, arpRequest(FORGER_MAC, "10.77.1.1", "10.77.1.2"));
        feed(tunnel, arpReply(PEER_MAC, "10.77.1.1", "10.77.1.2"));
        tunnel.writeBuffer().clear();
        for (int i = 0; i < 90; i++) {
            feed(tunnel, frame(PEER_MAC, OUR_MAC.bytes(), 0x0800, ping("10.77.1.1", "10.77.1.2")));
            reactor.advance(Duration.ofSeconds(1));
        }
        assertThat(written(tunnel, EthernetHeader.TYPE_IPV4, PEER_MAC)).isEqualTo(90);
        assertThat(written(tunnel, EthernetHeader.TYPE_IPV4, FORGER_MAC)).isZero();
    }

    @Test
    void twoHundredSolicitationsFromRandomSourcesThenAForgedOneLeaveANeighbourInUseAlone() throws Exception {
        IpHost host = IpHost.onTap(OUR_MAC).address("fd00:77::2/64");
        MemoryTunnel tunnel = start(host, "jtap0");
        feed(tunnel, solicitation(PEER_MAC, "fd00:77::1", "fd00:77::2"));
        for (int i = 0; i < 200; i++) {
            byte[] mac = {0x02, 0, 0, 0x55, (byte) (i >>> 8), (byte) i};
            feed(tunnel, solicitation(mac, "fd00:77::" + Integer.toHexString(0x1000 + i), "fd00:77::2"));
            if (i % 10 == 0) {
                feed(tunnel, ping6(PEER_MAC, "fd00:77::1", "fd00:77::2", i));
            }
            reactor.advance(Duration.ofMillis(5));
        }
        tunnel.writeBuffer().clear();
        feed(tunnel, solicitation(FORGER_MAC, "fd00:77::1", "fd00:77::2"));
        assertThat(host.neighbourDiscovery().conflicts()).isEqualTo(1);
        assertThat(host.neighbourDiscovery().probesSent()).isEqualTo(1);
        assertThat(written(tunnel, EthernetHeader.TYPE_IPV6, PEER_MAC))
            .as("the answer to the forged solicitation and the unicast probe go to the owner").isEqualTo(2);
        feed(tunnel, frame(PEER_MAC, OUR_MAC.bytes(), 0x86DD, StackPackets.ipv6Icmp("fd00:77::1", "fd00:77::2", 255,
            StackPackets.neighbourMessage(136, 0x60000000, "fd00:77::1", 2, PEER_MAC))));
        tunnel.writeBuffer().clear();
        for (int i = 0; i < 301; i++) {
            feed(tunnel, ping6(PEER_MAC, "fd00:77::1", "fd00:77::2", i));
            reactor.advance(Duration.ofSeconds(1));
        }
        assertThat(written(tunnel, EthernetHeader.TYPE_IPV6, FORGER_MAC)).isZero();
        assertThat(written(tunnel, EthernetHeader.TYPE_IPV6, PEER_MAC)).isGreaterThanOrEqualTo(301);
    }

    @Test
    void afterTwoHundredSpoofedSolicitationsANewNeighbourCanStillBeResolved() throws Exception {
        IpHost host = IpHost.onTap(OUR_MAC).address("fd00:77::2/64");
        MemoryTunnel tunnel = start(host, "jtap0");
        for (int i = 0; i < 200; i++) {
            byte[] mac = {0x02, 0, 0, 0x55, (byte) (i >>> 8), (byte) i};
            feed(tunnel, solicitation(mac, "fd00:77::" + Integer.toHexString(0x1000 + i), "fd00:77::2"));
        }
        long before = host.neighbourDiscovery().solicitationsSent();
        feed(tunnel, ping6(PEER_MAC, "fd00:77::1", "fd00:77::2", 1));
        assertThat(host.neighbourDiscovery().solicitationsSent()).isEqualTo(before + 1);
        assertThat(host.neighbourDiscovery().table().admissionsRefused()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {EthernetHeader.TPID_8021Q, EthernetHeader.TPID_8021AD})
    void vlanTaggedForgedRequestsAreDroppedNotAnsweredAndNotLearned(int tpid) throws Exception {
        IpHost host = IpHost.onTap(OUR_MAC).address("10.77.1.2/24");
        MemoryTunnel tunnel = start(host, "jtap0");
        feed(tunnel, arpRequest(PEER_MAC, "10.77.1.1", "10.77.1.2"));
        tunnel.writeBuffer().clear();
        feed(tunnel, tagged(tpid, 100, arpRequest(FORGER_MAC, "10.77.1.1", "10.77.1.2")));
        reactor.advance(Duration.ofMillis(50));
        feed(tunnel, tagged(tpid, 100, arpRequest(FORGER_MAC, "10.77.1.1", "10.77.1.2")));
        feed(tunnel, tagged(tpid, 7, arpRequest(FORGER_MAC, "10.77.1.9", "10.77.1.2")));
        assertThat(tunnel.writeBuffer()).as("nothing answered untagged").isEmpty();
        assertThat(host.ethernet().drops().get(io.jpair.ethernet.EthernetDrop.VLAN_TAGGED)).isEqualTo(3);
        assertThat(host.arp().table().contains(0, NeighbourTable.ipv4Key(Ipv4Header.parse("10.77.1.9")))).isFalse();
        assertThat(host.arp().table().lookup(0, NeighbourTable.ipv4Key(Ipv4Header.parse("10.77.1.1")), reactor.nanoTime()))
            .isEqualTo(MacAddress.of(PEER_MAC).value());
    }

    @Test
    void aSpoofedSourceUdpFloodMakesBoundedBroadcastsAndEvictsNoNeighbourInUse() throws Exception {
        IpHost host = IpHost.onTap(OUR_MAC).address("10.77.0.2/16").udp(5000, new Reflector());
        MemoryTunnel tunnel = start(host, "jtap0");
        feed(tunnel, arpRequest(PEER_MAC, "10.77.0.1", "10.77.0.2"));
        tunnel.writeBuffer().clear();
        int pings = 0;
        for (int i = 0; i < 20_000; i++) {
            String source = "10.77." + (1 + i / 250) + "." + (1 + i % 250);
            tunnel.readBuffer().add(frame(FORGER_MAC, OUR_MAC.bytes(), 0x0800,
                Packets.ipv4Udp(source, 40_000, "10.77.0.2", 5000, PAYLOAD)));
            if (i % 200 == 0) {
                tunnel.readBuffer().add(frame(PEER_MAC, OUR_MAC.bytes(), 0x0800, ping("10.77.0.1", "10.77.0.2")));
                pings++;
            }
            reactor.fireReadable();
            reactor.advance(Duration.ofNanos(500_000));
        }
        // 10 s of flood: one second's burst, then the budget per second; plus the start's announcement.
        int budget = NeighbourTable.DEFAULT_REQUESTS_PER_SECOND * 11 + IpHost.ANNOUNCEMENTS;
        assertThat(arpRequestsWritten(tunnel)).isPositive().isLessThanOrEqualTo(budget);
        assertThat(host.arp().table().requestsSuppressed()).isGreaterThan(20_000 - budget - 1);
        assertThat(written(tunnel, EthernetHeader.TYPE_IPV4, PEER_MAC)).as("no echo reply to the real neighbour lost")
            .isEqualTo(pings);
    }

    @Test
    void aSpoofedSourceIpv6PingFloodMakesBoundedSolicitationsAndEvictsNoNeighbourInUse() throws Exception {
        IpHost host = IpHost.onTap(OUR_MAC).address("fd00:77::2/64");
        MemoryTunnel tunnel = start(host, "jtap0");
        feed(tunnel, solicitation(PEER_MAC, "fd00:77::1", "fd00:77::2"));
        tunnel.writeBuffer().clear();
        int pings = 0;
        for (int i = 0; i < 20_000; i++) {
            tunnel.readBuffer().add(ping6(FORGER_MAC, "fd00:77::1:" + Integer.toHexString(i), "fd00:77::2", i));
            if (i % 200 == 0) {
                tunnel.readBuffer().add(ping6(PEER_MAC, "fd00:77::1", "fd00:77::2", i));
                pings++;
            }
            reactor.fireReadable();
            reactor.advance(Duration.ofNanos(500_000));
        }
        int budget = NeighbourTable.DEFAULT_REQUESTS_PER_SECOND * 11;
        assertThat(solicitationsWritten(tunnel)).isPositive().isLessThanOrEqualTo(budget);
        assertThat(written(tunnel, EthernetHeader.TYPE_IPV6, PEER_MAC)).isEqualTo(pings);
    }

    @Test
    void theAnswerToOurRequestIsTakenOnlyOnce() throws Exception {
        IpHost host = IpHost.onTap(OUR_MAC).address("10.77.1.2/24");
        MemoryTunnel tunnel = start(host, "jtap0");
        feed(tunnel, frame(PEER_MAC, OUR_MAC.bytes(), 0x0800, ping("10.77.1.1", "10.77.1.2")));
        feed(tunnel, frame(PEER_MAC, OUR_MAC.bytes(), 0x0806,
            StackPackets.arp(2, PEER_MAC, "10.77.1.1", OUR_MAC.bytes(), "10.77.1.2")));
        feed(tunnel, frame(FORGER_MAC, OUR_MAC.bytes(), 0x0806,
            StackPackets.arp(2, FORGER_MAC, "10.77.1.1", OUR_MAC.bytes(), "10.77.1.2")));
        assertThat(host.arp().repliesReceived()).isEqualTo(1);
        assertThat(host.arp().drops().get(ArpDrop.CONFLICTING_MAC)).isEqualTo(1);
        assertThat(destinationMac(tunnel.writeBuffer().get(1))).isEqualTo(MacAddress.of(PEER_MAC).value());
    }

    @Test
    void gratuitousArpForAnUnknownAddressAddsNothing() throws Exception {
        IpHost host = IpHost.onTap(OUR_MAC).address("10.77.1.2/24");
        MemoryTunnel tunnel = start(host, "jtap0");
        feed(tunnel, frame(FORGER_MAC, BROADCAST, 0x0806, StackPackets.arp(1, FORGER_MAC, "10.77.1.1", new byte[6], "10.77.1.1")));
        feed(tunnel, frame(FORGER_MAC, BROADCAST, 0x0806, StackPackets.arp(2, FORGER_MAC, "10.77.1.1", BROADCAST, "10.77.1.1")));
        assertThat(host.arp().table().size()).isZero();
        assertThat(host.arp().drops().get(ArpDrop.NOT_FOR_US)).isEqualTo(2);
        assertThat(tunnel.writeBuffer()).isEmpty();
    }

    @Test
    void gratuitousArpRepeatingAKnownMacRefreshesTheEntry() throws Exception {
        IpHost host = IpHost.onTap(OUR_MAC).address("10.77.1.2/24");
        MemoryTunnel tunnel = start(host, "jtap0");
        feed(tunnel, frame(PEER_MAC, BROADCAST, 0x0806, StackPackets.arp(1, PEER_MAC, "10.77.1.1", new byte[6], "10.77.1.2")));
        reactor.advance(Duration.ofMinutes(4));
        feed(tunnel, frame(PEER_MAC, BROADCAST, 0x0806, StackPackets.arp(1, PEER_MAC, "10.77.1.1", new byte[6], "10.77.1.1")));
        reactor.advance(Duration.ofMinutes(4));
        assertThat(host.arp().announcementsAccepted()).isEqualTo(1);
        assertThat(host.arp().table().lookup(0, NeighbourTable.ipv4Key(Ipv4Header.parse("10.77.1.1")), reactor.nanoTime()))
            .isEqualTo(MacAddress.of(PEER_MAC).value());
    }

    @Test
    void arpFromAGroupMacIsDropped() throws Exception {
        IpHost host = IpHost.onTap(OUR_MAC).address("10.77.1.2/24");
        MemoryTunnel tunnel = start(host, "jtap0");
        feed(tunnel, frame(PEER_MAC, BROADCAST, 0x0806, StackPackets.arp(1, BROADCAST, "10.77.1.1", new byte[6], "10.77.1.2")));
        assertThat(host.arp().drops().get(ArpDrop.GROUP_SENDER)).isEqualTo(1);
        assertThat(tunnel.writeBuffer()).isEmpty();
    }

    @Test
    void arpFromAnOffLinkSenderIsDroppedNotAnsweredAndNotLearned() throws Exception {
        IpHost host = IpHost.onTap(OUR_MAC).address("10.77.1.2/24");
        MemoryTunnel tunnel = start(host, "jtap0");
        int before = tunnel.writeBuffer().size();
        feed(tunnel, frame(PEER_MAC, BROADCAST, 0x0806, StackPackets.arp(1, PEER_MAC, "192.0.2.9", new byte[6], "10.77.1.2")));
        assertThat(host.arp().drops().get(ArpDrop.OFF_LINK_SENDER)).isEqualTo(1);
        assertThat(tunnel.writeBuffer()).hasSize(before);
        assertThat(host.arp().table().lookup(0, NeighbourTable.ipv4Key(Ipv4Header.parse("192.0.2.9")), reactor.nanoTime()))
            .isEqualTo(MacAddress.NONE);
    }

    @Test
    void arpFromAnAllZeroMacIsDroppedAndNotAnswered() throws Exception {
        IpHost host = IpHost.onTap(OUR_MAC).address("10.77.1.2/24");
        MemoryTunnel tunnel = start(host, "jtap0");
        feed(tunnel, frame(PEER_MAC, BROADCAST, 0x0806, StackPackets.arp(1, new byte[6], "10.77.1.1", new byte[6], "10.77.1.2")));
        assertThat(host.arp().drops().get(ArpDrop.BAD_SENDER)).isEqualTo(1);
        assertThat(tunnel.writeBuffer()).isEmpty();
    }

    @Test
    void arpFromLoopbackBroadcastOrMulticastSendersIsDroppedAndNothingLearned() throws Exception {
        IpHost host = IpHost.onTap(OUR_MAC).address("10.77.1.2/24");
        MemoryTunnel tunnel = start(host, "jtap0");
        for (String sender : new String[] {"127.0.0.1", "255.255.255.255", "224.0.0.1", "240.0.0.1"}) {
            feed(tunnel, frame(PEER_MAC, BROADCAST, 0x0806, StackPackets.arp(1, PEER_MAC, sender, new byte[6], "10.77.1.2")));
        }
        assertThat(host.arp().drops().get(ArpDrop.BAD_SENDER)).isEqualTo(4);
        assertThat(host.arp().requestsAnswered()).isZero();
        assertThat(tunnel.writeBuffer()).isEmpty();
    }

    @Test
    void anUnsolicitedNeighbourAdvertisementPlantsNothing() throws Exception {
        IpHost host = IpHost.onTap(OUR_MAC).address("fd00:77::2/64");
        MemoryTunnel tunnel = start(host, "jtap0");
        byte[] na = StackPackets.ipv6Icmp("fd00:77::1", "ff02::1", 255,
            StackPackets.neighbourMessage(136, 0x20000000, "fd00:77::1", 2, FORGER_MAC));
        feed(tunnel, frame(FORGER_MAC, new byte[] {0x33, 0x33, 0, 0, 0, 1}, 0x86DD, na));
        assertThat(host.icmpv6().drops().get(IcmpDrop.UNSOLICITED_ADVERTISEMENT)).isEqualTo(1);
        assertThat(host.neighbourDiscovery().table().size()).isZero();
    }

    @Test
    void aNeighbourAdvertisementForOurOwnAddressIsCountedNotTaken() throws Exception {
        IpHost host = IpHost.onTap(OUR_MAC).address("fd00:77::2/64");
        MemoryTunnel tunnel = start(host, "jtap0");
        byte[] na = StackPackets.ipv6Icmp("fd00:77::1", "ff02::1", 255,
            StackPackets.neighbourMessage(136, 0x20000000, "fd00:77::2", 2, FORGER_MAC));
        feed(tunnel, frame(FORGER_MAC, new byte[] {0x33, 0x33, 0, 0, 0, 1}, 0x86DD, na));
        assertThat(host.icmpv6().drops().get(IcmpDrop.FOR_OUR_ADDRESS)).isEqualTo(1);
    }

    @Test
    void theAnswerToOurSolicitationIsTaken() throws Exception {
        IpHost host = IpHost.onTap(OUR_MAC).address("fd00:77::2/64");
        MemoryTunnel tunnel = start(host, "jtap0");
        feed(tunnel, frame(PEER_MAC, OUR_MAC.bytes(), 0x86DD,
            StackPackets.ipv6Icmp("fd00:77::1", "fd00:77::2", 64, StackPackets.icmpv6Echo(128, 1, 1, PAYLOAD))));
        assertThat(host.neighbourDiscovery().solicitationsSent()).isEqualTo(1);
        feed(tunnel, frame(PEER_MAC, OUR_MAC.bytes(), 0x86DD, StackPackets.ipv6Icmp("fd00:77::1", "fd00:77::2", 255,
            StackPackets.neighbourMessage(136, 0x60000000, "fd00:77::1", 2, PEER_MAC))));
        assertThat(host.neighbourDiscovery().advertisementsAccepted()).isEqualTo(1);
        assertThat(tunnel.writeBuffer()).hasSize(2);
        assertThat(destinationMac(tunnel.writeBuffer().get(1))).isEqualTo(MacAddress.of(PEER_MAC).value());
    }

    // ------------------------------------------------------------ bounded state

    @Test
    void aSweepOfSpoofedSourcesKeepsTheCacheAndTheQueueBounded() throws Exception {
        IpHost host = IpHost.onTap(OUR_MAC).address("10.77.0.2/16").address("fd00:77::2/64").icmpRateLimit(0, 0);
        MemoryTunnel tunnel = start(host, "jtap0");
        for (int i = 0; i < 5000; i++) {
            String source = "10.77." + (1 + i / 250) + "." + (1 + i % 250);
            tunnel.readBuffer().add(frame(PEER_MAC, OUR_MAC.bytes(), 0x0800, ping(source, "10.77.0.2")));
            tunnel.readBuffer().add(frame(PEER_MAC, OUR_MAC.bytes(), 0x86DD, StackPackets.ipv6Icmp(
                "fd00:77::" + Integer.toHexString(0x1000 + i), "fd00:77::2", 64, StackPackets.icmpv6Echo(128, 1, i, PAYLOAD))));
            reactor.fireReadable();
            reactor.advance(Duration.ofMillis(1));
        }
        assertThat(host.arp().table().size()).isLessThanOrEqualTo(NeighbourTable.DEFAULT_CAPACITY);
        assertThat(host.neighbourDiscovery().table().size()).isLessThanOrEqualTo(NeighbourTable.DEFAULT_CAPACITY);
        assertThat(host.link().pendingCount()).isLessThanOrEqualTo(EthernetLink.PENDING_CAPACITY);
        assertThat(host.link().pendingDropped()).isGreaterThan(10_000 - EthernetLink.PENDING_CAPACITY - 1);
        // 5 s: each cache's one-second burst plus its budget per second, whatever the number of sources.
        long budget = NeighbourTable.DEFAULT_REQUESTS_PER_SECOND * 6L;
        assertThat(arpRequestsWritten(tunnel)).isLessThanOrEqualTo(budget + IpHost.ANNOUNCEMENTS);
        assertThat(solicitationsWritten(tunnel)).isLessThanOrEqualTo(budget);
    }
}

package io.jpair.ip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpair.testing.ManualClock;
import io.jpair.testing.Packets;
import io.jpair.testing.StackPackets;
import io.jpair.transport.RawPacketProtocol;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * test_ip.py ported (5.2) with real encodings: a 0x45 header, a correct checksum and no
 * fragmentation (Twisted's vectors had the nibbles swapped, a bogus checksum and a fragment).
 */
class IPProtocolTest {
    record Received(String data, String source, String destination, int protocol, int version, int headerLength,
            int tos, int totalLength, int id, int fragmentOffset, boolean dontFragment, boolean moreFragments,
            int ttl) {
    }

    static class Recording implements RawDatagramProtocol {
        final List<Received> received = new ArrayList<>();

        @Override
        public void datagramReceived(ByteBuffer payload, IpPacket packet) {
            byte[] copy = new byte[payload.remaining()];
            payload.get(payload.position(), copy);
            Ipv4Header h = packet.ipv4();
            received.add(new Received(new String(copy, StandardCharsets.US_ASCII),
                packet.sourceAddress().getHostAddress(), packet.destinationAddress().getHostAddress(),
                packet.protocol(), packet.version(), h.headerLength(), h.tos(), h.totalLength(), h.identification(),
                h.fragmentOffset(), h.dontFragment(), h.moreFragments(), h.ttl()));
        }
    }

    /** Twisted's test header, encoded correctly: TOS 7, id 0xDEAD, DF, TTL 0xC0. */
    static byte[] packet(int protocol, String source, String destination, String data) {
        byte[] payload = data.getBytes(StandardCharsets.US_ASCII);
        byte[] p = new byte[20 + payload.length];
        p[0] = 0x45;
        p[1] = 7;
        p[2] = (byte) (p.length >>> 8);
        p[3] = (byte) p.length;
        p[4] = (byte) 0xDE;
        p[5] = (byte) 0xAD;
        p[6] = 0x40;
        p[8] = (byte) 0xC0;
        p[9] = (byte) protocol;
        System.arraycopy(Packets.address(source, 4), 0, p, 12, 4);
        System.arraycopy(Packets.address(destination, 4), 0, p, 16, 4);
        int sum = Packets.checksum(p, 0, 20, 0);
        p[10] = (byte) (sum >>> 8);
        p[11] = (byte) sum;
        System.arraycopy(payload, 0, p, 20, payload.length);
        return p;
    }

    static Received expected(String data, int protocol, String source, String destination) {
        return new Received(data, source, destination, protocol, 4, 20, 7, 20 + data.length(), 0xDEAD, 0, true, false,
            0xC0);
    }

    private static void feed(IPProtocol ip, byte[] packet) {
        ip.datagramReceived(ByteBuffer.wrap(packet), RawPacketProtocol.NO_MAC, RawPacketProtocol.NO_MAC, 0x0800);
    }

    @Test
    void packetParsingDeliversEveryHeaderField() {
        IPProtocol ip = new IPProtocol();
        Recording proto = new Recording();
        ip.addProto(0x0F, proto);
        feed(ip, packet(0x0F, "1.2.3.4", "5.6.7.8", "foobar"));
        assertThat(proto.received).containsExactly(expected("foobar", 0x0F, "1.2.3.4", "5.6.7.8"));
    }

    @Test
    void multiplePacketsArriveInOrder() {
        IPProtocol ip = new IPProtocol();
        Recording proto = new Recording();
        ip.addProto(0x0F, proto);
        feed(ip, packet(0x0F, "1.2.3.4", "5.6.7.8", "foobar"));
        feed(ip, packet(0x0F, "1.2.3.5", "5.6.7.9", "quux"));
        assertThat(proto.received).containsExactly(expected("foobar", 0x0F, "1.2.3.4", "5.6.7.8"),
            expected("quux", 0x0F, "1.2.3.5", "5.6.7.9"));
    }

    @Test
    void multipleSameProtosAllReceiveThePacket() {
        IPProtocol ip = new IPProtocol();
        Recording first = new Recording();
        Recording second = new Recording();
        ip.addProto(0x0F, first);
        ip.addProto(0x0F, second);
        feed(ip, packet(0x0F, "1.2.3.4", "5.6.7.8", "foobar"));
        assertThat(first.received).hasSize(1);
        assertThat(second.received).isEqualTo(first.received);
    }

    @Test
    void wrongProtoNotSeen() {
        IPProtocol ip = new IPProtocol();
        Recording proto = new Recording();
        ip.addProto(1, proto);
        feed(ip, packet(0x0F, "1.2.3.4", "5.6.7.8", "foobar"));
        assertThat(proto.received).isEmpty();
        assertThat(ip.drops().get(IpDrop.UNKNOWN_PROTOCOL)).isEqualTo(1);
    }

    @Test
    void demuxingRoutesEachProtocolNumber() {
        IPProtocol ip = new IPProtocol();
        Recording p15 = new Recording();
        Recording p10 = new Recording();
        ip.addProto(0x0F, p15);
        ip.addProto(0x0A, p10);
        feed(ip, packet(0x0F, "1.2.3.4", "5.6.7.8", "foobar"));
        feed(ip, packet(0x0A, "1.2.3.5", "5.6.7.9", "quux"));
        feed(ip, packet(0x0F, "1.2.3.6", "5.6.7.10", "foobar"));
        feed(ip, packet(0x0A, "1.2.3.7", "5.6.7.11", "quux"));
        assertThat(p15.received).containsExactly(expected("foobar", 0x0F, "1.2.3.4", "5.6.7.8"),
            expected("foobar", 0x0F, "1.2.3.6", "5.6.7.10"));
        assertThat(p10.received).containsExactly(expected("quux", 0x0A, "1.2.3.5", "5.6.7.9"),
            expected("quux", 0x0A, "1.2.3.7", "5.6.7.11"));
    }

    @Test
    void addingNullProtoIsRejected() {
        assertThatThrownBy(() -> new IPProtocol().addProto(42, null)).isInstanceOf(NullPointerException.class)
            .hasMessageContaining("RawDatagramProtocol");
    }

    @Test
    void addingNegativeNumberIsRejected() {
        assertThatThrownBy(() -> new IPProtocol().addProto(-1, new Recording()))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("Added protocol must be positive or zero: -1");
    }

    @Test
    void addingNumber256IsRejectedUnlikeTwisted32BitCheck() {
        assertThatThrownBy(() -> new IPProtocol().addProto(256, new Recording()))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("Added protocol must fit in 8 bits: 256");
    }

    @Test
    void addingLargeNumberIsRejected() {
        assertThatThrownBy(() -> new IPProtocol().addProto(257, new Recording()))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("Added protocol must fit in 8 bits: 257");
    }

    @Test
    void optionsAreSkippedAndPaddingIgnored() {
        IPProtocol ip = new IPProtocol();
        Recording proto = new Recording();
        ip.addProto(0x0F, proto);
        byte[] base = packet(0x0F, "1.2.3.4", "5.6.7.8", "foobar");
        byte[] withOptions = new byte[base.length + 4 + 10]; // 4 bytes of options, 10 bytes of link padding
        System.arraycopy(base, 0, withOptions, 0, 20);
        withOptions[0] = 0x46;
        withOptions[3] = (byte) (base.length + 4);
        withOptions[20] = 1; // NOP options
        withOptions[21] = 1;
        withOptions[22] = 1;
        withOptions[23] = 0;
        withOptions[10] = 0;
        withOptions[11] = 0;
        int sum = Packets.checksum(withOptions, 0, 24, 0);
        withOptions[10] = (byte) (sum >>> 8);
        withOptions[11] = (byte) sum;
        System.arraycopy(base, 20, withOptions, 24, base.length - 20);
        feed(ip, withOptions);
        assertThat(proto.received).singleElement().satisfies(r -> {
            assertThat(r.data()).isEqualTo("foobar");
            assertThat(r.headerLength()).isEqualTo(24);
        });
    }

    @Test
    void malformedIpv4IsDroppedPerReason() {
        IPProtocol ip = new IPProtocol();
        ip.addProto(0x0F, new Recording());
        byte[] good = packet(0x0F, "1.2.3.4", "5.6.7.8", "foobar");
        feed(ip, new byte[0]);
        feed(ip, Arrays.copyOf(good, 19));
        feed(ip, Arrays.copyOf(good, 25));
        byte[] badChecksum = good.clone();
        badChecksum[11] ^= 1;
        feed(ip, badChecksum);
        byte[] fragment = packet(0x0F, "1.2.3.4", "5.6.7.8", "foobar");
        fragment[6] = 0x20; // MF
        refreshChecksum(fragment);
        feed(ip, fragment);
        byte[] shortIhl = good.clone();
        shortIhl[0] = 0x44;
        feed(ip, shortIhl);
        byte[] smallTotal = good.clone();
        smallTotal[3] = 10;
        refreshChecksum(smallTotal);
        feed(ip, smallTotal);
        byte[] version5 = good.clone();
        version5[0] = 0x55;
        feed(ip, version5);
        assertThat(ip.drops().get(IpDrop.TRUNCATED)).isEqualTo(3);
        assertThat(ip.drops().get(IpDrop.BAD_CHECKSUM)).isEqualTo(1);
        assertThat(ip.drops().get(IpDrop.FRAGMENT)).isEqualTo(1);
        assertThat(ip.drops().get(IpDrop.BAD_HEADER_LENGTH)).isEqualTo(1);
        assertThat(ip.drops().get(IpDrop.BAD_TOTAL_LENGTH)).isEqualTo(1);
        assertThat(ip.drops().get(IpDrop.BAD_VERSION)).isEqualTo(1);
        assertThat(ip.packetsDelivered()).isZero();
    }

    private static void refreshChecksum(byte[] p) {
        p[10] = 0;
        p[11] = 0;
        int sum = Packets.checksum(p, 0, (p[0] & 0x0F) * 4, 0);
        p[10] = (byte) (sum >>> 8);
        p[11] = (byte) sum;
    }

    @Test
    void versionMustMatchEtherType() {
        IPProtocol ip = new IPProtocol();
        ip.addProto(0x0F, new Recording());
        ip.datagramReceived(ByteBuffer.wrap(packet(0x0F, "1.2.3.4", "5.6.7.8", "x")), 1, 2, 0x86DD);
        assertThat(ip.drops().get(IpDrop.VERSION_MISMATCH)).isEqualTo(1);
    }

    @Test
    void tunPacketIsDispatchedByVersionNibble() {
        IPProtocol ip = new IPProtocol();
        Recording proto = new Recording();
        ip.addProto(0x0F, proto);
        ip.datagramReceived(ByteBuffer.wrap(packet(0x0F, "1.2.3.4", "5.6.7.8", "tun")));
        assertThat(proto.received).hasSize(1);
    }

    @Test
    void packetsForOtherAddressesAreDroppedOnceAnAddressIsSet() {
        IPProtocol ip = new IPProtocol().addAddress(InetAddress.ofLiteral("10.77.0.2"), 24);
        Recording proto = new Recording();
        ip.addProto(0x0F, proto);
        feed(ip, packet(0x0F, "10.77.0.1", "10.77.0.2", "mine"));
        feed(ip, packet(0x0F, "10.77.0.1", "10.77.0.255", "subnet broadcast"));
        feed(ip, packet(0x0F, "10.77.0.1", "255.255.255.255", "broadcast"));
        feed(ip, packet(0x0F, "10.77.0.1", "10.77.0.3", "theirs"));
        assertThat(proto.received).extracting(Received::data).containsExactly("mine", "subnet broadcast", "broadcast");
        assertThat(ip.drops().get(IpDrop.NOT_FOR_US)).isEqualTo(1);
    }

    @Test
    void ipv6ExtensionHeadersAreSkippedToTheUpperProtocol() {
        IPProtocol ip = new IPProtocol();
        List<String> seen = new ArrayList<>();
        ip.addProto(17, (payload, packet) -> {
            byte[] copy = new byte[payload.remaining()];
            payload.get(payload.position(), copy);
            seen.add(packet.version() + ":" + packet.protocol() + ":" + new String(copy, StandardCharsets.US_ASCII));
        });
        // Hop-by-hop (8 bytes, next = destination options) + destination options (16 bytes, next = UDP).
        byte[] ext = new byte[24 + 3];
        ext[0] = 60;
        ext[1] = 0;
        ext[2] = 1; // PadN
        ext[3] = 4;
        ext[8] = 17;
        ext[9] = 1;
        ext[10] = 1;
        ext[11] = 12;
        ext[24] = 'u';
        ext[25] = 'd';
        ext[26] = 'p';
        byte[] p = StackPackets.ipv6("fd00::1", "fd00::2", 0, 64, ext);
        ip.datagramReceived(ByteBuffer.wrap(p), -1, -1, 0x86DD);
        assertThat(seen).containsExactly("6:17:udp");
    }

    @Test
    void ipv6FragmentsAreDroppedButAtomicFragmentsDelivered() {
        IPProtocol ip = new IPProtocol();
        Recording proto = new Recording();
        List<Integer> seen = new ArrayList<>();
        ip.addProto(17, (payload, packet) -> seen.add(payload.remaining()));
        byte[] fragment = new byte[8 + 4];
        fragment[0] = 17;
        fragment[3] = 1; // M flag
        ip.datagramReceived(ByteBuffer.wrap(StackPackets.ipv6("fd00::1", "fd00::2", 44, 64, fragment)), -1, -1, 0);
        byte[] atomic = new byte[8 + 4];
        atomic[0] = 17;
        ip.datagramReceived(ByteBuffer.wrap(StackPackets.ipv6("fd00::1", "fd00::2", 44, 64, atomic)), -1, -1, 0);
        assertThat(ip.drops().get(IpDrop.FRAGMENT)).isEqualTo(1);
        assertThat(seen).containsExactly(4);
        assertThat(proto.received).isEmpty();
    }

    @Test
    void ipv6PayloadLengthBoundsThePayloadAndTruncationIsCounted() {
        IPProtocol ip = new IPProtocol();
        List<Integer> seen = new ArrayList<>();
        ip.addProto(17, (payload, packet) -> seen.add(payload.remaining()));
        byte[] p = StackPackets.ipv6("fd00::1", "fd00::2", 17, 64, new byte[5]);
        ip.datagramReceived(ByteBuffer.wrap(Arrays.copyOf(p, p.length + 7)), -1, -1, 0);
        ip.datagramReceived(ByteBuffer.wrap(Arrays.copyOf(p, p.length - 1)), -1, -1, 0);
        ip.datagramReceived(ByteBuffer.wrap(StackPackets.ipv6("fd00::1", "fd00::2", 59, 64, new byte[0])), -1, -1, 0);
        assertThat(seen).containsExactly(5);
        assertThat(ip.drops().get(IpDrop.TRUNCATED)).isEqualTo(1);
        assertThat(ip.drops().get(IpDrop.NO_NEXT_HEADER)).isEqualTo(1);
    }

    @Test
    void throwingProtocolIsCountedAndOthersStillReceive() {
        IPProtocol ip = new IPProtocol();
        Recording after = new Recording();
        ip.addProto(0x0F, (payload, packet) -> {
            throw new IllegalStateException("boom");
        });
        ip.addProto(0x0F, after);
        feed(ip, packet(0x0F, "1.2.3.4", "5.6.7.8", "foobar"));
        assertThat(after.received).hasSize(1);
        assertThat(ip.drops().get(IpDrop.PROTOCOL_FAILED)).isEqualTo(1);
    }

    @Test
    void removedProtoNoLongerReceives() {
        IPProtocol ip = new IPProtocol();
        Recording proto = new Recording();
        ip.addProto(0x0F, proto);
        assertThat(ip.removeProto(0x0F, proto)).isTrue();
        feed(ip, packet(0x0F, "1.2.3.4", "5.6.7.8", "foobar"));
        assertThat(proto.received).isEmpty();
    }

    @Test
    void sendWithoutLinkOrPortIsCountedNotThrown() {
        IPProtocol ip = new IPProtocol();
        assertThat(ip.send(ByteBuffer.allocate(64), 16, 20)).isFalse();
        assertThat(ip.drops().get(IpDrop.NO_LINK)).isEqualTo(1);
    }

    @Test
    void selectSourceTakesTheLocalDestinationElseThePrimaryAddressOfTheSameVersion() throws Exception {
        IPProtocol ip = new IPProtocol();
        ip.addAddress(InetAddress.ofLiteral("10.77.0.2"), 24);
        ip.addAddress(InetAddress.ofLiteral("10.77.0.3"), 24);
        SourceAddress source = new SourceAddress();
        IpPacket toSecond = new IpPacket().wrap(ByteBuffer.wrap(Packets.ipv4("10.77.0.1", "10.77.0.3", 17, new byte[8])), 0);
        assertThat(ip.selectSource(toSecond, source)).isTrue();
        assertThat(Ipv4Header.format(source.ipv4())).isEqualTo("10.77.0.3");
        IpPacket toBroadcast = new IpPacket().wrap(ByteBuffer.wrap(Packets.ipv4("10.77.0.1", "10.77.0.255", 17,
            new byte[8])), 0);
        assertThat(ip.selectSource(toBroadcast, source)).isFalse();
        assertThat(Ipv4Header.format(source.ipv4())).isEqualTo("10.77.0.2");
        assertThat(source.isSpecified()).isTrue();
        IpPacket ipv6 = new IpPacket().wrap(ByteBuffer.wrap(StackPackets.ipv6Icmp("fd00:77::1", "ff02::1", 64,
            new byte[8])), 0);
        assertThat(ip.selectSource(ipv6, source)).as("no IPv6 address of ours").isFalse();
        assertThat(source.version()).isEqualTo(6);
        assertThat(source.isSpecified()).isFalse();
    }

    @Test
    void icmpv6WithoutNeighbourDiscoveryCountsNeighbourMessagesAsNoLinkLayer() {
        IPProtocol ip = new IPProtocol();
        Icmpv6Protocol icmpv6 = new Icmpv6Protocol(ip, new ManualClock());
        ip.addProto(IPProtocol.ICMPV6, icmpv6);
        ip.datagramReceived(ByteBuffer.wrap(StackPackets.ipv6Icmp("fd00:77::1", "ff02::1:ff00:2", 255,
            StackPackets.neighbourMessage(135, 0, "fd00:77::2", 1, new byte[] {2, 0, 0, 0x77, 0, 1}))));
        assertThat(icmpv6.drops().get(IcmpDrop.NO_LINK_LAYER)).isEqualTo(1);
        assertThat(icmpv6.messagesReceived()).isEqualTo(1);
    }

    @Test
    void echoRateLimitRunsOnTheClockTheProtocolIsGiven() {
        IPProtocol ip = new IPProtocol();
        ip.addAddress(InetAddress.ofLiteral("10.77.0.2"), 24);
        ManualClock clock = new ManualClock();
        IcmpProtocol icmp = new IcmpProtocol(ip, clock);
        icmp.rateLimit(new TokenBucket(1, 1));
        ip.addProto(IPProtocol.ICMP, icmp);
        byte[] ping = Packets.ipv4("10.77.0.1", "10.77.0.2", 1, StackPackets.icmpEcho(8, 1, 1, new byte[4]));
        ip.datagramReceived(ByteBuffer.wrap(ping));
        ip.datagramReceived(ByteBuffer.wrap(ping));
        assertThat(icmp.drops().get(IcmpDrop.RATE_LIMITED)).as("the bucket is empty until the clock moves").isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        ip.datagramReceived(ByteBuffer.wrap(ping));
        assertThat(icmp.drops().get(IcmpDrop.RATE_LIMITED)).isEqualTo(1);
        assertThat(icmp.echoRequests()).isEqualTo(3);
        assertThatThrownBy(() -> new IcmpProtocol(ip, null)).isInstanceOf(NullPointerException.class);
    }
}

package io.jpair.ip;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.ethernet.EthernetHeader;
import io.jpair.ethernet.MacAddress;
import io.jpair.host.IpHost;
import io.jpair.neighbour.ArpPacket;
import io.jpair.testing.Packets;
import io.jpair.udp.UdpHeader;
import io.jpair.wire.InternetChecksum;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of the header views and the demultiplexers: building then parsing gives back every
 * field; built checksums verify (and agree with the reference builder); random bytes fed to every
 * layer never throw and are counted.
 */
class StackProperties {
    @Property
    void ethernetHeaderRoundTrips(@ForAll("mac") long destination, @ForAll("mac") long source,
            @ForAll @IntRange(min = 0x0600, max = 0xFFFF) int etherType, @ForAll @IntRange(max = 4095) int vlan,
            @ForAll @IntRange(max = 7) int priority) {
        ByteBuffer b = ByteBuffer.allocate(32);
        EthernetHeader h = new EthernetHeader().wrap(b, 3);
        assertThat(EthernetHeader.write(b, 3, destination, source, etherType)).isEqualTo(14);
        assertThat(h.destination()).isEqualTo(destination);
        assertThat(h.source()).isEqualTo(source);
        if (etherType != EthernetHeader.TPID_8021Q && etherType != EthernetHeader.TPID_8021AD) {
            assertThat(h.etherType()).isEqualTo(etherType);
            assertThat(h.vlanId()).isEqualTo(-1);
        }
        h.vlan(priority, vlan, etherType);
        assertThat(h.tagged()).isTrue();
        assertThat(h.vlanId()).isEqualTo(vlan);
        assertThat(h.priority()).isEqualTo(priority);
        assertThat(h.etherType()).isEqualTo(etherType);
        assertThat(h.headerLength()).isEqualTo(18);
    }

    @Property
    void arpPacketRoundTrips(@ForAll @IntRange(min = 1, max = 2) int operation, @ForAll("mac") long sha,
            @ForAll int spa, @ForAll("mac") long tha, @ForAll int tpa) {
        ArpPacket a = new ArpPacket().wrap(ByteBuffer.allocate(40), 5).set(operation, sha, spa, tha, tpa);
        assertThat(a.isEthernetIpv4()).isTrue();
        assertThat(a.operation()).isEqualTo(operation);
        assertThat(a.senderHardware()).isEqualTo(sha);
        assertThat(a.senderProtocol()).isEqualTo(spa);
        assertThat(a.targetHardware()).isEqualTo(tha);
        assertThat(a.targetProtocol()).isEqualTo(tpa);
    }

    @Property
    void ipv4HeaderRoundTripsAndItsChecksumVerifies(@ForAll @IntRange(min = 20, max = 65535) int total,
            @ForAll @IntRange(max = 0xFFFF) int id, @ForAll @IntRange(max = 255) int ttl,
            @ForAll @IntRange(max = 255) int protocol, @ForAll int source, @ForAll int destination) {
        ByteBuffer b = ByteBuffer.allocate(40);
        Ipv4Header.write(b, 7, total, id, ttl, protocol, source, destination);
        Ipv4Header h = new Ipv4Header().wrap(b, 7);
        assertThat(h.version()).isEqualTo(4);
        assertThat(h.ihl()).isEqualTo(5);
        assertThat(h.headerLength()).isEqualTo(20);
        assertThat(h.totalLength()).isEqualTo(total);
        assertThat(h.identification()).isEqualTo(id);
        assertThat(h.ttl()).isEqualTo(ttl);
        assertThat(h.protocol()).isEqualTo(protocol);
        assertThat(h.source()).isEqualTo(source);
        assertThat(h.destination()).isEqualTo(destination);
        assertThat(h.dontFragment()).isTrue();
        assertThat(h.isFragment()).isFalse();
        assertThat(h.checksumValid()).isTrue();
        byte[] bytes = new byte[20];
        b.get(7, bytes);
        assertThat(Packets.checksum(bytes, 0, 20, 0)).isZero();
    }

    @Property
    void ipv6HeaderRoundTrips(@ForAll @IntRange(max = 65535) int payloadLength, @ForAll @IntRange(max = 255) int next,
            @ForAll @IntRange(max = 255) int hopLimit, @ForAll long sh, @ForAll long sl, @ForAll long dh,
            @ForAll long dl, @ForAll @IntRange(max = 255) int trafficClass,
            @ForAll @IntRange(max = 0xFFFFF) int flow) {
        ByteBuffer b = ByteBuffer.allocate(48);
        Ipv6Header.write(b, 2, payloadLength, next, hopLimit, sh, sl, dh, dl);
        Ipv6Header h = new Ipv6Header().wrap(b, 2);
        assertThat(h.version()).isEqualTo(6);
        assertThat(h.payloadLength()).isEqualTo(payloadLength);
        assertThat(h.nextHeader()).isEqualTo(next);
        assertThat(h.hopLimit()).isEqualTo(hopLimit);
        assertThat(new long[] {h.sourceHigh(), h.sourceLow(), h.destinationHigh(), h.destinationLow()})
            .containsExactly(sh, sl, dh, dl);
        h.versionClassFlow(trafficClass, flow);
        assertThat(h.version()).isEqualTo(6);
        assertThat(h.trafficClass()).isEqualTo(trafficClass);
        assertThat(h.flowLabel()).isEqualTo(flow);
        assertThat(Ipv6Header.toInetAddress(sh, sl).getAddress()).hasSize(16);
        assertThat(Ipv6Header.high(Ipv6Header.toInetAddress(sh, sl))).isEqualTo(sh);
        assertThat(Ipv6Header.low(Ipv6Header.toInetAddress(sh, sl))).isEqualTo(sl);
    }

    @Property
    void udpChecksumVerifiesOverBothFamiliesAndMatchesTheReference(@ForAll int source, @ForAll int destination,
            @ForAll @IntRange(max = 0xFFFF) int sourcePort, @ForAll @IntRange(max = 0xFFFF) int destinationPort,
            @ForAll @Size(max = 300) byte[] data) {
        int length = 8 + data.length;
        ByteBuffer b = ByteBuffer.allocate(length + 1);
        UdpHeader u = new UdpHeader().wrap(b, 1).sourcePort(sourcePort).destinationPort(destinationPort).length(length);
        b.put(9, data);
        long pseudo = InternetChecksum.pseudoHeaderIpv4(source, destination, 17, length);
        u.computeChecksum(pseudo);
        assertThat(u.checksum()).isNotZero();
        assertThat(u.checksumValid(pseudo)).isTrue();
        assertThat(u.sourcePort()).isEqualTo(sourcePort);
        assertThat(u.destinationPort()).isEqualTo(destinationPort);
        byte[] reference = Packets.ipv4Udp(Ipv4Header.format(source), sourcePort, Ipv4Header.format(destination),
            destinationPort, data);
        byte[] ours = new byte[length];
        b.get(1, ours);
        assertThat(ours).isEqualTo(Arrays.copyOfRange(reference, 20, reference.length));
        long pseudo6 = InternetChecksum.pseudoHeaderIpv6(source, destination, ~source, 7L * destination, 17, length);
        u.computeChecksum(pseudo6);
        assertThat(u.checksumValid(pseudo6)).isTrue();
    }

    @Property
    void checksumIsTheSameWhateverTheBufferOrderAndOffset(@ForAll @Size(max = 200) byte[] data,
            @ForAll @IntRange(max = 7) int offset) {
        ByteBuffer big = ByteBuffer.allocate(data.length + 8);
        big.put(offset, data);
        ByteBuffer little = ByteBuffer.allocateDirect(data.length + 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        little.put(offset, data);
        int expected = Packets.checksum(data, 0, data.length, 0);
        assertThat(InternetChecksum.checksum(big, offset, data.length, 0)).isEqualTo(expected);
        assertThat(InternetChecksum.checksum(little, offset, data.length, 0)).isEqualTo(expected);
    }

    @Provide
    Arbitrary<Long> mac() {
        return Arbitraries.longs().between(0, MacAddress.BROADCAST_VALUE);
    }

    @Provide
    Arbitrary<byte[]> junk() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        // Mostly plausible starts, so the deeper layers are reached, not just the first length check.
        Arbitrary<byte[]> ipLike = Combinators.combine(Arbitraries.of(0x45, 0x46, 0x4F, 0x60, 0x41, 0x00, 0xF0),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(120)).as((first, rest) -> {
                byte[] p = Arrays.copyOf(new byte[] {(byte) (int) first}, 1 + rest.length);
                System.arraycopy(rest, 0, p, 1, rest.length);
                return p;
            });
        return Arbitraries.oneOf(random, ipLike);
    }

    @Property(tries = 2000)
    void randomBytesNeverThrowFromAnyLayerAndAreCounted(@ForAll("junk") byte[] bytes,
            @ForAll @IntRange(min = 0, max = 5) int layer) {
        IpHost tap = IpHost.onTap(MacAddress.parse("02:00:00:77:00:02")).address("10.77.1.2/24").address("fd00:77::2/64");
        IpHost tun = IpHost.onTun().address("10.77.0.2/24").address("fd00:77::2/64");
        IpPacket context = new IpPacket();
        ByteBuffer b = ByteBuffer.wrap(bytes);
        switch (layer) {
            case 0 -> tap.ethernet().datagramReceived(b);
            case 1 -> tun.ip().datagramReceived(b);
            case 2 -> tap.arp().datagramReceived(b, -1, -1, 0x0806);
            default -> {
                // Upper layers behind a valid IPv4/IPv6 header, with the random bytes as payload.
                byte[] packet = layer == 5
                    ? io.jpair.testing.StackPackets.ipv6("fd00:77::1", "fd00:77::2", 58, 255, bytes)
                    : Packets.ipv4("10.77.0.1", "10.77.0.2", layer == 3 ? 17 : 1, bytes);
                ByteBuffer p = ByteBuffer.wrap(packet);
                context.wrap(p, 0);
                p.position(context.payloadOffset()).limit(context.payloadOffset() + context.payloadLength());
                List<RawDatagramProtocol> targets = List.of(tun.udp(), tun.icmp(), tun.icmpv6());
                targets.get(layer - 3).datagramReceived(p, context);
            }
        }
        long counted = tap.counters().values().stream().mapToLong(Long::longValue).sum()
            + tun.counters().values().stream().mapToLong(Long::longValue).sum();
        assertThat(counted).as("every input leaves a trace in some counter").isPositive();
    }
}

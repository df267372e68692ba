package io.jpair.ip;

import static io.jpair.ip.FragmentBench.ipv4;
import static io.jpair.ip.FragmentBench.ipv6;
import static io.jpair.ip.FragmentBench.join;
import static io.jpair.ip.FragmentBench.pattern;
import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.wire.InternetChecksum;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * {@link IPProtocol#sendFragmentable} cuts packets longer than the link or path MTU into fragments: IPv4 (RFC
 * 791: offsets in 8-byte units, MF on all but the last, one identification, valid header
 * checksums) and IPv6 (RFC 8200: a fragment header, never below 1280), and leaves the rest whole.
 */
class FragmentationTest {
    private final FragmentBench bench = new FragmentBench();

    private void send(byte[] packet) {
        ByteBuffer b = ByteBuffer.allocateDirect(IpLink.HEADROOM + packet.length);
        b.put(IpLink.HEADROOM, packet);
        assertThat(bench.ip.sendFragmentable(b, IpLink.HEADROOM, packet.length)).isTrue();
    }

    private static byte[] outbound(byte[] packet) {
        // our packets: from 10.77.0.2 to 10.77.0.1, DF set as Ipv4Header.write sets it
        byte[] p = packet.clone();
        ByteBuffer b = ByteBuffer.wrap(p);
        b.putShort(6, (short) Ipv4Header.FLAG_DONT_FRAGMENT).putShort(10, (short) 0);
        b.putShort(10, (short) InternetChecksum.checksum(b, 0, 20, 0));
        return p;
    }

    @Test
    void aPacketWithinTheMtuLeavesWhole() {
        byte[] packet = outbound(ipv4("10.77.0.1", 99, 5, pattern(1480)));
        send(packet);
        assertThat(bench.sent).containsExactly(packet);
        assertThat(bench.ip.fragmentsSent()).isZero();
    }

    @Test
    void a3000ByteIpv4PacketLeavesInThreeFragmentsOfAtMost1500Bytes() {
        byte[] packet = outbound(ipv4("10.77.0.1", 99, 5, pattern(3000)));
        send(packet);
        assertThat(bench.sent).hasSize(3);
        int[] offsets = new int[3];
        for (int i = 0; i < 3; i++) {
            ByteBuffer f = ByteBuffer.wrap(bench.sent.get(i));
            assertThat(f.capacity()).isLessThanOrEqualTo(1500);
            assertThat(f.getShort(2) & 0xFFFF).isEqualTo(f.capacity());
            assertThat(f.getShort(4)).as("one identification").isEqualTo((short) 5);
            assertThat(InternetChecksum.checksum(f, 0, 20, 0)).as("header checksum").isZero();
            int field = f.getShort(6) & 0xFFFF;
            assertThat(field & Ipv4Header.FLAG_DONT_FRAGMENT).as("DF cleared").isZero();
            assertThat((field & Ipv4Header.FLAG_MORE_FRAGMENTS) != 0).isEqualTo(i < 2);
            offsets[i] = (field & 0x1FFF) * 8;
        }
        assertThat(offsets).containsExactly(0, 1480, 2960);
        assertThat(bench.sent.get(2)).hasSize(20 + 40);
        byte[] rejoined = join(bench.sent);
        assertThat(java.util.Arrays.copyOfRange(rejoined, 20, rejoined.length))
            .isEqualTo(java.util.Arrays.copyOfRange(packet, 20, packet.length));
    }

    @Test
    void a3000ByteIpv6PacketLeavesWithFragmentHeaders() {
        byte[] packet = ipv6("fd00:77::1", 99, pattern(3000));
        send(packet);
        assertThat(bench.sent).hasSize(3);
        int id = ByteBuffer.wrap(bench.sent.get(0)).getInt(44);
        int expected = 0;
        for (int i = 0; i < 3; i++) {
            ByteBuffer f = ByteBuffer.wrap(bench.sent.get(i));
            assertThat(f.capacity()).isLessThanOrEqualTo(1500);
            assertThat(f.get(6)).isEqualTo((byte) Ipv6Header.FRAGMENT);
            assertThat(f.get(40)).as("the original next header").isEqualTo((byte) 99);
            assertThat(f.getShort(4) & 0xFFFF).isEqualTo(f.capacity() - 40);
            assertThat(f.getInt(44)).isEqualTo(id);
            int field = f.getShort(42) & 0xFFFF;
            assertThat(field & 0xFFF8).isEqualTo(expected);
            assertThat(field & 1).isEqualTo(i < 2 ? 1 : 0);
            expected += f.capacity() - 48;
        }
        assertThat(join(bench.sent)).isEqualTo(packet);
    }

    @Test
    void twoIpv6DatagramsGetDifferentIdentifications() {
        send(ipv6("fd00:77::1", 99, pattern(2000)));
        send(ipv6("fd00:77::1", 99, pattern(2000)));
        assertThat(ByteBuffer.wrap(bench.sent.get(0)).getInt(44)).isNotEqualTo(ByteBuffer.wrap(bench.sent.get(2)).getInt(44));
    }

    @Test
    void anIpv4PacketWithDfSentThroughSendLeavesWholeAsItsSenderSizedIt() {
        byte[] packet = outbound(ipv4("10.77.0.1", 99, 5, pattern(3000)));
        ByteBuffer b = ByteBuffer.allocateDirect(IpLink.HEADROOM + packet.length);
        b.put(IpLink.HEADROOM, packet);
        assertThat(bench.ip.send(b, IpLink.HEADROOM, packet.length)).isTrue();
        assertThat(bench.sent).containsExactly(packet);
    }

    @Test
    void theLinkMtuIsHonoured() {
        bench.ip.mtu(576);
        send(outbound(ipv4("10.77.0.1", 99, 5, pattern(1000))));
        assertThat(bench.sent).hasSize(2);
        assertThat(bench.sent.get(0)).hasSize(20 + 552);
    }

    @Test
    void ipv6IsNeverCutBelow1280() {
        bench.ip.mtu(576);
        send(ipv6("fd00:77::1", 99, pattern(1240)));
        assertThat(bench.sent).hasSize(1);
    }

    @Test
    void aLearntPathMtuCutsPacketsToThatDestination() {
        PathMtuCache cache = new PathMtuCache(bench.clock);
        bench.ip.pathMtu(cache);
        cache.lowerIpv4(Ipv4Header.parse("10.77.0.2"), 1000);
        send(outbound(ipv4("10.77.0.1", 99, 5, pattern(1400))));
        assertThat(bench.sent).hasSize(2);
        assertThat(bench.sent.get(0).length).isLessThanOrEqualTo(1000);
    }

    @Test
    void fragmentsOfOurOwnReassembleThroughOurReassembler() {
        FragmentBench peer = new FragmentBench().withReassembler();
        byte[] packet = ipv4("10.77.0.1", 99, 5, pattern(5000));
        send(packet);
        bench.sent.forEach(peer::receive);
        assertThat(peer.delivered).containsExactly(pattern(5000));
    }
}

package io.jpair.ip;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.host.IpHost;
import io.jpair.testing.MemoryIOSystem;
import io.jpair.testing.MemoryReactor;
import io.jpair.testing.MemoryTunnel;
import io.jpair.testing.Packets;
import io.jpair.testing.StackPackets;
import io.jpair.udp.DatagramProtocol;
import io.jpair.wire.InternetChecksum;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * IPv4 options and IPv6 extension headers are checked as RFC 791/1122 and RFC 8200 require
 * (issue 15, finding 9): bad option lengths and unknown must-discard options drop the packet,
 * source routes are not honoured, well-formed options are passed over.
 */
class IpOptionsTest {
    private static final byte[] DATA = {'o', 'k'};
    private final MemoryReactor reactor = new MemoryReactor();
    private final MemoryIOSystem system = new MemoryIOSystem();
    private final IpHost host = IpHost.onTun().address("10.77.0.2/24").address("fd00:77::2/64").udp(7, new Echo());

    /** Echoes through the library's reply path. */
    private static final class Echo extends DatagramProtocol {
        @Override
        public void datagramReceived(ByteBuffer payload, IpPacket packet, int sourcePort) {
            transport().reply(payload, packet, sourcePort);
        }
    }

    /** An IPv4/UDP datagram with {@code options} (a multiple of 4 bytes) after the fixed header. */
    private static byte[] ipv4WithOptions(byte... options) {
        byte[] plain = Packets.ipv4Udp("10.77.0.1", 40000, "10.77.0.2", 7, DATA);
        byte[] packet = new byte[plain.length + options.length];
        System.arraycopy(plain, 0, packet, 0, 20);
        System.arraycopy(options, 0, packet, 20, options.length);
        System.arraycopy(plain, 20, packet, 20 + options.length, plain.length - 20);
        ByteBuffer b = ByteBuffer.wrap(packet);
        b.put(0, (byte) (0x40 | (20 + options.length) / 4)).putShort(2, (short) packet.length).putShort(10, (short) 0);
        b.putShort(10, (short) InternetChecksum.checksum(b, 0, 20 + options.length, 0));
        return packet;
    }

    /** An IPv6/UDP datagram with one extension header of {@code type} (8 bytes: next, length 0, body). */
    private static byte[] ipv6WithExtension(int type, byte... body) {
        byte[] plain = StackPackets.ipv6Udp("fd00:77::1", 40000, "fd00:77::2", 7, DATA);
        byte[] packet = new byte[plain.length + 8];
        System.arraycopy(plain, 0, packet, 0, 40);
        packet[40] = 17;
        packet[41] = 0;
        System.arraycopy(body, 0, packet, 42, Math.min(6, body.length));
        System.arraycopy(plain, 40, packet, 48, plain.length - 40);
        ByteBuffer.wrap(packet).putShort(4, (short) (packet.length - 40));
        packet[6] = (byte) type;
        return packet;
    }

    private MemoryTunnel tunnel;

    /** Every UDP echo written so far, after {@code packet} arrived (ICMP errors not counted). */
    private int replies(byte[] packet) throws Exception {
        if (tunnel == null) {
            tunnel = system.getTunnel(host.listen("jt0", reactor, system));
        }
        tunnel.readBuffer().add(packet);
        reactor.fireReadable();
        return (int) tunnel.writeBuffer().stream().filter(p -> protocolOf(p) == 17).count();
    }

    /** The ICMP errors written so far: {type, code, pointer} each. */
    private java.util.List<int[]> errors() {
        java.util.List<int[]> out = new java.util.ArrayList<>();
        for (byte[] p : tunnel.writeBuffer()) {
            int protocol = protocolOf(p);
            int at = (p[0] >> 4) == 4 ? (p[0] & 0x0F) * 4 : 40;
            ByteBuffer b = ByteBuffer.wrap(p);
            if (protocol == 1 && (p[at] & 0xFF) == IcmpHeader.PARAMETER_PROBLEM) {
                out.add(new int[] {p[at] & 0xFF, p[at + 1] & 0xFF, p[at + 4] & 0xFF});
            } else if (protocol == 58 && (p[at] & 0xFF) == IcmpHeader.V6_PARAMETER_PROBLEM) {
                out.add(new int[] {p[at] & 0xFF, p[at + 1] & 0xFF, b.getInt(at + 4)});
            }
        }
        return out;
    }

    private static int protocolOf(byte[] p) {
        return (p[0] >> 4) == 4 ? p[9] & 0xFF : p[6] & 0xFF;
    }

    private long dropped(IpDrop reason) {
        return host.ip().drops().get(reason);
    }

    @Test
    void wellFormedIpv4OptionsArePassedOver() throws Exception {
        // NOP, NOP, record route (type 7, length 7, pointer 4, one empty slot), end of list
        assertThat(replies(ipv4WithOptions((byte) 1, (byte) 1, (byte) 7, (byte) 7, (byte) 4, (byte) 0, (byte) 0,
            (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0))).isEqualTo(1);
    }

    @Test
    void anIpv4OptionOfLengthZeroDropsThePacket() throws Exception {
        assertThat(replies(ipv4WithOptions((byte) 7, (byte) 0, (byte) 0, (byte) 0))).isZero();
        assertThat(dropped(IpDrop.BAD_OPTION)).isEqualTo(1);
    }

    @Test
    void aBadIpv4OptionLengthIsReportedWithAParameterProblemPointingAtIt() throws Exception {
        replies(ipv4WithOptions((byte) 7, (byte) 0, (byte) 0, (byte) 0));
        assertThat(errors()).singleElement().satisfies(e -> assertThat(e).containsExactly(12, 0, 21));
        assertThat(host.icmp().errorsSent()).isEqualTo(1);
    }

    @Test
    void aSourceRouteIsDroppedSilently() throws Exception {
        replies(ipv4WithOptions((byte) 131, (byte) 7, (byte) 4, (byte) 10, (byte) 77, (byte) 0, (byte) 9, (byte) 0));
        assertThat(errors()).isEmpty();
    }

    @Test
    void aRoutingHeaderWithSegmentsLeftIsReportedPointingAtItsType() throws Exception {
        replies(ipv6WithExtension(43, (byte) 0, (byte) 1, (byte) 0, (byte) 0, (byte) 0, (byte) 0));
        assertThat(errors()).singleElement().satisfies(e -> assertThat(e).containsExactly(4, 0, 42));
    }

    @Test
    void unknownOptionsAreReportedAsTheirActionBitsSay() throws Exception {
        replies(ipv6WithExtension(60, (byte) 0x40, (byte) 4, (byte) 0, (byte) 0, (byte) 0, (byte) 0));
        assertThat(errors()).as("01: discard silently").isEmpty();
        replies(ipv6WithExtension(60, (byte) 0x80, (byte) 4, (byte) 0, (byte) 0, (byte) 0, (byte) 0));
        replies(ipv6WithExtension(60, (byte) 0xC0, (byte) 4, (byte) 0, (byte) 0, (byte) 0, (byte) 0));
        assertThat(errors()).hasSize(2).allSatisfy(e -> assertThat(e).containsExactly(4, 2, 42));
    }

    @Test
    void errorsAreLimitedByOneBucket() throws Exception {
        for (int i = 0; i < 80; i++) {
            replies(ipv4WithOptions((byte) 7, (byte) 0, (byte) 0, (byte) 0));
        }
        assertThat(errors()).hasSize(TokenBucket.DEFAULT_BURST);
        assertThat(host.icmp().drops().get(IcmpDrop.ERROR_RATE_LIMITED)).isEqualTo(80 - TokenBucket.DEFAULT_BURST);
    }

    @Test
    void anIpv4OptionOfLengthOneDropsThePacket() throws Exception {
        assertThat(replies(ipv4WithOptions((byte) 7, (byte) 1, (byte) 0, (byte) 0))).isZero();
        assertThat(dropped(IpDrop.BAD_OPTION)).isEqualTo(1);
    }

    @Test
    void anIpv4OptionRunningPastTheHeaderDropsThePacket() throws Exception {
        assertThat(replies(ipv4WithOptions((byte) 7, (byte) 40, (byte) 4, (byte) 0))).isZero();
        assertThat(dropped(IpDrop.BAD_OPTION)).isEqualTo(1);
    }

    @Test
    void aLooseSourceRouteIsNotHonoured() throws Exception {
        assertThat(replies(ipv4WithOptions((byte) 131, (byte) 7, (byte) 4, (byte) 10, (byte) 77, (byte) 0,
            (byte) 9, (byte) 0))).isZero();
        assertThat(dropped(IpDrop.SOURCE_ROUTED)).isEqualTo(1);
    }

    @Test
    void aStrictSourceRouteIsNotHonoured() throws Exception {
        assertThat(replies(ipv4WithOptions((byte) 137, (byte) 7, (byte) 4, (byte) 10, (byte) 77, (byte) 0,
            (byte) 9, (byte) 0))).isZero();
        assertThat(dropped(IpDrop.SOURCE_ROUTED)).isEqualTo(1);
    }

    @Test
    void aType0RoutingHeaderWithSegmentsLeftIsDroppedNotTreatedAsFinal() throws Exception {
        // routing type 0, segments left 1 (RFC 5095 deprecated RH0)
        assertThat(replies(ipv6WithExtension(43, (byte) 0, (byte) 1, (byte) 0, (byte) 0, (byte) 0, (byte) 0)))
            .isZero();
        assertThat(dropped(IpDrop.SOURCE_ROUTED)).isEqualTo(1);
    }

    @Test
    void aRoutingHeaderWithNoSegmentsLeftIsPassedOver() throws Exception {
        assertThat(replies(ipv6WithExtension(43, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0)))
            .isEqualTo(1);
    }

    @Test
    void anUnknownDestinationOptionWithDiscardBitsDropsThePacket() throws Exception {
        for (int type : new int[] {0x40, 0x80, 0xC0}) {
            // option of that type with 4 data bytes: fills the 6-byte body exactly
            assertThat(replies(ipv6WithExtension(60, (byte) type, (byte) 4, (byte) 0, (byte) 0, (byte) 0, (byte) 0)))
                .as("option type 0x%02x", type).isZero();
        }
        assertThat(dropped(IpDrop.BAD_OPTION)).isEqualTo(3);
    }

    @Test
    void anUnknownDestinationOptionWithSkipBitsIsPassedOver() throws Exception {
        assertThat(replies(ipv6WithExtension(60, (byte) 0x3E, (byte) 4, (byte) 0, (byte) 0, (byte) 0, (byte) 0)))
            .isEqualTo(1);
    }

    @Test
    void paddingOptionsArePassedOver() throws Exception {
        assertThat(replies(ipv6WithExtension(60, (byte) 1, (byte) 4, (byte) 0, (byte) 0, (byte) 0, (byte) 0)))
            .isEqualTo(1);
        assertThat(replies(ipv6WithExtension(60, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0)))
            .isEqualTo(2);
    }

    @Test
    void anOptionRunningPastItsHeaderDropsThePacket() throws Exception {
        assertThat(replies(ipv6WithExtension(60, (byte) 1, (byte) 9, (byte) 0, (byte) 0, (byte) 0, (byte) 0)))
            .isZero();
        assertThat(dropped(IpDrop.BAD_OPTION)).isEqualTo(1);
    }
}

package io.jpair.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests are byte-identical to what {@code ip(8)} sends (captured with
 * {@code strace -e trace=sendmsg -xx ip ...} on iproute2 for index 2, sequence 7), on a
 * little-endian host.
 */
class RtNetlinkRequestTest {
    private final NlMsgWriter writer = new NlMsgWriter(ByteBuffer.allocateDirect(256));

    @BeforeEach
    void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "expected bytes are little-endian");
    }

    private String encoded(int length) {
        return Hex.of(writer.buffer(), length);
    }

    @Test
    void setMtuEncodesLikeIpLinkSetMtu() {
        int length = RtNetlinkRequest.setMtu(writer, 7, 2, 1400);
        // ip link set jn0 mtu 1400
        assertThat(encoded(length)).isEqualTo(Hex.compact(
            "28000000 1000 0500 07000000 00000000"            // nlmsghdr: 40, RTM_NEWLINK, REQUEST|ACK
                + " 00 00 0000 02000000 00000000 00000000"     // ifinfomsg: index 2
                + " 0800 0400 78050000"));                     // IFLA_MTU 1400
    }

    @Test
    void setUpEncodesLikeIpLinkSetUp() {
        int length = RtNetlinkRequest.setUp(writer, 7, 2, true);
        // ip link set jn0 up
        assertThat(encoded(length)).isEqualTo(Hex.compact(
            "20000000 1000 0500 07000000 00000000"
                + " 00 00 0000 02000000 01000000 01000000"));  // flags IFF_UP, change IFF_UP
    }

    @Test
    void setDownClearsOnlyTheUpFlag() {
        int length = RtNetlinkRequest.setUp(writer, 7, 2, false);
        assertThat(encoded(length)).isEqualTo(Hex.compact(
            "20000000 1000 0500 07000000 00000000"
                + " 00 00 0000 02000000 00000000 01000000"));
    }

    @Test
    void newIpv4AddressEncodesLikeIpAddrAdd() throws Exception {
        LinkAddress address = new LinkAddress(InetAddress.getByName("10.7.0.1"), 24);
        int length = RtNetlinkRequest.newAddress(writer, 7, 2, address);
        // ip addr add 10.7.0.1/24 dev jn0
        assertThat(encoded(length)).isEqualTo(Hex.compact(
            "28000000 1400 0506 07000000 00000000"            // 40, RTM_NEWADDR, REQUEST|ACK|EXCL|CREATE
                + " 02 18 00 00 02000000"                      // AF_INET, /24, flags 0, universe, index 2
                + " 0800 0200 0a070001"                        // IFA_LOCAL 10.7.0.1 (network order)
                + " 0800 0100 0a070001"));                     // IFA_ADDRESS
    }

    @Test
    void newIpv6AddressEncodesLikeIpAddrAdd() throws Exception {
        LinkAddress address = new LinkAddress(InetAddress.getByName("fd00::1"), 64);
        int length = RtNetlinkRequest.newAddress(writer, 7, 2, address);
        // ip addr add fd00::1/64 dev jn0
        assertThat(encoded(length)).isEqualTo(Hex.compact(
            "40000000 1400 0506 07000000 00000000"
                + " 0a 40 00 00 02000000"
                + " 1400 0200 fd000000000000000000000000000001"
                + " 1400 0100 fd000000000000000000000000000001"));
    }

    @Test
    void deleteAddressIsTheSameBodyWithoutCreateFlags() throws Exception {
        LinkAddress address = new LinkAddress(InetAddress.getByName("10.7.0.1"), 24);
        int length = RtNetlinkRequest.deleteAddress(writer, 7, 2, address);
        assertThat(encoded(length)).isEqualTo(Hex.compact(
            "28000000 1500 0500 07000000 00000000"
                + " 02 18 00 00 02000000"
                + " 0800 0200 0a070001"
                + " 0800 0100 0a070001"));
    }

    @Test
    void newIpv4RouteEncodesLikeIpRouteAdd() throws Exception {
        LinkAddress prefix = new LinkAddress(InetAddress.getByName("10.8.0.0"), 16);
        int length = RtNetlinkRequest.newRoute(writer, 7, 2, prefix);
        // ip route add 10.8.0.0/16 dev jn0
        assertThat(encoded(length)).isEqualTo(Hex.compact(
            "2c000000 1800 0506 07000000 00000000"            // 44, RTM_NEWROUTE
                + " 02 10 00 00 fe 03 fd 01 00000000"          // AF_INET /16, main, boot, link scope, unicast
                + " 0800 0100 0a080000"                        // RTA_DST
                + " 0800 0400 02000000"));                     // RTA_OIF 2
    }

    @Test
    void newIpv6RouteEncodesLikeIpRouteAdd() throws Exception {
        LinkAddress prefix = new LinkAddress(InetAddress.getByName("fd01::"), 64);
        int length = RtNetlinkRequest.newRoute(writer, 7, 2, prefix);
        // ip -6 route add fd01::/64 dev jn0
        assertThat(encoded(length)).isEqualTo(Hex.compact(
            "38000000 1800 0506 07000000 00000000"
                + " 0a 40 00 00 fe 03 00 01 00000000"          // universe scope for IPv6
                + " 1400 0100 fd010000000000000000000000000000"
                + " 0800 0400 02000000"));
    }

    @Test
    void defaultRouteHasNoDestinationAttribute() throws Exception {
        LinkAddress prefix = new LinkAddress(InetAddress.getByName("0.0.0.0"), 0);
        int length = RtNetlinkRequest.newRoute(writer, 7, 2, prefix);
        assertThat(encoded(length)).isEqualTo(Hex.compact(
            "24000000 1800 0506 07000000 00000000"
                + " 02 00 00 00 fe 03 fd 01 00000000"
                + " 0800 0400 02000000"));
    }

    @Test
    void deleteLinkEncodesLikeIpLinkDelete() {
        int length = RtNetlinkRequest.deleteLink(writer, 7, 2);
        // ip link del jn0
        assertThat(encoded(length)).isEqualTo(Hex.compact(
            "20000000 1100 0500 07000000 00000000"
                + " 00 00 0000 02000000 00000000 00000000"));
    }

    @Test
    void getLinkSelectsByNameAndSkipsStatistics() {
        int length = RtNetlinkRequest.getLink(writer, 7, "jn0");
        assertThat(encoded(length)).isEqualTo(Hex.compact(
            "30000000 1200 0500 07000000 00000000"            // 48, RTM_GETLINK, REQUEST|ACK
                + " 00 00 0000 00000000 00000000 00000000"     // index 0: select by name
                + " 0800 1d00 08000000"                        // IFLA_EXT_MASK RTEXT_FILTER_SKIP_STATS
                + " 0800 0300 6a6e3000"));                     // IFLA_IFNAME "jn0\0"
    }

    @Test
    void nameAttributePadsToFourBytes() {
        int length = RtNetlinkRequest.getLink(writer, 7, "jn10");
        assertThat(length).isEqualTo(52);
        assertThat(encoded(length)).endsWith(Hex.compact("0900 0300 6a6e313000 000000"));
    }

    @Test
    void dumpsUseTheDumpFlags() {
        int length = RtNetlinkRequest.dumpAddresses(writer, 7);
        assertThat(encoded(length)).isEqualTo(Hex.compact(
            "18000000 1600 0103 07000000 00000000"            // 24, RTM_GETADDR, REQUEST|ROOT|MATCH
                + " 00 00 00 00 00000000"));
    }

    @Test
    void writerZeroesWhatAnEarlierRequestLeftBehind() {
        RtNetlinkRequest.getLink(writer, 9, "longername");
        int length = RtNetlinkRequest.deleteLink(writer, 7, 2);
        assertThat(encoded(length)).isEqualTo(Hex.compact(
            "20000000 1100 0500 07000000 00000000"
                + " 00 00 0000 02000000 00000000 00000000"));
    }
}

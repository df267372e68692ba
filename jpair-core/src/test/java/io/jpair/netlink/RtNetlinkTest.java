package io.jpair.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.testing.MemoryNetlink;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RtNetlink} on {@link MemoryNetlink}: the requests each operation sends, how kernel
 * refusals become one-line {@link ErrnoException}s, and how replies and dumps are read. No root.
 */
class RtNetlinkTest {
    private static final int REQUEST_ACK = NlMsgHdr.NLM_F_REQUEST | NlMsgHdr.NLM_F_ACK;
    private static final int PORT = MemoryNetlink.FIRST_PORT_ID;

    private final MemoryNetlink kernel = new MemoryNetlink();
    private int jn0;
    private RtNetlink rtnl;

    @BeforeEach
    void openOnALinkJn0() throws Exception {
        jn0 = kernel.addLink("jn0", 1500);
        rtnl = RtNetlink.open(kernel);
    }

    @AfterEach
    void close() {
        rtnl.close();
    }

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    private MemoryNetlink.Channel channel() {
        return kernel.openChannels().getFirst();
    }

    private void deliver(byte[]... messages) {
        byte[] datagram = new byte[KernelMessages.length(messages)];
        KernelMessages.datagram(messages).get(0, datagram);
        channel().deliver(datagram);
    }

    // ---------------------------------------------------------------- requests

    @Test
    void openOpensOneBlockingChannelInNoGroup() {
        assertThat(kernel.openChannels()).singleElement().satisfies(channel -> {
            assertThat(channel.groups()).isZero();
            assertThat(channel.nonBlocking()).isFalse();
        });
    }

    @Test
    void linkLooksTheLinkUpByNameWithoutStatisticsThenDumpsAddresses() throws Exception {
        rtnl.link("jn0");
        List<MemoryNetlink.Request> sent = kernel.requests();
        assertThat(sent).extracting(MemoryNetlink.Request::type).containsExactly(RtmType.RTM_GETLINK, RtmType.RTM_GETADDR);
        MemoryNetlink.Request getLink = sent.getFirst();
        assertThat(getLink.flags()).isEqualTo(REQUEST_ACK);
        assertThat(getLink.ifInfo().index()).isZero();
        assertThat(getLink.stringAttribute(IfInfoMsg.IFLA_IFNAME)).isEqualTo("jn0");
        assertThat(getLink.intAttribute(IfInfoMsg.IFLA_EXT_MASK)).isEqualTo(IfInfoMsg.RTEXT_FILTER_SKIP_STATS);
        assertThat(sent.get(1).flags()).isEqualTo(NlMsgHdr.NLM_F_REQUEST | NlMsgHdr.NLM_F_DUMP);
    }

    @Test
    void eachRequestHasTheNextSequenceNumber() throws Exception {
        rtnl.link("jn0");
        rtnl.linkIndex("jn0");
        assertThat(kernel.requests()).extracting(MemoryNetlink.Request::sequence).containsExactly(1, 2, 3);
    }

    @Test
    void setLinkUpSendsNewLinkChangingOnlyIffUp() throws Exception {
        rtnl.setLinkUp("jn0", true);
        MemoryNetlink.Request request = kernel.lastRequest();
        assertThat(request.type()).isEqualTo(RtmType.RTM_NEWLINK);
        assertThat(request.flags()).isEqualTo(REQUEST_ACK);
        assertThat(request.ifInfo().index()).isEqualTo(jn0);
        assertThat(request.ifInfo().flags()).isEqualTo(IfInfoMsg.IFF_UP);
        assertThat(request.ifInfo().change()).isEqualTo(IfInfoMsg.IFF_UP);
        assertThat(request.attributeTypes()).isEmpty();
        assertThat(kernel.link("jn0").up()).isTrue();
    }

    @Test
    void setLinkDownClearsIffUpUnderTheSameMask() throws Exception {
        kernel.setLinkUp("jn0", true);
        rtnl.setLinkUp("jn0", false);
        assertThat(kernel.lastRequest().ifInfo().flags()).isZero();
        assertThat(kernel.lastRequest().ifInfo().change()).isEqualTo(IfInfoMsg.IFF_UP);
        assertThat(kernel.link("jn0").up()).isFalse();
    }

    @Test
    void setMtuSendsNewLinkWithOnlyIflaMtu() throws Exception {
        rtnl.setMtu("jn0", 1400);
        MemoryNetlink.Request request = kernel.lastRequest();
        assertThat(request.type()).isEqualTo(RtmType.RTM_NEWLINK);
        assertThat(request.ifInfo().index()).isEqualTo(jn0);
        assertThat(request.ifInfo().change()).isZero();
        assertThat(request.attributeTypes()).containsExactly(IfInfoMsg.IFLA_MTU);
        assertThat(request.intAttribute(IfInfoMsg.IFLA_MTU)).isEqualTo(1400);
        assertThat(kernel.link("jn0").mtu()).isEqualTo(1400);
    }

    @Test
    void deleteLinkSendsDelLinkByIndex() throws Exception {
        rtnl.deleteLink("jn0");
        MemoryNetlink.Request request = kernel.lastRequest();
        assertThat(request.type()).isEqualTo(RtmType.RTM_DELLINK);
        assertThat(request.flags()).isEqualTo(REQUEST_ACK);
        assertThat(request.ifInfo().index()).isEqualTo(jn0);
        assertThat(kernel.hasLink("jn0")).isFalse();
    }

    @Test
    void addAddressSendsNewAddrExclusiveWithLocalAndAddress() throws Exception {
        rtnl.addAddress("jn0", ip("10.7.0.1"), 24);
        MemoryNetlink.Request request = kernel.lastRequest();
        assertThat(request.type()).isEqualTo(RtmType.RTM_NEWADDR);
        assertThat(request.flags()).isEqualTo(REQUEST_ACK | NlMsgHdr.NLM_F_CREATE | NlMsgHdr.NLM_F_EXCL);
        IfAddrMsg body = request.ifAddr();
        assertThat(body.family()).isEqualTo(IfAddrMsg.AF_INET);
        assertThat(body.prefixLength()).isEqualTo(24);
        assertThat(body.scope()).isEqualTo(IfAddrMsg.RT_SCOPE_UNIVERSE);
        assertThat(body.index()).isEqualTo(jn0);
        assertThat(request.attributeTypes()).containsExactly(IfAddrMsg.IFA_LOCAL, IfAddrMsg.IFA_ADDRESS);
        assertThat(request.addressAttribute(IfAddrMsg.IFA_LOCAL)).isEqualTo(ip("10.7.0.1"));
        assertThat(request.addressAttribute(IfAddrMsg.IFA_ADDRESS)).isEqualTo(ip("10.7.0.1"));
        assertThat(kernel.link("jn0").addresses()).containsExactly(LinkAddress.parse("10.7.0.1/24"));
    }

    @Test
    void addIpv6AddressSendsFamilyInet6() throws Exception {
        rtnl.addAddress("jn0", ip("fd00:7::1"), 64);
        assertThat(kernel.lastRequest().ifAddr().family()).isEqualTo(IfAddrMsg.AF_INET6);
        assertThat(kernel.lastRequest().addressAttribute(IfAddrMsg.IFA_LOCAL)).isEqualTo(ip("fd00:7::1"));
    }

    @Test
    void removeAddressSendsDelAddrWithoutCreateFlags() throws Exception {
        rtnl.addAddress("jn0", ip("10.7.0.1"), 24);
        rtnl.removeAddress("jn0", ip("10.7.0.1"), 24);
        MemoryNetlink.Request request = kernel.lastRequest();
        assertThat(request.type()).isEqualTo(RtmType.RTM_DELADDR);
        assertThat(request.flags()).isEqualTo(REQUEST_ACK);
        assertThat(request.ifAddr().prefixLength()).isEqualTo(24);
        assertThat(kernel.link("jn0").addresses()).isEmpty();
    }

    @Test
    void addRouteSendsNewRouteInTheMainTableWithLinkScopeForIpv4() throws Exception {
        kernel.setLinkUp("jn0", true);
        rtnl.addRoute(ip("10.8.3.4"), 16, "jn0");
        MemoryNetlink.Request request = kernel.lastRequest();
        assertThat(request.type()).isEqualTo(RtmType.RTM_NEWROUTE);
        assertThat(request.flags()).isEqualTo(REQUEST_ACK | NlMsgHdr.NLM_F_CREATE | NlMsgHdr.NLM_F_EXCL);
        RtMsg body = request.rtMsg();
        assertThat(body.family()).isEqualTo(IfAddrMsg.AF_INET);
        assertThat(body.destinationLength()).isEqualTo(16);
        assertThat(body.table()).isEqualTo(RtMsg.RT_TABLE_MAIN);
        assertThat(body.protocol()).isEqualTo(RtMsg.RTPROT_BOOT);
        assertThat(body.scope()).isEqualTo(IfAddrMsg.RT_SCOPE_LINK);
        assertThat(body.type()).isEqualTo(RtMsg.RTN_UNICAST);
        assertThat(request.addressAttribute(RtMsg.RTA_DST)).isEqualTo(ip("10.8.0.0"));
        assertThat(request.intAttribute(RtMsg.RTA_OIF)).isEqualTo(jn0);
        assertThat(kernel.routes()).containsExactly("10.8.0.0/16 dev jn0");
    }

    @Test
    void ipv6RouteHasUniverseScope() throws Exception {
        rtnl.addRoute(ip("fd01::"), 64, "jn0");
        assertThat(kernel.lastRequest().rtMsg().scope()).isEqualTo(IfAddrMsg.RT_SCOPE_UNIVERSE);
        assertThat(kernel.routes()).containsExactly("fd01:0:0:0:0:0:0:0/64 dev jn0");
    }

    @Test
    void defaultRouteHasNoDestinationAttribute() throws Exception {
        kernel.setLinkUp("jn0", true);
        rtnl.addRoute(ip("0.0.0.0"), 0, "jn0");
        assertThat(kernel.lastRequest().attributeTypes()).containsExactly(RtMsg.RTA_OIF);
        assertThat(kernel.lastRequest().rtMsg().destinationLength()).isZero();
    }

    @Test
    void deleteRouteSendsDelRouteWithTheSameDestination() throws Exception {
        kernel.setLinkUp("jn0", true);
        rtnl.addRoute(ip("10.8.0.0"), 16, "jn0");
        rtnl.deleteRoute(ip("10.8.0.0"), 16, "jn0");
        MemoryNetlink.Request request = kernel.lastRequest();
        assertThat(request.type()).isEqualTo(RtmType.RTM_DELROUTE);
        assertThat(request.flags()).isEqualTo(REQUEST_ACK);
        assertThat(request.addressAttribute(RtMsg.RTA_DST)).isEqualTo(ip("10.8.0.0"));
        assertThat(kernel.routes()).isEmpty();
    }

    // ---------------------------------------------------------------- refusals

    @Test
    void refusalWithoutPrivilegeIsOneLineNamingDeviceOperationErrnoAndHint() {
        kernel.privileged(false);
        assertThatThrownBy(() -> rtnl.setLinkUp("jn0", true)).isInstanceOf(ErrnoException.class)
            .hasMessage("jn0: RTM_NEWLINK: EPERM (Operation not permitted): needs CAP_NET_ADMIN in the link's"
                + " network namespace (run as root or grant the capability)");
        assertThat(kernel.link("jn0").up()).isFalse();
    }

    @Test
    void readingNeedsNoPrivilege() throws Exception {
        kernel.privileged(false);
        assertThat(rtnl.link("jn0").index()).isEqualTo(jn0);
    }

    @Test
    void unknownDeviceFailsWithEnodevNamingIt() {
        assertThatThrownBy(() -> rtnl.setMtu("jn-absent", 1400)).isInstanceOf(ErrnoException.class)
            .hasMessage("jn-absent: RTM_GETLINK: ENODEV (No such device): no such device");
    }

    @Test
    void presentAddressFailsWithEexistNamingTheAddress() throws Exception {
        rtnl.addAddress("jn0", ip("10.7.0.1"), 24);
        assertThatThrownBy(() -> rtnl.addAddress("jn0", ip("10.7.0.1"), 24)).isInstanceOf(ErrnoException.class)
            .hasMessage("jn0: RTM_NEWADDR: EEXIST (File exists): address 10.7.0.1/24 is already present on the link");
    }

    @Test
    void absentAddressFailsWithEaddrnotavailNamingTheAddress() {
        assertThatThrownBy(() -> rtnl.removeAddress("jn0", ip("10.7.0.1"), 24)).isInstanceOf(ErrnoException.class)
            .hasMessage("jn0: RTM_DELADDR: EADDRNOTAVAIL (Cannot assign requested address): address 10.7.0.1/24"
                + " is not assigned to the link");
    }

    @Test
    void absentRouteFailsWithEsrchNamingTheRoute() {
        assertThatThrownBy(() -> rtnl.deleteRoute(ip("10.8.0.0"), 16, "jn0"))
            .isInstanceOfSatisfying(ErrnoException.class, e -> {
                assertThat(e.operation()).isEqualTo("RTM_DELROUTE");
                assertThat(e.device()).isEqualTo("jn0");
                assertThat(e.errno()).isEqualTo(3);
                assertThat(e.hint()).isEqualTo("no such route 10.8.0.0/16");
            });
    }

    @Test
    void routeOverADownLinkFailsWithEnetdownAndTheKernelsMessage() {
        assertThatThrownBy(() -> rtnl.addRoute(ip("10.8.0.0"), 16, "jn0")).isInstanceOf(ErrnoException.class)
            .hasMessage("jn0: RTM_NEWROUTE: ENETDOWN (Network is down): the link is down"
                + " (kernel: Device for nexthop is not up)");
    }

    @Test
    void mtuTheDeviceRefusesFailsWithEinvalAndTheKernelsMessage() {
        kernel.failNext(RtmType.RTM_NEWLINK, Errno.EINVAL, "MTU greater than device maximum.");
        assertThatThrownBy(() -> rtnl.setMtu("jn0", 9000)).isInstanceOf(ErrnoException.class)
            .hasMessage("jn0: RTM_NEWLINK: EINVAL (Invalid argument): the device refused the value (MTU outside its"
                + " limits?) (kernel: MTU greater than device maximum.)");
        assertThat(kernel.link("jn0").mtu()).isEqualTo(1500);
    }

    @Test
    void ipv6DisabledFailsWithEaccesAndTheIpv6Hint() {
        kernel.disableIpv6("jn0");
        assertThatThrownBy(() -> rtnl.addAddress("jn0", ip("fd00:7::1"), 64)).isInstanceOf(ErrnoException.class)
            .hasMessageStartingWith("jn0: RTM_NEWADDR: EACCES (Permission denied): IPv6 may be disabled on the link")
            .hasMessageEndingWith("(kernel: IPv6 is disabled on this device)");
    }

    @Test
    void undeletableLinkFailsWithEopnotsupp() {
        assertThatThrownBy(() -> rtnl.deleteLink("lo")).isInstanceOf(ErrnoException.class)
            .hasMessage("lo: RTM_DELLINK: EOPNOTSUPP (Operation not supported): the device does not support this"
                + " operation");
    }

    @Test
    void errnoWithoutAHintStillNamesOperationAndDevice() {
        kernel.failNext(RtmType.RTM_DELLINK, Errno.EIO);
        assertThatThrownBy(() -> rtnl.deleteLink("jn0")).isInstanceOf(ErrnoException.class)
            .hasMessage("jn0: RTM_DELLINK: EIO (Input/output error)");
    }

    @Test
    void noReplyFailsWithEtimedout() {
        kernel.ignoreNext(RtmType.RTM_GETLINK);
        assertThatThrownBy(() -> rtnl.linkIndex("jn0")).isInstanceOfSatisfying(ErrnoException.class, e -> {
            assertThat(e.operation()).isEqualTo("RTM_GETLINK");
            assertThat(e.errno()).isEqualTo(110);
            assertThat(e.hint()).isEqualTo("no reply from the kernel within 5000 ms");
        });
    }

    @Test
    void sendFailureIsReportedForTheRequest() {
        channel().failNextSend(Errno.ENOBUFS);
        assertThatThrownBy(() -> rtnl.linkIndex("jn0")).isInstanceOfSatisfying(ErrnoException.class, e -> {
            assertThat(e.operation()).isEqualTo("RTM_GETLINK");
            assertThat(e.errno()).isEqualTo(Errno.ENOBUFS);
        });
        assertThat(kernel.requests()).isEmpty();
    }

    @Test
    void receiveFailureIsReportedForTheRequest() {
        channel().failNextReceive(Errno.EIO);
        assertThatThrownBy(() -> rtnl.linkIndex("jn0")).isInstanceOfSatisfying(ErrnoException.class,
            e -> assertThat(e.errno()).isEqualTo(Errno.EIO));
    }

    @Test
    void failedAddressDumpFailsTheLinkListing() {
        kernel.failNext(RtmType.RTM_GETADDR, Errno.EPERM);
        assertThatThrownBy(() -> rtnl.links()).isInstanceOfSatisfying(ErrnoException.class,
            e -> assertThat(e.operation()).isEqualTo("RTM_GETADDR"));
    }

    // ---------------------------------------------------------------- replies and dumps

    @Test
    void linksGivesEveryLinkInIndexOrderWithItsAddresses() throws Exception {
        int jn1 = kernel.addLink("jn1", 9000);
        rtnl.addAddress("jn1", ip("10.9.0.1"), 24);
        rtnl.addAddress("jn0", ip("fd00:7::1"), 64);
        rtnl.addAddress("jn0", ip("10.7.0.1"), 24);
        assertThat(rtnl.links()).containsExactly(
            new LinkInfo(1, "lo", IfInfoMsg.IFF_LOOPBACK, 65536, 0, 0, List.of()),
            new LinkInfo(jn0, "jn0", kernel.link("jn0").flags(), 1500, 68, 65535,
                List.of(LinkAddress.parse("10.7.0.1/24"), LinkAddress.parse("fd00:7::1/64"))),
            new LinkInfo(jn1, "jn1", kernel.link("jn1").flags(), 9000, 68, 65535,
                List.of(LinkAddress.parse("10.9.0.1/24"))));
    }

    @Test
    void dumpSpreadOverSeveralDatagramsIsReadToDone() throws Exception {
        kernel.addLink("jn1", 1500);
        kernel.addLink("jn2", 1500);
        kernel.dumpMessagesPerDatagram(1);
        assertThat(rtnl.links()).extracting(LinkInfo::name).containsExactly("lo", "jn0", "jn1", "jn2");
        assertThat(channel().pending()).isZero();
    }

    @Test
    void repliesToAnotherSequenceNumberAreIgnored() throws Exception {
        deliver(KernelMessages.error(99, PORT, Errno.EPERM));
        assertThat(rtnl.linkIndex("jn0")).isEqualTo(jn0);
    }

    @Test
    void repliesToAnotherPortAreIgnored() throws Exception {
        deliver(KernelMessages.error(1, PORT + 1, Errno.EPERM));
        assertThat(rtnl.linkIndex("jn0")).isEqualTo(jn0);
    }

    @Test
    void acknowledgementWithoutTheLinkFailsWithEbadmsg() {
        deliver(KernelMessages.error(1, PORT, 0));
        kernel.ignoreNext(RtmType.RTM_GETLINK);
        assertThatThrownBy(() -> rtnl.linkIndex("jn0")).isInstanceOfSatisfying(ErrnoException.class, e -> {
            assertThat(e.errno()).isEqualTo(74);
            assertThat(e.hint()).isEqualTo("the kernel acknowledged without describing the link");
        });
    }

    @Test
    void malformedReplyFailsWithEbadmsg() {
        byte[] garbage = new byte[20];
        garbage[0] = (byte) 0xa0;   // nlmsg_len 4000 in a 20-byte datagram
        garbage[1] = 0x0f;
        channel().deliver(garbage);
        assertThatThrownBy(() -> rtnl.linkIndex("jn0")).isInstanceOfSatisfying(ErrnoException.class, e -> {
            assertThat(e.errno()).isEqualTo(74);
            assertThat(e.hint()).isEqualTo("malformed netlink reply at byte 0");
        });
    }

    @Test
    void replyLongerThanTheBufferFailsWithEmsgsize() {
        channel().deliver(new byte[70_000]);
        assertThatThrownBy(() -> rtnl.linkIndex("jn0")).isInstanceOfSatisfying(ErrnoException.class, e -> {
            assertThat(e.errno()).isEqualTo(Errno.EMSGSIZE);
            assertThat(e.hint()).isEqualTo("a 70000-byte reply did not fit the 65536-byte buffer");
        });
    }

    // ---------------------------------------------------------------- checks before asking the kernel

    @Test
    void invalidNamesAreRefusedBeforeAskingTheKernel() {
        assertThatThrownBy(() -> rtnl.link("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rtnl.link("sixteen-bytes-xx")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("1 to 15 bytes");
        assertThatThrownBy(() -> rtnl.link("a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rtnl.link("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThat(kernel.requests()).isEmpty();
    }

    @Test
    void mtuOutsideTheIpv4RangeIsRefusedBeforeAskingTheKernel() {
        assertThatThrownBy(() -> rtnl.setMtu("jn-absent", 67)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("jn-absent: MTU 67 is outside 68..65535");
        assertThatThrownBy(() -> rtnl.setMtu("jn-absent", 65536)).isInstanceOf(IllegalArgumentException.class);
        assertThat(kernel.requests()).isEmpty();
    }

    @Test
    void mtuBelow1280WithIpv6AddressesIsRefusedBeforeChangingAnything() throws Exception {
        rtnl.addAddress("jn0", ip("fd00:7::1"), 64);
        kernel.clearRequests();
        assertThatThrownBy(() -> rtnl.setMtu("jn0", 1000)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("remove them first");
        assertThat(kernel.requests()).extracting(MemoryNetlink.Request::type)
            .containsExactly(RtmType.RTM_GETLINK, RtmType.RTM_GETADDR);
    }

    @Test
    void closeClosesTheChannelOnce() {
        MemoryNetlink.Channel channel = channel();
        rtnl.close();
        rtnl.close();
        assertThat(channel.isClosed()).isTrue();
        assertThat(kernel.openChannels()).isEmpty();
    }

    @Test
    void readmeExampleHolds() throws Exception {
        MemoryNetlink kernel = new MemoryNetlink();
        kernel.addLink("jtap0", 1500);
        try (RtNetlink rtnl = RtNetlink.open(kernel)) {
            rtnl.addAddress("jtap0", InetAddress.getByName("10.77.1.1"), 24);
            rtnl.setLinkUp("jtap0", true);
        }
        assertThat(kernel.link("jtap0").up()).isTrue();
        assertThat(kernel.link("jtap0").addresses()).containsExactly(LinkAddress.parse("10.77.1.1/24"));
        assertThat(kernel.lastRequest().ifInfo().change()).isEqualTo(IfInfoMsg.IFF_UP);
        kernel.privileged(false);
        try (RtNetlink rtnl = RtNetlink.open(kernel)) {
            assertThatThrownBy(() -> rtnl.setLinkUp("jtap0", false)).isInstanceOfSatisfying(ErrnoException.class,
                e -> assertThat(e.errno()).isEqualTo(Errno.EPERM));
        }
    }

    // ---------------------------------------------------------------- hints

    @Test
    void routeDestinationIsMaskedToItsPrefix() throws Exception {
        assertThat(RtNetlink.network(ip("10.8.3.4"), 16)).isEqualTo(LinkAddress.parse("10.8.0.0/16"));
        assertThat(RtNetlink.network(ip("fd01::1:2:3"), 64)).isEqualTo(LinkAddress.parse("fd01::/64"));
        assertThat(RtNetlink.network(ip("10.8.3.4"), 23)).isEqualTo(LinkAddress.parse("10.8.2.0/23"));
    }

    @Test
    void epermHintNamesTheCapability() {
        assertThat(RtNetlink.hint("RTM_NEWLINK", Errno.EPERM, null)).contains("CAP_NET_ADMIN");
    }

    @Test
    void eexistHintSaysTheAddressIsPresent() {
        assertThat(RtNetlink.hint("RTM_NEWADDR", Errno.EEXIST, "10.7.0.1/24"))
            .isEqualTo("address 10.7.0.1/24 is already present on the link");
    }

    @Test
    void enodevHintSaysNoSuchDevice() {
        assertThat(RtNetlink.hint("RTM_GETLINK", Errno.ENODEV, null)).isEqualTo("no such device");
    }

    @Test
    void einvalHintOnMtuMentionsTheDeviceLimits() {
        assertThat(RtNetlink.hint("RTM_NEWLINK", Errno.EINVAL, null)).contains("MTU");
    }
}

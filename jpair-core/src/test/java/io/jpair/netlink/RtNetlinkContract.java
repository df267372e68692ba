package io.jpair.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import java.net.InetAddress;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the kernel does with {@link RtNetlink}'s requests on a fresh TUN link {@code jn0}: run on
 * {@code MemoryNetlink} and on the real kernel, which proves the fake against the kernel
 * (Twisted's {@code TunnelDeviceTestsMixin} pattern).
 */
abstract class RtNetlinkContract {
    static final String DEVICE = "jn0";

    RtNetlink rtnl;

    /** A client of the kernel under test. */
    abstract RtNetlink open() throws Exception;

    /** Creates {@link #DEVICE}: a TUN link, down, MTU 1500. */
    abstract void createDevice() throws Exception;

    /** Removes {@link #DEVICE} if it is still there. */
    abstract void removeDevice();

    /** {@code sysctl net.ipv6.conf.NAME.disable_ipv6=1}. */
    abstract void disableIpv6(String name);

    @BeforeEach
    void openClientOnAFreshDevice() throws Exception {
        createDevice();
        rtnl = open();
    }

    @AfterEach
    void closeClient() {
        rtnl.close();
        removeDevice();
    }

    static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    static void assertErrno(ThrowingCallable call, String operation, int errno) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ErrnoException.class, e -> {
            assertThat(e.operation()).isEqualTo(operation);
            assertThat(e.errno()).isEqualTo(errno);
        });
    }

    @Test
    void freshTunLinkIsDownWithMtu1500AndLimits68To65535() throws Exception {
        LinkInfo link = rtnl.link(DEVICE);
        assertThat(link.up()).isFalse();
        assertThat(link.mtu()).isEqualTo(1500);
        assertThat(link.minMtu()).isEqualTo(68);
        assertThat(link.maxMtu()).isEqualTo(65535);
        assertThat(link.flags() & IfInfoMsg.IFF_POINTOPOINT).isNotZero();
        assertThat(link.addresses()).isEmpty();
    }

    @Test
    void linksListLoopbackFirstThenTheDevice() throws Exception {
        assertThat(rtnl.links()).extracting(LinkInfo::name).startsWith("lo").contains(DEVICE);
        assertThat(rtnl.linkIndex("lo")).isEqualTo(1);
    }

    @Test
    void setMtuIsReadBack() throws Exception {
        rtnl.setMtu(DEVICE, 1400);
        assertThat(rtnl.link(DEVICE).mtu()).isEqualTo(1400);
    }

    @Test
    void setLinkUpThenDownIsReadBack() throws Exception {
        rtnl.setLinkUp(DEVICE, true);
        assertThat(rtnl.link(DEVICE).up()).isTrue();
        rtnl.setLinkUp(DEVICE, false);
        assertThat(rtnl.link(DEVICE).up()).isFalse();
    }

    @Test
    void addressesAreListedIpv4InTheOrderAddedThenIpv6NewestFirst() throws Exception {
        rtnl.addAddress(DEVICE, ip("fd00:7::1"), 64);
        rtnl.addAddress(DEVICE, ip("10.7.0.1"), 24);
        rtnl.addAddress(DEVICE, ip("fd00:8::1"), 64);
        rtnl.addAddress(DEVICE, ip("10.8.0.1"), 24);
        assertThat(rtnl.addresses(DEVICE)).containsExactly(LinkAddress.parse("10.7.0.1/24"),
            LinkAddress.parse("10.8.0.1/24"), LinkAddress.parse("fd00:8::1/64"), LinkAddress.parse("fd00:7::1/64"));
    }

    @Test
    void removeAddressRemovesOnlyThatAddress() throws Exception {
        rtnl.addAddress(DEVICE, ip("10.7.0.1"), 24);
        rtnl.addAddress(DEVICE, ip("10.7.1.1"), 24);
        rtnl.removeAddress(DEVICE, ip("10.7.0.1"), 24);
        assertThat(rtnl.addresses(DEVICE)).containsExactly(LinkAddress.parse("10.7.1.1/24"));
    }

    @Test
    void addingAPresentAddressFailsWithEexist() throws Exception {
        rtnl.addAddress(DEVICE, ip("10.7.0.1"), 24);
        assertErrno(() -> rtnl.addAddress(DEVICE, ip("10.7.0.1"), 24), "RTM_NEWADDR", Errno.EEXIST);
    }

    @Test
    void theSameIpv4AddressWithAnotherPrefixIsAnotherAddress() throws Exception {
        rtnl.addAddress(DEVICE, ip("10.7.0.1"), 24);
        rtnl.addAddress(DEVICE, ip("10.7.0.1"), 16);
        assertThat(rtnl.addresses(DEVICE)).containsExactly(LinkAddress.parse("10.7.0.1/24"),
            LinkAddress.parse("10.7.0.1/16"));
    }

    @Test
    void theSameIpv6AddressWithAnotherPrefixFailsWithEexist() throws Exception {
        rtnl.addAddress(DEVICE, ip("fd00:7::1"), 64);
        assertErrno(() -> rtnl.addAddress(DEVICE, ip("fd00:7::1"), 48), "RTM_NEWADDR", Errno.EEXIST);
    }

    @Test
    void removingAnAbsentAddressFailsWithEaddrnotavail() {
        assertErrno(() -> rtnl.removeAddress(DEVICE, ip("10.7.0.1"), 24), "RTM_DELADDR", Errno.EADDRNOTAVAIL);
    }

    @Test
    void removingAnAddressWithTheWrongPrefixFailsWithEaddrnotavail() throws Exception {
        rtnl.addAddress(DEVICE, ip("10.7.0.1"), 24);
        rtnl.addAddress(DEVICE, ip("fd00:7::1"), 64);
        assertErrno(() -> rtnl.removeAddress(DEVICE, ip("10.7.0.1"), 16), "RTM_DELADDR", Errno.EADDRNOTAVAIL);
        assertErrno(() -> rtnl.removeAddress(DEVICE, ip("fd00:7::1"), 48), "RTM_DELADDR", Errno.EADDRNOTAVAIL);
    }

    @Test
    void ipv6OnALinkWithIpv6DisabledFailsWithEaccesAndTheKernelsMessage() {
        disableIpv6(DEVICE);
        assertThatThrownBy(() -> rtnl.addAddress(DEVICE, ip("fd00:7::1"), 64))
            .isInstanceOfSatisfying(ErrnoException.class, e -> {
                assertThat(e.errno()).isEqualTo(Errno.EACCES);
                assertThat(e.hint()).contains("(kernel: ");
            });
    }

    @Test
    void unknownDeviceFailsWithEnodev() {
        assertErrno(() -> rtnl.link("jn-absent"), "RTM_GETLINK", Errno.ENODEV);
    }

    @Test
    void ipv4RouteOverADownLinkFailsWithEnetdown() {
        assertErrno(() -> rtnl.addRoute(ip("10.8.0.0"), 16, DEVICE), "RTM_NEWROUTE", Errno.ENETDOWN);
    }

    @Test
    void addingAnExistingRouteFailsWithEexist() throws Exception {
        rtnl.setLinkUp(DEVICE, true);
        rtnl.addRoute(ip("10.8.0.0"), 16, DEVICE);
        assertErrno(() -> rtnl.addRoute(ip("10.8.0.0"), 16, DEVICE), "RTM_NEWROUTE", Errno.EEXIST);
    }

    @Test
    void deletingARouteTwiceFailsWithEsrch() throws Exception {
        rtnl.setLinkUp(DEVICE, true);
        rtnl.addRoute(ip("fd01::"), 64, DEVICE);
        rtnl.deleteRoute(ip("fd01::"), 64, DEVICE);
        assertErrno(() -> rtnl.deleteRoute(ip("fd01::"), 64, DEVICE), "RTM_DELROUTE", 3);
    }

    @Test
    void deletedLinkIsGone() throws Exception {
        rtnl.deleteLink(DEVICE);
        assertErrno(() -> rtnl.linkIndex(DEVICE), "RTM_GETLINK", Errno.ENODEV);
    }

    @Test
    void loopbackCannotBeDeletedEopnotsupp() {
        assertErrno(() -> rtnl.deleteLink("lo"), "RTM_DELLINK", Errno.EOPNOTSUPP);
    }
}

package io.jpair.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.kernel.KernelTest;
import io.jpair.kernel.ProcFds;
import io.jpair.kernel.Shell;
import java.net.InetAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RtNetlink} against the real kernel, in the test JVM's private network namespace, on a
 * persistent TUN device {@code jn0}; results are cross-checked with {@code ip}.
 */
@KernelTest
class RtNetlinkKernelTest {
    private static final String DEVICE = "jn0";

    private RtNetlink rtnl;

    @BeforeEach
    void createDevice() throws Exception {
        Shell.ip("tuntap", "add", "dev", DEVICE, "mode", "tun");
        rtnl = RtNetlink.open();
    }

    @AfterEach
    void deleteDevice() {
        rtnl.close();
        Shell.run("ip", "link", "del", DEVICE);
    }

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    private static String ipJson(String... args) {
        String[] command = new String[args.length + 2];
        command[0] = "ip";
        command[1] = "-j";
        System.arraycopy(args, 0, command, 2, args.length);
        return Shell.check(command).replace(" ", "");
    }

    @Test
    void linkIndexMatchesIp() throws Exception {
        String json = ipJson("link", "show", "dev", DEVICE);
        assertThat(json).contains("\"ifindex\":" + rtnl.linkIndex(DEVICE) + ",");
    }

    @Test
    void freshTunLinkIsDownWithMtu1500AndTunLimits() throws Exception {
        LinkInfo link = rtnl.link(DEVICE);
        assertThat(link.name()).isEqualTo(DEVICE);
        assertThat(link.up()).isFalse();
        assertThat(link.mtu()).isEqualTo(1500);
        assertThat(link.flags() & IfInfoMsg.IFF_POINTOPOINT).isNotZero();
        assertThat(link.addresses()).isEmpty();
        String details = ipJson("-d", "link", "show", "dev", DEVICE);
        assertThat(details).contains("\"min_mtu\":" + link.minMtu() + ",").contains("\"max_mtu\":" + link.maxMtu() + ",");
    }

    @Test
    void setMtuIsReadBackThroughTheApiAndIp() throws Exception {
        rtnl.setMtu(DEVICE, 1400);
        assertThat(rtnl.link(DEVICE).mtu()).isEqualTo(1400);
        assertThat(ipJson("link", "show", "dev", DEVICE)).contains("\"mtu\":1400,");
    }

    @Test
    void setLinkUpAndDownIsReadBackThroughTheApiAndIp() throws Exception {
        rtnl.setLinkUp(DEVICE, true);
        assertThat(rtnl.link(DEVICE).up()).isTrue();
        assertThat(Shell.ip("link", "show", "dev", DEVICE)).containsPattern("<[A-Z_,-]*\\bUP\\b");
        rtnl.setLinkUp(DEVICE, false);
        assertThat(rtnl.link(DEVICE).up()).isFalse();
        assertThat(Shell.ip("link", "show", "dev", DEVICE)).doesNotContainPattern("<[A-Z_,-]*\\bUP\\b");
    }

    @Test
    void ipv4AndIpv6AddressesAreReadBackThroughTheApiAndIp() throws Exception {
        rtnl.addAddress(DEVICE, ip("10.7.0.1"), 24);
        rtnl.addAddress(DEVICE, ip("fd00:7::1"), 64);
        assertThat(rtnl.addresses(DEVICE))
            .containsExactlyInAnyOrder(LinkAddress.parse("10.7.0.1/24"), LinkAddress.parse("fd00:7::1/64"));
        String json = ipJson("addr", "show", "dev", DEVICE);
        assertThat(json).contains("\"family\":\"inet\",\"local\":\"10.7.0.1\",\"prefixlen\":24")
            .contains("\"family\":\"inet6\",\"local\":\"fd00:7::1\",\"prefixlen\":64");
    }

    @Test
    void addressAddedByIpIsReadBackThroughTheApi() throws Exception {
        Shell.ip("addr", "add", "10.7.1.1/30", "dev", DEVICE);
        assertThat(rtnl.link(DEVICE).addresses()).containsExactly(LinkAddress.parse("10.7.1.1/30"));
    }

    @Test
    void removeAddressRemovesOnlyThatAddress() throws Exception {
        rtnl.addAddress(DEVICE, ip("10.7.0.1"), 24);
        rtnl.addAddress(DEVICE, ip("10.7.1.1"), 24);
        rtnl.removeAddress(DEVICE, ip("10.7.0.1"), 24);
        assertThat(rtnl.addresses(DEVICE)).containsExactly(LinkAddress.parse("10.7.1.1/24"));
        assertThat(ipJson("addr", "show", "dev", DEVICE)).doesNotContain("10.7.0.1");
    }

    @Test
    void addingAPresentAddressFailsWithEexist() throws Exception {
        rtnl.addAddress(DEVICE, ip("10.7.0.1"), 24);
        assertThatThrownBy(() -> rtnl.addAddress(DEVICE, ip("10.7.0.1"), 24))
            .isInstanceOfSatisfying(ErrnoException.class, e -> {
                assertThat(e.operation()).isEqualTo("RTM_NEWADDR");
                assertThat(e.device()).isEqualTo(DEVICE);
                assertThat(e.errno()).isEqualTo(Errno.EEXIST);
                assertThat(e.getMessage()).startsWith("jn0: RTM_NEWADDR: EEXIST (File exists): address 10.7.0.1/24");
            });
    }

    @Test
    void removingAnAbsentAddressFailsWithEaddrnotavail() {
        assertThatThrownBy(() -> rtnl.removeAddress(DEVICE, ip("10.7.0.9"), 24))
            .isInstanceOfSatisfying(ErrnoException.class, e -> {
                assertThat(e.operation()).isEqualTo("RTM_DELADDR");
                assertThat(e.errno()).isEqualTo(Errno.EADDRNOTAVAIL);
            });
    }

    @Test
    void unknownDeviceFailsWithEnodev() {
        assertThatThrownBy(() -> rtnl.setMtu("jn-absent", 1400))
            .isInstanceOfSatisfying(ErrnoException.class, e -> {
                assertThat(e.operation()).isEqualTo("RTM_GETLINK");
                assertThat(e.device()).isEqualTo("jn-absent");
                assertThat(e.errno()).isEqualTo(Errno.ENODEV);
                assertThat(e.hint()).startsWith("no such device");
            });
    }

    @Test
    void ipv6DisabledOnTheLinkFailsWithEaccesAndTheKernelsOwnMessage() throws Exception {
        Shell.check("sysctl", "-q", "-w", "net.ipv6.conf." + DEVICE + ".disable_ipv6=1");
        assertThatThrownBy(() -> rtnl.addAddress(DEVICE, ip("fd00:7::1"), 64))
            .isInstanceOfSatisfying(ErrnoException.class, e -> {
                assertThat(e.operation()).isEqualTo("RTM_NEWADDR");
                assertThat(e.errno()).isEqualTo(Errno.EACCES);
                assertThat(e.hint()).contains("IPv6 may be disabled").contains("(kernel: ");
            });
    }

    @Test
    void mtuBelow1280IsRefusedWhileTheLinkHasIpv6Addresses() throws Exception {
        rtnl.addAddress(DEVICE, ip("fd00:7::1"), 64);
        assertThatThrownBy(() -> rtnl.setMtu(DEVICE, 1000))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("below 1280").hasMessageContaining("fd00:7:0:0:0:0:0:1/64");
        assertThat(rtnl.link(DEVICE).mtu()).isEqualTo(1500);
    }

    @Test
    void mtuBelow1280IsAllowedOnAnIpv4OnlyLink() throws Exception {
        rtnl.addAddress(DEVICE, ip("10.7.0.1"), 24);
        rtnl.setMtu(DEVICE, 576);
        assertThat(rtnl.link(DEVICE).mtu()).isEqualTo(576);
    }

    @Test
    void ipv6AddressIsRefusedOnALinkWithMtuBelow1280() throws Exception {
        rtnl.setMtu(DEVICE, 1000);
        assertThatThrownBy(() -> rtnl.addAddress(DEVICE, ip("fd00:7::1"), 64))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("jn0: cannot add IPv6 address fd00:7:0:0:0:0:0:1/64: MTU 1000 is below 1280, the IPv6 minimum");
    }

    @Test
    void routesThroughTheDeviceAppearInIpRoute() throws Exception {
        rtnl.setLinkUp(DEVICE, true);
        rtnl.addRoute(ip("10.8.0.0"), 16, DEVICE);
        rtnl.addRoute(ip("fd01::"), 64, DEVICE);
        assertThat(Shell.ip("-4", "route", "show", "dev", DEVICE)).contains("10.8.0.0/16");
        assertThat(Shell.ip("-6", "route", "show", "dev", DEVICE)).contains("fd01::/64");
    }

    @Test
    void addingAnExistingRouteFailsWithEexist() throws Exception {
        rtnl.setLinkUp(DEVICE, true);
        rtnl.addRoute(ip("10.8.0.0"), 16, DEVICE);
        assertThatThrownBy(() -> rtnl.addRoute(ip("10.8.0.0"), 16, DEVICE))
            .isInstanceOfSatisfying(ErrnoException.class, e -> {
                assertThat(e.operation()).isEqualTo("RTM_NEWROUTE");
                assertThat(e.errno()).isEqualTo(Errno.EEXIST);
            });
    }

    @Test
    void deleteRouteRemovesIt() throws Exception {
        rtnl.setLinkUp(DEVICE, true);
        rtnl.addRoute(ip("10.8.0.0"), 16, DEVICE);
        rtnl.deleteRoute(ip("10.8.0.0"), 16, DEVICE);
        assertThat(Shell.ip("-4", "route", "show", "dev", DEVICE)).doesNotContain("10.8.0.0/16");
    }

    @Test
    void deleteLinkRemovesAPersistentTunDevice() throws Exception {
        rtnl.deleteLink(DEVICE);
        assertThat(Shell.run("ip", "link", "show", "dev", DEVICE).ok()).isFalse();
        assertThatThrownBy(() -> rtnl.linkIndex(DEVICE)).isInstanceOf(ErrnoException.class);
    }

    @Test
    void linksListsLoopbackAndTheDevice() throws Exception {
        assertThat(rtnl.links()).extracting(LinkInfo::name).contains("lo", DEVICE);
    }

    @Test
    void openAndCloseLeaksNoFds() throws Exception {
        rtnl.link(DEVICE);
        long before = ProcFds.count();
        for (int i = 0; i < 50; i++) {
            try (RtNetlink other = RtNetlink.open()) {
                other.link(DEVICE);
            }
        }
        assertThat(ProcFds.count()).as("open fds (a leak would add one per round)").isLessThanOrEqualTo(before);
    }
}

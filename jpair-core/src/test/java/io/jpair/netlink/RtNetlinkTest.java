package io.jpair.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpair.errno.Errno;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Argument checks and error wording; nothing here changes the kernel's state. */
class RtNetlinkTest {
    @Test
    void routeDestinationIsMaskedToItsPrefix() throws Exception {
        assertThat(RtNetlink.network(InetAddress.getByName("10.8.3.4"), 16))
            .isEqualTo(LinkAddress.parse("10.8.0.0/16"));
        assertThat(RtNetlink.network(InetAddress.getByName("fd01::1:2:3"), 64))
            .isEqualTo(LinkAddress.parse("fd01::/64"));
        assertThat(RtNetlink.network(InetAddress.getByName("10.8.3.4"), 23))
            .isEqualTo(LinkAddress.parse("10.8.2.0/23"));
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

    @Test
    void invalidNamesAreRefusedBeforeAskingTheKernel() throws Exception {
        try (RtNetlink rtnl = RtNetlink.open()) {
            assertThatThrownBy(() -> rtnl.link("")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> rtnl.link("sixteen-bytes-xx")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 to 15 bytes");
            assertThatThrownBy(() -> rtnl.link("a/b")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> rtnl.link("a b")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void mtuOutsideTheIpv4RangeIsRefusedBeforeAskingTheKernel() throws Exception {
        try (RtNetlink rtnl = RtNetlink.open()) {
            assertThatThrownBy(() -> rtnl.setMtu("jn-absent", 67)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("jn-absent: MTU 67 is outside 68..65535");
            assertThatThrownBy(() -> rtnl.setMtu("jn-absent", 65536)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void closeIsIdempotent() throws Exception {
        RtNetlink rtnl = RtNetlink.open();
        rtnl.close();
        rtnl.close();
    }
}

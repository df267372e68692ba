package io.jpair.netlink;

import io.jpair.kernel.KernelTest;
import io.jpair.kernel.Shell;

/** The rtnetlink contract on the real kernel, in this run's private network namespace. */
@KernelTest
class KernelRtNetlinkKernelTest extends RtNetlinkContract {
    @Override
    RtNetlink open() throws Exception {
        return RtNetlink.open();
    }

    @Override
    void createDevice() {
        Shell.ip("tuntap", "add", "dev", DEVICE, "mode", "tun");
    }

    @Override
    void removeDevice() {
        Shell.run("ip", "link", "del", DEVICE);
    }

    @Override
    void disableIpv6(String name) {
        Shell.check("sysctl", "-q", "-w", "net.ipv6.conf." + name + ".disable_ipv6=1");
    }
}

package io.jpair.netlink;

import io.jpair.testing.MemoryNetlink;

/** The rtnetlink contract on {@link MemoryNetlink}, the in-memory kernel. */
class MemoryRtNetlinkTest extends RtNetlinkContract {
    private final MemoryNetlink kernel = new MemoryNetlink();

    @Override
    RtNetlink open() throws Exception {
        return RtNetlink.open(kernel);
    }

    @Override
    void createDevice() {
        kernel.addLink(DEVICE, 1500);
    }

    @Override
    void removeDevice() {
        if (kernel.hasLink(DEVICE)) {
            kernel.deleteLink(DEVICE);
        }
    }

    @Override
    void disableIpv6(String name) {
        kernel.disableIpv6(name);
    }
}

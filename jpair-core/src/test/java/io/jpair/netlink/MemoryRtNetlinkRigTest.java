package io.jpair.netlink;

import io.jpair.testing.MemoryNetlink;
import java.nio.file.Path;

/**
 * The test-rig contract on {@link MemoryNetlink}: namespaces are not modelled, so any
 * namespace file will do as the other one (the request still opens it, for its fd).
 */
class MemoryRtNetlinkRigTest extends RtNetlinkRigContract {
    private final MemoryNetlink kernel = new MemoryNetlink();

    @Override
    RtNetlink open() throws Exception {
        return RtNetlink.open(kernel);
    }

    @Override
    Path otherNamespace() {
        return Path.of("/proc/self/ns/net");
    }

    @Override
    void cleanUp() {
        // the kernel is garbage
    }
}

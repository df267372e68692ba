package io.jpair.netlink;

import io.jpair.kernel.ChildNetns;
import io.jpair.kernel.KernelTest;
import io.jpair.kernel.Shell;
import java.nio.file.Path;

/** The test-rig contract on the real kernel, in this run's private network namespace. */
@KernelTest
class KernelRtNetlinkRigKernelTest extends RtNetlinkRigContract {
    private ChildNetns child;

    @Override
    RtNetlink open() throws Exception {
        return RtNetlink.open();
    }

    @Override
    Path otherNamespace() {
        if (child == null) {
            child = ChildNetns.start();
        }
        return child.path();
    }

    @Override
    void cleanUp() {
        for (String link : new String[] {"jv0", "jv1", "jv2", "jbr0", "jbr1"}) {
            Shell.run("ip", "link", "del", link);
        }
        if (child != null) {
            child.close();
        }
    }
}

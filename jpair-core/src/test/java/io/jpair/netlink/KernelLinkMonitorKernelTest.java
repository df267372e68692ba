package io.jpair.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.kernel.KernelTest;
import io.jpair.kernel.Shell;
import io.jpair.reactor.EpollReactor;
import java.util.function.BooleanSupplier;

/** The link monitor contract on the real kernel and an {@link EpollReactor}, in the private namespace. */
@KernelTest
class KernelLinkMonitorKernelTest extends LinkMonitorContract {
    private static final long DEADLINE_NANOS = 5_000_000_000L;

    private EpollReactor reactor;

    @Override
    void closeReactor() {
        if (reactor != null) {
            reactor.close();
        }
    }

    @Override
    LinkMonitor newMonitor() throws Exception {
        reactor = new EpollReactor();
        return new LinkMonitor(reactor, events::add);
    }

    @Override
    RtNetlink openClient() throws Exception {
        return RtNetlink.open();
    }

    @Override
    void addTunLink(String name) {
        Shell.ip("tuntap", "add", "dev", name, "mode", "tun");
    }

    @Override
    void removeLinkIfPresent(String name) {
        Shell.run("ip", "link", "del", name);
    }

    @Override
    void pumpUntil(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            assertThat(left).as("waiting for %s", what).isPositive();
            reactor.runOnce(Math.min(left, 50_000_000L));
        }
        reactor.runOnce(20_000_000L);   // let any further notification arrive, so "exactly" means exactly
    }
}

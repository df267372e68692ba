package io.jpair.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.testing.MemoryNetlink;
import io.jpair.testing.MemoryReactor;
import java.util.function.BooleanSupplier;

/** The link monitor contract on {@link MemoryNetlink} and {@link MemoryReactor}. */
class MemoryLinkMonitorTest extends LinkMonitorContract {
    private final MemoryNetlink kernel = new MemoryNetlink();
    private final MemoryReactor reactor = new MemoryReactor();

    @Override
    LinkMonitor newMonitor() {
        return new LinkMonitor(reactor, events::add, kernel);
    }

    @Override
    RtNetlink openClient() throws Exception {
        return RtNetlink.open(kernel);
    }

    @Override
    void addTunLink(String name) {
        kernel.addLink(name, 1500);
    }

    @Override
    void removeLinkIfPresent(String name) {
        if (kernel.hasLink(name)) {
            kernel.deleteLink(name);
        }
    }

    @Override
    void closeReactor() {
        // nothing to release
    }

    @Override
    void pumpUntil(BooleanSupplier condition, String what) {
        reactor.fireReadable();   // everything the model sent is queued already
        assertThat(condition.getAsBoolean()).as(what).isTrue();
    }
}

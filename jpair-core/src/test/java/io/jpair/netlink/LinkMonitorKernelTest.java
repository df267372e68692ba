package io.jpair.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.kernel.KernelTest;
import io.jpair.kernel.ProcFds;
import io.jpair.kernel.Shell;
import io.jpair.reactor.EpollReactor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LinkMonitor} on a real {@link EpollReactor} in the private namespace: events arrive when
 * {@code jn0} (a persistent TUN device) changes. Every wait is bounded.
 */
@KernelTest
class LinkMonitorKernelTest {
    private static final String DEVICE = "jn0";
    private static final long DEADLINE_NANOS = 5_000_000_000L;

    private final List<LinkEvent> events = new ArrayList<>();
    private EpollReactor reactor;
    private RtNetlink rtnl;
    private LinkMonitor monitor;

    @BeforeEach
    void startMonitor() throws Exception {
        Shell.ip("tuntap", "add", "dev", DEVICE, "mode", "tun");
        reactor = new EpollReactor();
        rtnl = RtNetlink.open();
        monitor = new LinkMonitor(reactor, events::add);
        monitor.start();
        runUntil(monitor::ready, "the initial link dump");
    }

    @AfterEach
    void stopMonitor() {
        monitor.stop();
        reactor.close();
        rtnl.close();
        Shell.run("ip", "link", "del", DEVICE);
        Shell.run("ip", "link", "del", "jn1");
    }

    private void runUntil(Supplier<Boolean> condition, String what) {
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (!condition.get()) {
            long left = deadline - System.nanoTime();
            assertThat(left).as("waiting for %s; events so far: %s", what, events).isPositive();
            reactor.runOnce(Math.min(left, 50_000_000L));
        }
    }

    private LinkEvent awaitEvent(Predicate<LinkEvent> wanted, String what) {
        LinkEvent[] found = new LinkEvent[1];
        runUntil(() -> {
            for (LinkEvent event : events) {
                if (wanted.test(event)) {
                    found[0] = event;
                    return true;
                }
            }
            return false;
        }, what);
        return found[0];
    }

    private static Predicate<LinkEvent> on(LinkEvent.Type type, String name) {
        return event -> event.type() == type && event.name().equals(name);
    }

    @Test
    void existingLinksAreNotReportedAtStart() {
        reactor.runOnce(0);
        assertThat(events).isEmpty();
    }

    @Test
    void linkGoingUpThenDownReportsUpThenDown() throws Exception {
        int index = rtnl.linkIndex(DEVICE);
        rtnl.setLinkUp(DEVICE, true);
        LinkEvent up = awaitEvent(on(LinkEvent.Type.UP, DEVICE), "UP");
        assertThat(up.index()).isEqualTo(index);
        assertThat(up.up()).isTrue();
        rtnl.setLinkUp(DEVICE, false);
        LinkEvent down = awaitEvent(on(LinkEvent.Type.DOWN, DEVICE), "DOWN");
        assertThat(down.up()).isFalse();
        assertThat(events).extracting(LinkEvent::type).containsSubsequence(LinkEvent.Type.UP, LinkEvent.Type.DOWN);
    }

    @Test
    void changesMadeByIpAreReportedToo() {
        Shell.ip("link", "set", DEVICE, "up");
        awaitEvent(on(LinkEvent.Type.UP, DEVICE), "UP after ip link set up");
        Shell.ip("link", "set", DEVICE, "down");
        awaitEvent(on(LinkEvent.Type.DOWN, DEVICE), "DOWN after ip link set down");
    }

    @Test
    void mtuChangeReportsOldAndNewMtu() throws Exception {
        rtnl.setMtu(DEVICE, 1400);
        LinkEvent changed = awaitEvent(on(LinkEvent.Type.MTU_CHANGED, DEVICE), "MTU_CHANGED");
        assertThat(changed.mtu()).isEqualTo(1400);
        assertThat(changed.previousMtu()).isEqualTo(1500);
    }

    @Test
    void newAndDeletedLinksAreReported() throws Exception {
        Shell.ip("tuntap", "add", "dev", "jn1", "mode", "tun");
        LinkEvent added = awaitEvent(on(LinkEvent.Type.ADDED, "jn1"), "ADDED");
        assertThat(added.index()).isEqualTo(rtnl.linkIndex("jn1"));
        rtnl.deleteLink("jn1");
        awaitEvent(on(LinkEvent.Type.REMOVED, "jn1"), "REMOVED");
    }

    @Test
    void noEventsAfterStop() throws Exception {
        monitor.stop();
        assertThat(monitor.fileno()).isEqualTo(-1);
        rtnl.setLinkUp(DEVICE, true);
        reactor.runOnce(100_000_000L);
        assertThat(events).isEmpty();
    }

    @Test
    void stopClosesTheSocketOnceAndLeaksNoFd() throws Exception {
        monitor.stop();
        long before = ProcFds.count();
        for (int i = 0; i < 20; i++) {
            LinkMonitor other = new LinkMonitor(reactor, event -> { });
            other.start();
            other.stop();
            other.stop();
        }
        assertThat(ProcFds.count()).as("open fds (a leak would add one per round)").isLessThanOrEqualTo(before);
        assertThat(reactor.getReaders()).isEmpty();
    }
}

package io.jpair.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The link notifications a {@link LinkMonitor} turns into events, for changes made with
 * {@link RtNetlink}: run on {@code MemoryNetlink} and on the real kernel, which proves the fake's
 * notifications against the kernel's.
 */
abstract class LinkMonitorContract {
    static final String DEVICE = "jn0";
    static final String OTHER = "jn1";

    final List<LinkEvent> events = new ArrayList<>();
    LinkMonitor monitor;
    RtNetlink rtnl;

    /** A monitor reporting to {@link #events}, on the reactor {@link #pumpUntil} runs. */
    abstract LinkMonitor newMonitor() throws Exception;

    /** A client of the same kernel. */
    abstract RtNetlink openClient() throws Exception;

    /** Creates a TUN link, down, MTU 1500, from outside the client. */
    abstract void addTunLink(String name);

    /** Removes a link if it is there; cleanup. */
    abstract void removeLinkIfPresent(String name);

    /** Releases the reactor, after the monitor has stopped. */
    abstract void closeReactor();

    /** Runs the reactor until {@code condition} holds, failing after a bounded wait. */
    abstract void pumpUntil(BooleanSupplier condition, String what);

    @BeforeEach
    void startMonitorOnJn0() throws Exception {
        addTunLink(DEVICE);
        rtnl = openClient();
        monitor = newMonitor();
        monitor.start();
        pumpUntil(monitor::ready, "the initial dump");
    }

    @AfterEach
    void stopMonitor() {
        try {
            monitor.stop();
            rtnl.close();
            closeReactor();
        } finally {
            removeLinkIfPresent(DEVICE);
            removeLinkIfPresent(OTHER);
        }
    }

    List<LinkEvent.Type> typesFor(String name) {
        List<LinkEvent.Type> types = new ArrayList<>();
        for (LinkEvent event : events) {
            if (event.name().equals(name)) {
                types.add(event.type());
            }
        }
        return types;
    }

    void pumpUntilEvents(String name, int count) {
        pumpUntil(() -> typesFor(name).size() >= count, count + " events for " + name + "; so far " + events);
    }

    @Test
    void linksPresentAtStartAreNotReported() {
        assertThat(events).isEmpty();
    }

    @Test
    void upThenDownReportsUpThenDown() throws Exception {
        rtnl.setLinkUp(DEVICE, true);
        rtnl.setLinkUp(DEVICE, false);
        pumpUntilEvents(DEVICE, 2);
        assertThat(typesFor(DEVICE)).containsExactly(LinkEvent.Type.UP, LinkEvent.Type.DOWN);
    }

    @Test
    void mtuChangeReportsTheNewAndPreviousMtu() throws Exception {
        int index = rtnl.linkIndex(DEVICE);
        rtnl.setMtu(DEVICE, 1400);
        pumpUntilEvents(DEVICE, 1);
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(LinkEvent.Type.MTU_CHANGED);
            assertThat(event.index()).isEqualTo(index);
            assertThat(event.mtu()).isEqualTo(1400);
            assertThat(event.previousMtu()).isEqualTo(1500);
        });
    }

    @Test
    void addressChangesAreNotLinkEvents() throws Exception {
        rtnl.addAddress(DEVICE, InetAddress.getByName("10.7.0.1"), 24);
        rtnl.setMtu(DEVICE, 1400);   // a link event after it, to wait for
        pumpUntilEvents(DEVICE, 1);
        assertThat(typesFor(DEVICE)).containsExactly(LinkEvent.Type.MTU_CHANGED);
    }

    @Test
    void anUpLinkDeletedReportsDownThenRemoved() throws Exception {
        addTunLink(OTHER);
        rtnl.setLinkUp(OTHER, true);
        rtnl.deleteLink(OTHER);
        pumpUntilEvents(OTHER, 4);
        assertThat(typesFor(OTHER)).containsExactly(LinkEvent.Type.ADDED, LinkEvent.Type.UP, LinkEvent.Type.DOWN,
            LinkEvent.Type.REMOVED);
    }
}

package io.jpair.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.testing.MemoryNetlink;
import io.jpair.testing.MemoryReactor;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LinkMonitor} end to end without root: its channel comes from {@link MemoryNetlink}, the
 * kernel's notifications are the model's, and {@link MemoryReactor#fireReadable()} plays epoll.
 */
class LinkMonitorEventsTest {
    private static final int UP = IfInfoMsg.IFF_UP;

    private final MemoryNetlink kernel = new MemoryNetlink();
    private final MemoryReactor reactor = new MemoryReactor();
    private final List<LinkEvent> events = new ArrayList<>();
    private final LinkMonitor monitor = new LinkMonitor(reactor, events::add, kernel);
    private int jn0;
    private int flags;

    @BeforeEach
    void startOnALinkJn0() throws Exception {
        jn0 = kernel.addLink("jn0", 1500);
        flags = kernel.link("jn0").flags();
        monitor.start();
        reactor.fireReadable();
    }

    private MemoryNetlink.Channel channel() {
        return kernel.openChannels().getFirst();
    }

    @Test
    void startOpensANonBlockingChannelInTheLinkGroupAndRegistersIt() {
        assertThat(channel().groups()).isEqualTo(RtmType.RTMGRP_LINK);
        assertThat(channel().nonBlocking()).isTrue();
        assertThat(reactor.getReaders()).containsExactly(monitor);
        assertThat(monitor.fileno()).isEqualTo(channel().fileno()).isNotNegative();
    }

    @Test
    void startRequestsADumpOfTheLinks() {
        MemoryNetlink.Request request = kernel.lastRequest();
        assertThat(request.type()).isEqualTo(RtmType.RTM_GETLINK);
        assertThat(request.dump()).isTrue();
        assertThat(request.intAttribute(IfInfoMsg.IFLA_EXT_MASK)).isEqualTo(IfInfoMsg.RTEXT_FILTER_SKIP_STATS);
    }

    @Test
    void existingLinksAreLearntSilentlyFromTheDump() {
        assertThat(monitor.ready()).isTrue();
        assertThat(events).isEmpty();
    }

    @Test
    void notReadyBeforeTheDumpIsRead() throws Exception {
        LinkMonitor fresh = new LinkMonitor(new MemoryReactor(), events::add, kernel);
        fresh.start();
        assertThat(fresh.ready()).isFalse();
        fresh.stop();
    }

    @Test
    void linkSetUpIsDeliveredAsUp() {
        kernel.setLinkUp("jn0", true);
        reactor.fireReadable();
        assertThat(events).containsExactly(new LinkEvent(LinkEvent.Type.UP, jn0, "jn0", flags | UP, 1500, 1500));
    }

    @Test
    void linkSetDownIsDeliveredAsDown() {
        kernel.setLinkUp("jn0", true);
        kernel.setLinkUp("jn0", false);
        reactor.fireReadable();
        assertThat(events).extracting(LinkEvent::type).containsExactly(LinkEvent.Type.UP, LinkEvent.Type.DOWN);
        assertThat(events.getLast().up()).isFalse();
    }

    @Test
    void mtuChangeIsDeliveredWithThePreviousMtu() {
        kernel.setMtu("jn0", 9000);
        reactor.fireReadable();
        assertThat(events).containsExactly(new LinkEvent(LinkEvent.Type.MTU_CHANGED, jn0, "jn0", flags, 9000, 1500));
    }

    @Test
    void newLinkIsDeliveredAsAdded() {
        int jn1 = kernel.addLink("jn1", 1400);
        reactor.fireReadable();
        assertThat(events).containsExactly(new LinkEvent(LinkEvent.Type.ADDED, jn1, "jn1", flags, 1400, 1400));
    }

    @Test
    void deletedLinkIsDeliveredAsRemoved() {
        kernel.deleteLink("jn0");
        reactor.fireReadable();
        assertThat(events).containsExactly(new LinkEvent(LinkEvent.Type.REMOVED, jn0, "jn0", flags, 1500, 1500));
    }

    @Test
    void deletingAnUpLinkDeliversDownThenRemoved() {
        kernel.setLinkUp("jn0", true);
        kernel.deleteLink("jn0");
        reactor.fireReadable();
        assertThat(events).extracting(LinkEvent::type)
            .containsExactly(LinkEvent.Type.UP, LinkEvent.Type.DOWN, LinkEvent.Type.REMOVED);
    }

    @Test
    void changesMadeThroughRtNetlinkAreDelivered() throws Exception {
        try (RtNetlink rtnl = RtNetlink.open(kernel)) {
            rtnl.setMtu("jn0", 1400);
            rtnl.setLinkUp("jn0", true);
            rtnl.addAddress("jn0", InetAddress.getByName("10.7.0.1"), 24);   // not a link event
        }
        reactor.fireReadable();
        assertThat(events).extracting(LinkEvent::type).containsExactly(LinkEvent.Type.MTU_CHANGED, LinkEvent.Type.UP);
    }

    @Test
    void requestsThatChangeNothingDeliverNothing() throws Exception {
        try (RtNetlink rtnl = RtNetlink.open(kernel)) {
            rtnl.setLinkUp("jn0", false);
            rtnl.setMtu("jn0", 1500);
        }
        reactor.fireReadable();
        assertThat(events).isEmpty();
    }

    @Test
    void lostNotificationsAreRecoveredByADumpThatReportsTheDifferences() {
        kernel.setLinkUp("jn0", true);
        int jn1 = kernel.addLink("jn1", 1500);
        channel().overflow();   // both notifications lost: ENOBUFS
        reactor.fireReadable();
        assertThat(kernel.lastRequest().dump()).isTrue();
        assertThat(events).containsExactly(
            new LinkEvent(LinkEvent.Type.UP, jn0, "jn0", flags | UP, 1500, 1500),
            new LinkEvent(LinkEvent.Type.ADDED, jn1, "jn1", flags, 1500, 1500));
    }

    @Test
    void linkThatVanishedDuringAnOverflowIsReportedRemoved() {
        kernel.deleteLink("jn0");
        channel().overflow();
        reactor.fireReadable();
        assertThat(events).containsExactly(new LinkEvent(LinkEvent.Type.REMOVED, jn0, "jn0", flags, 1500, 1500));
    }

    @Test
    void oneWakeUpReadsAtMostTheBatchLimit() {
        for (int i = 0; i < LinkMonitor.MAX_DATAGRAMS_PER_READ + 6; i++) {
            kernel.setMtu("jn0", 1000 + i);
        }
        reactor.fireReadable();
        assertThat(events).hasSize(LinkMonitor.MAX_DATAGRAMS_PER_READ);
        assertThat(channel().pending()).isEqualTo(6);
        reactor.fireReadable();
        assertThat(events).hasSize(LinkMonitor.MAX_DATAGRAMS_PER_READ + 6);
    }

    @Test
    void failedDumpStillMakesTheMonitorReady() throws Exception {
        kernel.failNext(RtmType.RTM_GETLINK, Errno.EPERM);
        LinkMonitor other = new LinkMonitor(reactor, events::add, kernel);
        other.start();
        reactor.fireReadable();
        assertThat(other.ready()).isTrue();
        other.stop();
    }

    @Test
    void stopUnregistersAndClosesTheChannel() {
        MemoryNetlink.Channel channel = channel();
        monitor.stop();
        assertThat(reactor.getReaders()).isEmpty();
        assertThat(channel.isClosed()).isTrue();
        assertThat(monitor.fileno()).isEqualTo(-1);
        kernel.setLinkUp("jn0", true);
        assertThat(events).isEmpty();
    }

    @Test
    void restartOpensAFreshChannelAndRelearnsSilently() throws Exception {
        monitor.stop();
        kernel.setLinkUp("jn0", true);
        monitor.start();
        reactor.fireReadable();
        assertThat(kernel.openChannels()).hasSize(1);
        assertThat(monitor.ready()).isTrue();
        assertThat(events).isEmpty();
    }

    @Test
    void startTwiceOpensOneChannel() throws Exception {
        monitor.start();
        assertThat(kernel.openChannels()).hasSize(1);
    }

    @Test
    void openFailureIsThrownAndNothingIsRegistered() {
        LinkMonitor other = new LinkMonitor(new MemoryReactor(), events::add, kernel);
        kernel.refuseOpen(Errno.EMFILE);
        assertThatThrownBy(other::start).isInstanceOfSatisfying(ErrnoException.class,
            e -> assertThat(e.errno()).isEqualTo(Errno.EMFILE));
        assertThat(other.fileno()).isEqualTo(-1);
    }

    @Test
    void dumpRequestFailureClosesTheChannelAndThrows() {
        List<MemoryNetlink.Channel> opened = new ArrayList<>();
        MemoryReactor otherReactor = new MemoryReactor();
        LinkMonitor other = new LinkMonitor(otherReactor, events::add, (groups, nonBlocking) -> {
            MemoryNetlink.Channel channel = kernel.open(groups, nonBlocking);
            channel.failNextSend(Errno.ENOBUFS);
            opened.add(channel);
            return channel;
        });
        assertThatThrownBy(other::start).isInstanceOf(ErrnoException.class)
            .hasMessage("RTM_GETLINK: ENOBUFS (No buffer space available): cannot dump the links to monitor");
        assertThat(opened.getFirst().isClosed()).isTrue();
        assertThat(otherReactor.getReaders()).isEmpty();
    }

    @Test
    void receiveFailureDisconnectsTheMonitorAndClosesTheChannel() {
        MemoryNetlink.Channel channel = channel();
        channel.failNextReceive(Errno.EIO);
        reactor.fireReadable();
        assertThat(reactor.getReaders()).isEmpty();
        assertThat(channel.isClosed()).isTrue();
        assertThat(reactor.errors()).singleElement().isInstanceOfSatisfying(ErrnoException.class,
            e -> assertThat(e.getMessage()).isEqualTo("recv(RTMGRP_LINK): EIO (Input/output error)"));
    }

    @Test
    void malformedDatagramIsCountedAndLaterEventsStillArrive() {
        channel().deliver(new byte[20]);
        kernel.setLinkUp("jn0", true);
        reactor.fireReadable();
        assertThat(monitor.malformedMessages()).isEqualTo(1);
        assertThat(events).extracting(LinkEvent::type).containsExactly(LinkEvent.Type.UP);
    }

    @Test
    void datagramLongerThanTheBufferIsSkipped() {
        channel().deliver(new byte[70_000]);
        kernel.setLinkUp("jn0", true);
        reactor.fireReadable();
        assertThat(monitor.malformedMessages()).isEqualTo(1);
        assertThat(events).extracting(LinkEvent::type).containsExactly(LinkEvent.Type.UP);
    }
}

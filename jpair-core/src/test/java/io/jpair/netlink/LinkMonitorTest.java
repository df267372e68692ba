package io.jpair.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.jpair.testing.MemoryReactor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The monitor's interpretation of kernel notifications, fed directly (no socket). */
class LinkMonitorTest {
    private static final int DUMP_SEQ = 1;
    private static final int PORT = 4242;
    private static final int UP = IfInfoMsg.IFF_UP;

    private final List<LinkEvent> events = new ArrayList<>();
    private LinkMonitor monitor;

    @BeforeEach
    void learnOneLink() {
        monitor = new LinkMonitor(new MemoryReactor(), events::add);
        monitor.expectDump(DUMP_SEQ, PORT);
        feed(KernelMessages.link(RtmType.RTM_NEWLINK, DUMP_SEQ, PORT, 1, "lo", UP, 65536),
            KernelMessages.link(RtmType.RTM_NEWLINK, DUMP_SEQ, PORT, 2, "jn0", 0, 1500),
            KernelMessages.done(DUMP_SEQ, PORT));
    }

    private void feed(byte[]... messages) {
        monitor.datagramReceived(KernelMessages.datagram(messages), KernelMessages.length(messages));
    }

    @Test
    void linksInTheInitialDumpAreLearntSilently() {
        assertThat(monitor.ready()).isTrue();
        assertThat(events).isEmpty();
    }

    @Test
    void notReadyUntilTheDumpEnds() {
        LinkMonitor fresh = new LinkMonitor(new MemoryReactor(), events::add);
        fresh.expectDump(DUMP_SEQ, PORT);
        byte[] link = KernelMessages.link(RtmType.RTM_NEWLINK, DUMP_SEQ, PORT, 2, "jn0", 0, 1500);
        fresh.datagramReceived(KernelMessages.datagram(link), link.length);
        assertThat(fresh.ready()).isFalse();
    }

    @Test
    void settingUpReportsUp() {
        feed(KernelMessages.newLink(2, "jn0", UP, 1500));
        assertThat(events).containsExactly(new LinkEvent(LinkEvent.Type.UP, 2, "jn0", UP, 1500, 1500));
    }

    @Test
    void settingDownReportsDown() {
        feed(KernelMessages.newLink(2, "jn0", UP, 1500));
        feed(KernelMessages.newLink(2, "jn0", 0, 1500));
        assertThat(events).extracting(LinkEvent::type).containsExactly(LinkEvent.Type.UP, LinkEvent.Type.DOWN);
        assertThat(events.get(1).up()).isFalse();
    }

    @Test
    void mtuChangeReportsTheOldAndNewMtu() {
        feed(KernelMessages.newLink(2, "jn0", 0, 1400));
        assertThat(events).containsExactly(new LinkEvent(LinkEvent.Type.MTU_CHANGED, 2, "jn0", 0, 1400, 1500));
    }

    @Test
    void unchangedNotificationReportsNothing() {
        feed(KernelMessages.newLink(2, "jn0", IfInfoMsg.IFF_NOARP, 1500));
        assertThat(events).isEmpty();
    }

    @Test
    void upAndMtuChangeInOneMessageReportBoth() {
        feed(KernelMessages.newLink(2, "jn0", UP, 9000));
        assertThat(events).extracting(LinkEvent::type)
            .containsExactly(LinkEvent.Type.UP, LinkEvent.Type.MTU_CHANGED);
    }

    @Test
    void newLinkAfterTheDumpReportsAdded() {
        feed(KernelMessages.newLink(3, "jn1", 0, 1500));
        assertThat(events).containsExactly(new LinkEvent(LinkEvent.Type.ADDED, 3, "jn1", 0, 1500, 1500));
    }

    @Test
    void deletedLinkReportsRemoved() {
        feed(KernelMessages.link(RtmType.RTM_DELLINK, 0, 0, 2, "jn0", 0, 1500));
        assertThat(events).containsExactly(new LinkEvent(LinkEvent.Type.REMOVED, 2, "jn0", 0, 1500, 1500));
        feed(KernelMessages.newLink(2, "jn0", 0, 1500));
        assertThat(events).extracting(LinkEvent::type).containsExactly(LinkEvent.Type.REMOVED, LinkEvent.Type.ADDED);
    }

    @Test
    void laterDumpReportsWhatChangedAndWhatVanished() {
        // a re-dump after lost notifications (ENOBUFS): jn0 went up, jn7 appeared, lo vanished
        monitor.expectDump(2, PORT);
        feed(KernelMessages.link(RtmType.RTM_NEWLINK, 2, PORT, 2, "jn0", UP, 1500),
            KernelMessages.link(RtmType.RTM_NEWLINK, 2, PORT, 7, "jn7", 0, 1500),
            KernelMessages.done(2, PORT));
        assertThat(events).containsExactly(
            new LinkEvent(LinkEvent.Type.UP, 2, "jn0", UP, 1500, 1500),
            new LinkEvent(LinkEvent.Type.ADDED, 7, "jn7", 0, 1500, 1500),
            new LinkEvent(LinkEvent.Type.REMOVED, 1, "lo", UP, 65536, 65536));
    }

    @Test
    void anotherPortsDumpRepliesAreNotTakenForOurs() {
        LinkMonitor fresh = new LinkMonitor(new MemoryReactor(), events::add);
        fresh.expectDump(DUMP_SEQ, PORT);
        byte[] done = KernelMessages.done(DUMP_SEQ, PORT + 1);
        fresh.datagramReceived(KernelMessages.datagram(done), done.length);
        assertThat(fresh.ready()).isFalse();
    }

    @Test
    void severalMessagesInOneDatagramAreAllReported() {
        feed(KernelMessages.newLink(2, "jn0", UP, 1500), KernelMessages.newLink(2, "jn0", 0, 1500),
            KernelMessages.newLink(3, "jn1", 0, 1500));
        assertThat(events).extracting(LinkEvent::type)
            .containsExactly(LinkEvent.Type.UP, LinkEvent.Type.DOWN, LinkEvent.Type.ADDED);
    }

    @Test
    void malformedMessageIsSkippedWithoutThrowing() {
        byte[] good = KernelMessages.newLink(2, "jn0", UP, 1500);
        ByteBuffer buffer = KernelMessages.datagram(good, new byte[20]);
        new NlMsgHdr().wrap(buffer, good.length).length(4000).type(RtmType.RTM_NEWLINK);
        assertThatCode(() -> monitor.datagramReceived(buffer, good.length + 20)).doesNotThrowAnyException();
        assertThat(events).extracting(LinkEvent::type).containsExactly(LinkEvent.Type.UP);
        assertThat(monitor.malformedMessages()).isEqualTo(1);
    }

    @Test
    void zeroLengthHeaderDoesNotLoop() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(64);
        assertThatCode(() -> monitor.datagramReceived(buffer, 64)).doesNotThrowAnyException();
        assertThat(monitor.malformedMessages()).isEqualTo(1);
    }

    @Test
    void truncatedLinkBodyIsSkipped() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(64);
        new NlMsgHdr().wrap(buffer, 0).length(NlMsgHdr.LENGTH + 4).type(RtmType.RTM_NEWLINK);
        assertThatCode(() -> monitor.datagramReceived(buffer, NlMsgHdr.LENGTH + 4)).doesNotThrowAnyException();
        assertThat(events).isEmpty();
        assertThat(monitor.malformedMessages()).isEqualTo(1);
    }

    @Test
    void randomBytesNeverThrow() {
        java.util.Random random = new java.util.Random(42);
        ByteBuffer buffer = ByteBuffer.allocateDirect(256);
        for (int round = 0; round < 500; round++) {
            byte[] noise = new byte[1 + random.nextInt(256)];
            random.nextBytes(noise);
            if (noise.length >= 16 && random.nextBoolean()) {
                noise[0] = (byte) noise.length;
                noise[1] = 0;
                noise[2] = 0;
                noise[3] = 0;
                noise[4] = (byte) (RtmType.RTM_NEWLINK + random.nextInt(2));
                noise[5] = 0;
            }
            buffer.put(0, noise);
            assertThatCode(() -> monitor.datagramReceived(buffer, noise.length)).doesNotThrowAnyException();
        }
    }

    @Test
    void listenerExceptionDoesNotStopLaterEvents() {
        List<LinkEvent> seen = new ArrayList<>();
        LinkMonitor throwing = new LinkMonitor(new MemoryReactor(), event -> {
            seen.add(event);
            throw new IllegalStateException("listener bug");
        });
        byte[] added = KernelMessages.newLink(3, "jn1", 0, 1500);
        byte[] up = KernelMessages.newLink(3, "jn1", UP, 1500);
        assertThatCode(() -> throwing.datagramReceived(KernelMessages.datagram(added, up), added.length + up.length))
            .doesNotThrowAnyException();
        assertThat(seen).extracting(LinkEvent::type).containsExactly(LinkEvent.Type.ADDED, LinkEvent.Type.UP);
    }

    @Test
    void stopBeforeStartIsHarmless() {
        monitor.stop();
        monitor.stop();
        assertThat(monitor.fileno()).isEqualTo(-1);
    }
}

package io.jpair.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.kernel.ProcFds;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link SelectorBridge} with JDK pipe channels, the reactor driven on the test thread. Needs no root. */
class SelectorBridgeTest {
    private final List<Throwable> errors = new ArrayList<>();
    private final EpollReactor reactor;
    private final Pipe pipe;

    SelectorBridgeTest() throws Exception {
        reactor = new EpollReactor((source, error) -> errors.add(error));
        pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        pipe.sink().configureBlocking(false);
    }

    @AfterEach
    void close() throws Exception {
        pipe.source().close();
        pipe.sink().close();
        reactor.close();
    }

    private void runUntil(BooleanSupplier done) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            reactor.runOnce(100_000_000L);
        }
    }

    @Test
    void aReadableChannelIsHandledOnTheReactorThreadWithItsBytes() throws Exception {
        SelectorBridge bridge = SelectorBridge.open(reactor);
        ByteBuffer received = ByteBuffer.allocate(16);
        List<Thread> threads = new ArrayList<>();
        bridge.register(pipe.source(), SelectionKey.OP_READ, key -> {
            threads.add(Thread.currentThread());
            ((Pipe.SourceChannel) key.channel()).read(received);
        });

        pipe.sink().write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        runUntil(() -> received.position() == 3);

        assertThat(received.flip()).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertThat(threads).isNotEmpty().allMatch(thread -> thread == Thread.currentThread());
        bridge.close();
    }

    @Test
    void changingTheInterestSetTakesEffectWithoutOtherTraffic() throws Exception {
        SelectorBridge bridge = SelectorBridge.open(reactor);
        int[] writable = new int[1];
        SelectorBridge.Registration sink = bridge.register(pipe.sink(), 0, key -> {
            writable[0]++;
            key.interestOps(0);
        });
        reactor.runOnce(50_000_000L);
        assertThat(writable[0]).isZero();

        sink.interestOps(SelectionKey.OP_WRITE);
        runUntil(() -> writable[0] > 0);

        assertThat(writable[0]).isEqualTo(1);
        bridge.close();
    }

    @Test
    void aFailingHandlerHasItsKeyCancelledAndTheErrorReportedAndTheChannelStaysOpen() throws Exception {
        SelectorBridge bridge = SelectorBridge.open(reactor);
        IllegalStateException boom = new IllegalStateException("boom");
        SelectorBridge.Registration source = bridge.register(pipe.source(), SelectionKey.OP_READ, key -> {
            throw boom;
        });

        pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
        runUntil(() -> !errors.isEmpty());

        assertThat(errors).singleElement().satisfies(error -> assertThat(error).hasCause(boom));
        assertThat(source.key().isValid()).isFalse();
        assertThat(pipe.source().isOpen()).isTrue();
        bridge.close();
    }

    @Test
    void closeStopsTheSelectorThreadAndReleasesItsFdsButNotTheChannels() throws Exception {
        long fds = ProcFds.count();
        SelectorBridge bridge = SelectorBridge.open(reactor);
        bridge.register(pipe.source(), SelectionKey.OP_READ, key -> { });

        bridge.close();
        bridge.close();

        assertThat(bridge.isOpen()).isFalse();
        assertThat(reactor.getReaders()).isEmpty();
        assertThat(pipe.source().isOpen()).isTrue();
        assertThat(ProcFds.count()).isEqualTo(fds);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("jpair-selector-bridge"));
    }
}

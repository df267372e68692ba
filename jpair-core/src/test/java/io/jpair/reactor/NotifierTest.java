package io.jpair.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.errno.ErrnoException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Notifier} against the real kernel's eventfd, driven by an {@link EpollReactor}. Needs no root. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class NotifierTest {
    private final EpollReactor reactor;
    private final Notifier notifier;
    private final CountingReader reader;

    NotifierTest() throws ErrnoException {
        reactor = new EpollReactor();
        notifier = Notifier.open();
        reader = new CountingReader(notifier);
    }

    /** Counts its wake-ups; drains only when told to. */
    private static final class CountingReader implements ReadDescriptor {
        private final Notifier notifier;
        int reads;
        boolean drainOnRead;
        long drained;
        Runnable afterRead = () -> { };

        CountingReader(Notifier notifier) {
            this.notifier = notifier;
        }

        @Override
        public void doRead() throws ErrnoException {
            reads++;
            if (drainOnRead) {
                drained += notifier.drain();
            }
            afterRead.run();
        }

        @Override
        public int fileno() {
            return notifier.fileno();
        }

        @Override
        public void connectionLost(Throwable reason) {
        }
    }

    @AfterEach
    void closeAll() {
        reactor.removeAll();
        reactor.close();
        notifier.close();
    }

    @Test
    void unsignalledNotifierIsNotReadable() throws ErrnoException {
        reactor.addReader(reader);

        assertThat(reactor.runOnce(0)).isZero();
        assertThat(reader.reads).isZero();
        assertThat(notifier.drain()).isZero();
    }

    @Test
    void signalledNotifierIsReadableOnEveryTurnUntilDrained() throws ErrnoException {
        reactor.addReader(reader);
        notifier.signal();
        notifier.signal();

        reactor.runOnce(0);
        reactor.runOnce(0);
        assertThat(reader.reads).isEqualTo(2);

        assertThat(notifier.drain()).isEqualTo(2);
        reactor.runOnce(0);
        assertThat(reader.reads).isEqualTo(2);
    }

    @Test
    void signalFromAnotherThreadWakesABlockedReactor() throws Exception {
        reader.drainOnRead = true;
        reader.afterRead = reactor::stop;
        reactor.addReader(reader);
        Thread signaller = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            notifier.signal();
        });

        reactor.run();
        signaller.join();

        assertThat(reader.reads).isEqualTo(1);
        assertThat(reader.drained).isEqualTo(1);
    }

    @Test
    void closeTwiceClosesOnceAndLeavesANotifierThatIgnoresSignals() throws ErrnoException {
        Notifier other = Notifier.open();
        assertThat(other.fileno()).isNotNegative();

        other.close();
        other.close();
        other.signal();

        assertThat(other.fileno()).isEqualTo(-1);
        assertThat(other.drain()).isZero();
    }
}

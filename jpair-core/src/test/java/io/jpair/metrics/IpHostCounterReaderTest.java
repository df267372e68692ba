package io.jpair.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpair.host.IpHost;
import io.jpair.reactor.EpollReactor;
import io.jpair.reactor.Reactor;
import io.jpair.transport.PacketTransport;
import io.jpair.tuntap.TunnelAddress;
import io.jpair.tuntap.TunnelFlags;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reading a host's counters from a thread other than its reactor's: the read is handed to the
 * running {@link EpollReactor} (no device needed: the host is attached to a transport that only
 * names the device and the reactor) and waited for, at most the timeout.
 */
class IpHostCounterReaderTest {
    private EpollReactor reactor;
    private Thread loop;
    private final IpHost host = IpHost.onTun().address("10.77.0.2/24");

    /** A transport that names a device and a reactor and carries nothing. */
    private record NamingTransport(String device, Reactor reactor) implements PacketTransport {
        @Override
        public int write(ByteBuffer packet) {
            return 0;
        }

        @Override
        public int write(byte[] packet) {
            return 0;
        }

        @Override
        public int writeSequence(List<ByteBuffer> parts) {
            return 0;
        }

        @Override
        public TunnelAddress getHost() {
            return new TunnelAddress(TunnelFlags.IFF_TUN, device);
        }

        @Override
        public CompletableFuture<Void> stopListening() {
            return CompletableFuture.completedFuture(null);
        }
    }

    @BeforeEach
    void startReactor() throws Exception {
        reactor = new EpollReactor();
        host.protocol().makeConnection(new NamingTransport("jt7", reactor));
        loop = Thread.ofPlatform().name("reactor-jt7").start(reactor::run);
        CountDownLatch running = new CountDownLatch(1);
        reactor.callFromThread(running::countDown);
        assertThat(running.await(5, TimeUnit.SECONDS)).as("reactor loop started").isTrue();
    }

    @AfterEach
    void stopReactor() throws Exception {
        reactor.stop();
        loop.join(5_000);
        assertThat(loop.isAlive()).as("reactor loop stopped").isFalse();
        reactor.close();
    }

    @Test
    void aReadFromAnotherThreadRunsOnTheReactorThread() {
        AtomicReference<Thread> readOn = new AtomicReference<>();
        IpHostCounterReader reader = new IpHostCounterReader(host, Duration.ofSeconds(5));
        reactor.callFromThread(() -> readOn.set(Thread.currentThread()));
        assertThat(reader.read()).containsEntry("ip.received", 0L).containsKey("udp.drop.NO_LISTENER");
        assertThat(readOn.get()).isSameAs(loop);
        assertThat(reader.interfaceName()).isEqualTo("jt7");
        assertThat(reader.names()).containsExactlyElementsOf(reader.read().keySet());
    }

    @Test
    void aReadTimesOutNamingTheDeviceWhenTheReactorThreadIsBusy() throws Exception {
        IpHostCounterReader reader = new IpHostCounterReader(host, Duration.ofMillis(100));
        CountDownLatch release = new CountDownLatch(1);
        reactor.callFromThread(() -> {
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            assertThatThrownBy(reader::read)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("jt7: IpHost counters: the reactor thread did not answer within 100 ms (is the reactor running?)");
        } finally {
            release.countDown();
        }
        CountDownLatch drained = new CountDownLatch(1);
        reactor.callFromThread(drained::countDown);
        assertThat(drained.await(5, TimeUnit.SECONDS)).as("reactor thread free again").isTrue();
        assertThat(reader.read()).containsEntry("ip.received", 0L);   // answered once the thread is free
    }

    @Test
    void aReadInterruptedWhileWaitingKeepsTheInterrupt() {
        IpHostCounterReader reader = new IpHostCounterReader(host, Duration.ofSeconds(5));
        CountDownLatch release = new CountDownLatch(1);
        reactor.callFromThread(() -> {
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            Thread.currentThread().interrupt();
            assertThatThrownBy(reader::read)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("jt7: IpHost counters: interrupted waiting for the reactor thread");
            assertThat(Thread.interrupted()).isTrue();
        } finally {
            release.countDown();
        }
    }

    @Test
    void aTimeoutMustBePositive() {
        assertThatThrownBy(() -> new IpHostCounterReader(host, Duration.ZERO))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("timeout must be positive: PT0S");
    }
}

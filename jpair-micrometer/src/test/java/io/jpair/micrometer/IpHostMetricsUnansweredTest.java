package io.jpair.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.host.IpHost;
import io.jpair.metrics.IpHostCounterReader;
import io.jpair.reactor.EpollReactor;
import io.jpair.reactor.Reactor;
import io.jpair.transport.PacketTransport;
import io.jpair.tuntap.TunnelAddress;
import io.jpair.tuntap.TunnelFlags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A host whose reactor thread is busy: its meters read {@code NaN} after the reader's timeout,
 * and real values again once the thread answers. The host runs on a real {@link EpollReactor}
 * thread (no device needed: it is attached to a transport that only names a device and the reactor).
 */
class IpHostMetricsUnansweredTest {
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

    @Test
    void metersReadNaNWhileTheReactorThreadDoesNotAnswerAndValuesOnceItDoes() throws Exception {
        IpHost host = IpHost.onTun().address("10.77.0.2/24");
        try (EpollReactor reactor = new EpollReactor()) {
            host.protocol().makeConnection(new NamingTransport("jt9", reactor));
            Thread loop = Thread.ofPlatform().name("reactor-jt9").start(reactor::run);
            try {
                SimpleMeterRegistry registry = new SimpleMeterRegistry();
                new IpHostMetrics(new IpHostCounterReader(host, Duration.ofMillis(100)), Duration.ZERO, List.of())
                    .bindTo(registry);
                CountDownLatch release = new CountDownLatch(1);
                reactor.callFromThread(() -> {
                    try {
                        release.await(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                assertThat(registry.get("jpair.host.ip.received").functionCounter().count()).isNaN();
                release.countDown();
                CountDownLatch drained = new CountDownLatch(1);
                reactor.callFromThread(drained::countDown);
                assertThat(drained.await(5, TimeUnit.SECONDS)).as("reactor thread free again").isTrue();
                assertThat(registry.get("jpair.host.ip.received").functionCounter().count()).isZero();
            } finally {
                reactor.stop();
                loop.join(5_000);
            }
            assertThat(loop.isAlive()).as("reactor loop stopped").isFalse();
        }
    }
}

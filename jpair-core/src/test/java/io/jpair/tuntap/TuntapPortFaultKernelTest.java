package io.jpair.tuntap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.kernel.KernelTest;
import io.jpair.kernel.Shell;
import io.jpair.reactor.EpollReactor;
import io.jpair.testing.Packets;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Faults the real kernel produces, seen through a {@link TuntapPort}. */
@KernelTest
class TuntapPortFaultKernelTest {
    private EpollReactor reactor;

    @BeforeEach
    void createReactor() throws Exception {
        reactor = new EpollReactor();
    }

    @AfterEach
    void closeReactor() {
        reactor.close();
    }

    @Test
    void writingWhileTheLinkIsDownFailsWithEioAndThePortKeepsWorkingOnceUp() throws Exception {
        TuntapPort port = new TuntapPort("jdown0", new RecordingIpProtocol(), reactor);
        port.startListening();
        try {
            byte[] packet = Packets.ipv4Udp("10.79.0.2", 5000, "10.79.0.1", 7000, new byte[] {1, 2, 3});
            assertThatThrownBy(() -> port.write(packet)).isInstanceOf(ErrnoException.class)
                .hasMessageContaining("jdown0: write: EIO (Input/output error): the link is down")
                .satisfies(e -> assertThat(((ErrnoException) e).errno()).isEqualTo(Errno.EIO));
            assertThat(port.isConnected()).isTrue();
            Shell.ip("addr", "add", "10.79.0.1/24", "dev", "jdown0");
            Shell.ip("link", "set", "jdown0", "up");
            assertThat(port.write(packet)).isEqualTo(packet.length);
        } finally {
            port.stopListening();
            reactor.runOnce(0);
        }
    }

    @Test
    void aProtocolThrowingOnEveryPacketKeepsReadingARealDeviceAndLogsAtARateLimit() throws Exception {
        // Captured from the start: the kernel's own IPv6 packets after "link up" are the first to
        // make the protocol throw, and the rate limit then holds back the next report for a second.
        var log = TuntapPortContract.capture();
        TuntapPort port = new TuntapPort("jthrow0", new TuntapPortContract.ThrowingOnReceive(), reactor);
        port.startListening();
        Shell.ip("addr", "add", "10.81.0.1/24", "dev", "jthrow0");
        Shell.ip("link", "set", "jthrow0", "up");
        Thread loop = Thread.ofPlatform().name("reactor").start(reactor::run);
        long start = System.nanoTime();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.ofLiteral("10.81.0.1"), 0))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (int batch = 1; batch <= 20; batch++) { // paced below the device queue (500 packets)
                for (int i = 0; i < 100; i++) {
                    socket.send(new DatagramPacket(new byte[32], 32,
                        new InetSocketAddress(InetAddress.ofLiteral("10.81.0.2"), 9)));
                }
                while (port.counters().packetsRead() < batch * 100L && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
            }
        } finally {
            CompletableFuture<Void> stopped = new CompletableFuture<>();
            reactor.callFromThread(() -> port.stopListening().whenComplete((v, e) -> stopped.complete(null)));
            stopped.get(5, TimeUnit.SECONDS);
            reactor.stop();
            loop.join(5000);
            TuntapPortContract.release(log);
        }
        long seconds = (System.nanoTime() - start + 999_999_999L) / 1_000_000_000L; // rounded up
        assertThat(port.counters().packetsRead()).as("every datagram was read despite the protocol").isGreaterThanOrEqualTo(2000);
        assertThat(port.counters().protocolErrors()).isEqualTo(port.counters().packetsRead());
        assertThat(reactor.errorCount()).as("nothing escaped to the reactor").isZero();
        assertThat(log.list).as("logged at most once per second").isNotEmpty().hasSizeLessThanOrEqualTo((int) seconds + 1);
    }

    @Test
    void stopListeningRacingWithWritesAndReadsFromAnotherThreadLosesNothingAndLeaksNothing() throws Exception {
        RecordingIpProtocol protocol = new RecordingIpProtocol();
        TuntapPort port = new TuntapPort("jrace0", protocol, reactor);
        port.startListening();
        Shell.ip("addr", "add", "10.80.0.1/24", "dev", "jrace0");
        Shell.ip("link", "set", "jrace0", "up");
        int fd = port.fileno();
        AtomicLong written = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        Thread loop = Thread.ofPlatform().name("reactor").start(reactor::run);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.ofLiteral("10.80.0.1"), 0))) {
            byte[] packet = Packets.ipv4Udp("10.80.0.2", 5000, "10.80.0.1", 7000, new byte[64]);
            CompletableFuture<CompletableFuture<Void>> stop = new CompletableFuture<>();
            CountDownLatch done = new CountDownLatch(1);
            for (int i = 0; i < 2000; i++) {
                // Traffic in: the kernel routes these into the port while it reads (until the device goes).
                try {
                    socket.send(new DatagramPacket(new byte[8], 8,
                        new InetSocketAddress(InetAddress.ofLiteral("10.80.0.2"), 9)));
                } catch (java.io.IOException deviceGone) {
                    // After the close the route is gone: "Network is unreachable".
                }
                reactor.callFromThread(() -> {
                    try {
                        port.write(packet);
                        written.incrementAndGet();
                    } catch (ErrnoException e) {
                        if (e.errno() == Errno.EBADF) {
                            refused.incrementAndGet();
                        } else {
                            unexpected.set(e);
                        }
                    }
                });
                if (i == 1000) {
                    reactor.callFromThread(() -> stop.complete(port.stopListening()));
                }
            }
            reactor.callFromThread(done::countDown);
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(stop.get(5, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS)).isNull();
        } finally {
            reactor.stop();
            loop.join(5000);
        }
        assertThat(unexpected.get()).isNull();
        assertThat(written.get() + refused.get()).isEqualTo(2000);
        assertThat(written.get()).isGreaterThanOrEqualTo(1001);
        assertThat(reactor.errorCount()).isZero();
        assertThat(port.fileno()).isEqualTo(-1);
        assertThat(java.nio.file.Files.exists(java.nio.file.Path.of("/proc/self/fd/" + fd))
            && java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/" + fd)).toString()
                .contains("tun")).as("the device fd is closed").isFalse();
    }
}

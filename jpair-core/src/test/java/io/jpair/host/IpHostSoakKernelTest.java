package io.jpair.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.kernel.KernelTest;
import io.jpair.kernel.ProcFds;
import io.jpair.kernel.Shell;
import io.jpair.reactor.EpollReactor;
import io.jpair.tuntap.TuntapPort;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A soak: a jpair host on a real TAP device in the private namespace under mixed traffic at full
 * rate for {@code jpair.soak.seconds} (15 s in CI; {@code scripts/soak-long} runs 600 s):
 * <ul>
 *   <li>valid: a kernel UDP socket flooding the host's echo port, and {@code ping -f};</li>
 *   <li>malformed: random and mutated frames ({@link FrameCorpus}) written onto the device with an
 *       {@code AF_PACKET} socket ({@link FrameInjector}), which the kernel transmits to the host
 *       unchanged.</li>
 * </ul>
 * Every 5 s the heap is measured after a full GC; at the end the generators stop and the test
 * checks: heap after GC stayed within {@value #HEAP_BOUND_MB} MiB of the start, the process has
 * the same fds as before the traffic (and as before the host once it is stopped), nothing escaped
 * the reactor or the protocols, the counters add up ({@link HostAccounting}), and the host still
 * answers {@code ping}. The figures are printed.
 */
@KernelTest
class IpHostSoakKernelTest {
    private static final long SECONDS = Long.getLong("jpair.soak.seconds", 15);
    private static final long HEAP_BOUND_MB = 16;
    private static final String DEVICE = "jsoak0";

    private static long heapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Each open fd and what it points at (the listing's own fd left out), for a readable leak report. */
    private static List<String> fdTargets() throws IOException {
        List<String> targets = new ArrayList<>();
        try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
            for (java.nio.file.Path fd : fds.toList()) {
                try {
                    String target = java.nio.file.Files.readSymbolicLink(fd).toString();
                    if (!target.startsWith("/proc/")) {
                        targets.add(fd.getFileName() + " -> " + target);
                    }
                } catch (IOException e) {
                    // closed meanwhile (e.g. the listing's own fd)
                }
            }
        }
        return targets;
    }

    private static <T> T onReactor(EpollReactor reactor, java.util.concurrent.Callable<T> read) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        reactor.callFromThread(() -> {
            try {
                result.complete(read.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result.get(10, TimeUnit.SECONDS);
    }

    private static Thread start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void aHostUnderAMixedFloodKeepsHeapAndFdsFlatAndStillAnswersPing() throws Exception {
        // The JDK keeps one socket fd for good once it first closes a socket (NIO's pre-close
        // socketpair end): open and close one first, so that fd is not counted as a leak.
        new DatagramSocket().close();
        long fdsBeforeHost = ProcFds.count();
        List<String> fdsBeforeHostList = fdTargets();
        EpollReactor reactor = new EpollReactor();
        IpHost host = IpHost.onTap(FrameCorpus.OUR_MAC).address("10.77.1.2/24").address("fd00:77::2/64")
            .udp(7, new IpHostTest.Echo());
        TuntapPort port = host.listen(DEVICE, reactor);
        Thread loop = start("jpair-reactor", reactor::run);
        Shell.ip("link", "set", "dev", DEVICE, "address", "02:00:00:77:00:01");
        Shell.ip("addr", "add", "10.77.1.1/24", "dev", DEVICE);
        Shell.ip("link", "set", DEVICE, "up");
        assertThat(Shell.run(10, "ping", "-c", "3", "-i", "0.2", "-W", "1", "-n", "10.77.1.2").exitCode()).isZero();

        long fdsBefore = ProcFds.count();
        List<String> fdsBeforeList = fdTargets();
        long heapBefore = heapAfterGc();
        long heapMax = heapBefore;
        List<Long> heapSamples = new ArrayList<>();
        heapSamples.add(heapBefore);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong udpSent = new AtomicLong();
        AtomicLong udpSendFailures = new AtomicLong();
        AtomicLong udpEchoed = new AtomicLong();
        AtomicLong injected = new AtomicLong();
        AtomicLong injectFailures = new AtomicLong();
        List<Throwable> generatorErrors = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<Shell.Result> flood = new CompletableFuture<>();

        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("10.77.1.1", 0))) {
            udp.setSoTimeout(200);
            InetSocketAddress echo = new InetSocketAddress("10.77.1.2", 7);
            List<Thread> generators = List.of(
                start("udp-sender", () -> {
                    byte[] data = new byte[512];
                    DatagramPacket out = new DatagramPacket(data, data.length, echo);
                    while (running.get()) {
                        try {
                            data[0]++;
                            out.setLength(16 + (data[0] & 0xFF));
                            udp.send(out);
                            udpSent.incrementAndGet();
                        } catch (IOException e) {
                            udpSendFailures.incrementAndGet(); // ENOBUFS: the device queue is full
                        }
                    }
                }),
                start("udp-receiver", () -> {
                    DatagramPacket in = new DatagramPacket(new byte[2048], 2048);
                    while (running.get()) {
                        try {
                            udp.receive(in);
                            udpEchoed.incrementAndGet();
                        } catch (SocketTimeoutException e) {
                            // check running again
                        } catch (IOException e) {
                            if (running.get()) {
                                generatorErrors.add(e);
                            }
                            return;
                        }
                    }
                }),
                start("malformed-injector", () -> {
                    try (FrameInjector injector = new FrameInjector(DEVICE)) {
                        Iterator<byte[]> frames = FrameCorpus.hostile(FrameCorpus.FRAMES, true).sampleStream().iterator();
                        while (running.get()) {
                            if (injector.send(frames.next())) {
                                injected.incrementAndGet();
                            } else {
                                injectFailures.incrementAndGet();
                            }
                        }
                    } catch (Throwable t) {
                        generatorErrors.add(t);
                    }
                }),
                start("ping-flood", () -> flood.complete(Shell.run(SECONDS + 15, "ping", "-f", "-q", "-n", "-w",
                    Long.toString(SECONDS), "10.77.1.2"))));

            while (System.nanoTime() < deadline) {
                Thread.sleep(Math.min(5000, Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
                long heap = heapAfterGc();
                heapSamples.add(heap);
                heapMax = Math.max(heapMax, heap);
            }
            running.set(false);
            for (Thread t : generators) {
                t.join(TimeUnit.SECONDS.toMillis(SECONDS + 20));
                assertThat(t.isAlive()).as("%s stopped", t.getName()).isFalse();
            }
        }
        assertThat(generatorErrors).isEmpty();
        Thread.sleep(200); // let the last queued frames drain
        long heapAfter = heapAfterGc();
        long fdsAfter = ProcFds.count();
        List<String> fdsAfterList = fdTargets();

        Shell.Result ping = Shell.run(15, "ping", "-c", "5", "-i", "0.2", "-W", "2", "-n", "10.77.1.2");
        long received = onReactor(reactor, () -> port.counters().packetsRead());
        long protocolErrors = onReactor(reactor, () -> port.counters().protocolErrors());
        Map<String, Long> counters = onReactor(reactor, host::counters);
        onReactor(reactor, () -> {
            HostAccounting.assertConsistent(host, port.counters().packetsRead());
            return null;
        });
        long errors = reactor.errorCount();

        CompletableFuture<Void> stopped = new CompletableFuture<>();
        reactor.callFromThread(() -> port.stopListening().whenComplete((v, e) -> {
            reactor.stop();
            stopped.complete(null);
        }));
        stopped.get(5, TimeUnit.SECONDS);
        loop.join(5000);
        reactor.close();
        long fdsAfterHost = ProcFds.count();
        List<String> fdsAfterHostList = fdTargets();

        String floodSummary = flood.getNow(null) == null ? "" : flood.getNow(null).output().strip();
        System.out.printf("soak %d s: frames received %d (malformed injected %d, refused %d; udp sent %d, "
                + "refused %d, echoed %d); ping -f: %s%n", SECONDS, received, injected.get(), injectFailures.get(),
            udpSent.get(), udpSendFailures.get(), udpEchoed.get(), floodSummary.replace('\n', ' '));
        System.out.printf("soak heap after GC: before %d KiB, max %d KiB, after %d KiB (samples %s KiB); "
                + "fds: before host %d, before traffic %d, after traffic %d, after host %d%n",
            heapBefore / 1024, heapMax / 1024, heapAfter / 1024,
            heapSamples.stream().map(h -> Long.toString(h / 1024)).toList(), fdsBeforeHost, fdsBefore, fdsAfter,
            fdsAfterHost);
        System.out.println("soak counters (non-zero):\n" + CounterReport.of(counters, "  "));
        System.out.println("soak final ping: " + ping.output().strip().lines().reduce((a, b) -> b).orElse(""));

        assertThat(ping.exitCode()).as("the host still answers ping: %s", ping.output()).isZero();
        assertThat(ping.output()).contains("5 received");
        assertThat(protocolErrors).isZero();
        assertThat(errors).as("nothing escaped the reactor").isZero();
        assertThat(injected.get()).isPositive();
        assertThat(udpEchoed.get()).isPositive();
        assertThat(heapMax - heapBefore).as("heap after GC stays within a bound").isLessThan(HEAP_BOUND_MB << 20);
        assertThat(heapAfter - heapBefore).isLessThan(HEAP_BOUND_MB << 20);
        // Compared as sets: fds other threads of the test JVM close meanwhile are not ours to count.
        assertThat(fdsAfterList).as("no fd leaked during the soak").isSubsetOf(fdsBeforeList);
        assertThat(fdsAfterHostList).as("stopping the host released its fds").isSubsetOf(fdsBeforeHostList);
    }
}

package io.jpair.bench.offload;

import io.jpair.reactor.EpollReactor;
import io.jpair.tuntap.offload.OffloadOptions;
import io.jpair.tuntap.RealIOSystem;
import io.jpair.tuntap.TunQueue;
import io.jpair.tuntap.TunQueueReader;
import io.jpair.tuntap.TunnelOptions;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Aggregate read rate of N queues of one multi-queue TUN device, one thread and one
 * {@link EpollReactor} per queue. The queues are filled first (64-byte UDP datagrams over 64
 * flows, so the kernel's flow hash spreads them), then all readers start together and drain
 * them: the reader-side ceiling without a sender competing for the 2 CPUs (as tunbench's
 * {@code drain}). Not a test; run inside a fresh namespace by {@code bench/offload/run-mq.sh}.
 *
 * <pre>
 * java ... io.jpair.bench.offload.MultiQueueDrainBench QUEUES PACKETS
 * </pre>
 */
public final class MultiQueueDrainBench {
    private static final int OFFSET = 16;

    private MultiQueueDrainBench() {
    }

    /** Turns the reactor until a turn hands no batch over (the queue is empty) or the deadline. */
    private static void drainUntilEmpty(EpollReactor reactor, TunQueueReader reader, long deadline) {
        long before;
        do {
            before = reader.batches();
            reactor.runOnce(10_000_000L);
        } while (reader.batches() != before && System.nanoTime() < deadline);
    }

    private static final int PACKETS_WARM = 100_000;

    /** Sends 64-byte datagrams round-robin over 64 flows into the device. */
    private static void fill(int packets) throws Exception {
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.bind(new InetSocketAddress("10.98.0.1", 0));
            ByteBuffer payload = ByteBuffer.allocateDirect(64);
            InetSocketAddress[] targets = new InetSocketAddress[64];
            for (int f = 0; f < targets.length; f++) {
                targets[f] = new InetSocketAddress("10.98.0.2", 20000 + f);
            }
            for (int i = 0; i < packets; i++) {
                payload.clear();
                channel.send(payload, targets[i & 63]);
            }
        }
    }

    private static void ip(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = "ip";
        System.arraycopy(args, 0, command, 1, args.length);
        Process process = new ProcessBuilder(command).inheritIO().start();
        if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("ip " + String.join(" ", args) + " failed");
        }
    }

    /**
     * Entry point.
     *
     * @param args QUEUES PACKETS
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        int packets = Integer.parseInt(args[1]);
        TunQueue[] queues = TunQueue.openQueues("mqb0", count, TunnelOptions.defaults(), OffloadOptions.disabled(),
            RealIOSystem.INSTANCE);
        try {
            ip("link", "set", "mqb0", "txqueuelen", "400000");
            ip("addr", "add", "10.98.0.1/24", "dev", "mqb0");
            ip("link", "set", "mqb0", "up");
            Thread.sleep(200);
            fill(PACKETS_WARM);
            Thread.sleep(200);
            CountDownLatch warm = new CountDownLatch(1);
            CountDownLatch warmed = new CountDownLatch(count);
            CountDownLatch go = new CountDownLatch(1);
            long[] read = new long[count];
            long[] nanos = new long[count];
            long[] cpu = new long[count];
            Thread[] threads = new Thread[count];
            for (int q = 0; q < count; q++) {
                int index = q;
                threads[q] = new Thread(() -> {
                    try (EpollReactor reactor = new EpollReactor()) {
                        TunQueueReader reader = new TunQueueReader(queues[index], 2048, (p, s, c, o) -> { });
                        reactor.addReader(reader);
                        warm.await();
                        drainUntilEmpty(reactor, reader, System.nanoTime() + 10_000_000_000L);
                        long before = queues[index].counters().packetsRead();
                        warmed.countDown();
                        go.await();
                        long c0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                        long t0 = System.nanoTime();
                        drainUntilEmpty(reactor, reader, t0 + 30_000_000_000L);
                        nanos[index] = System.nanoTime() - t0;
                        cpu[index] = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - c0;
                        read[index] = queues[index].counters().packetsRead() - before;
                    } catch (Exception e) {
                        e.printStackTrace();
                    }
                }, "queue-" + q);
                threads[q].start();
            }
            warm.countDown();
            warmed.await();
            fill(packets);
            Thread.sleep(200);
            go.countDown();
            long total = 0;
            long slowest = 1;
            long cpuTotal = 0;
            StringBuilder perQueue = new StringBuilder();
            for (int q = 0; q < count; q++) {
                threads[q].join();
                total += read[q];
                slowest = Math.max(slowest, nanos[q]);
                cpuTotal += cpu[q];
                perQueue.append(String.format(" q%d_pkts=%d q%d_secs=%.4f q%d_pps=%.0f q%d_cpu_us_per_pkt=%.3f", q,
                    read[q], q, nanos[q] / 1e9, q, read[q] / (nanos[q] / 1e9), q,
                    read[q] > 0 ? cpu[q] / 1e3 / read[q] : 0));
            }
            System.out.printf("RESULT mode=mq-drain queues=%d sent=%d read=%d secs=%.4f aggregate_pps=%.0f cpu_share=%.2f"
                + " pps_per_cpu_second=%.0f%s%n", count, packets, total, slowest / 1e9, total / (slowest / 1e9),
                cpuTotal / (double) slowest, total / (cpuTotal / 1e9), perQueue);
        } finally {
            for (TunQueue queue : queues) {
                queue.close();
            }
        }
    }
}

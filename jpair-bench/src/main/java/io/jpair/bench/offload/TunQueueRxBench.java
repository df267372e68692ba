package io.jpair.bench.offload;

import io.jpair.bench.OffloadReader;
import io.jpair.reactor.EpollReactor;
import io.jpair.tuntap.offload.OffloadOptions;
import io.jpair.tuntap.TunQueue;
import io.jpair.tuntap.TunnelOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Receive benchmark of {@link TunQueue} on an existing TUN device, the Java counterpart of
 * {@code tunbench rx IF SECS vnet}: waits in an {@link EpollReactor}, reads batches, counts.
 * Not a test; run by {@code bench/offload/run-rx.sh} inside a namespace.
 *
 * <pre>
 * java ... io.jpair.bench.offload.TunQueueRxBench IF SECS MODE
 *   MODE split : offload on, super-packets split into wire-size packets with checksums (read)
 *   MODE virtio: offload on, super-packets delivered unchanged (readVirtio), as the C reader
 *   MODE plain : no IFF_VNET_HDR, plain packets (read)
 * </pre>
 * Prints one {@code RESULT} line: {@code gbps} counts IP bytes as read from the kernel
 * (super-packets whole, without the virtio header), as tunbench does.
 */
public final class TunQueueRxBench {
    private TunQueueRxBench() {
    }

    /**
     * Entry point.
     *
     * @param args IF SECS MODE
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        String device = args[0];
        double secs = Double.parseDouble(args[1]);
        String mode = args[2];
        OffloadOptions offload = mode.equals("plain") ? OffloadOptions.disabled() : OffloadOptions.enabled();
        TunQueue queue = TunQueue.open(device, TunnelOptions.defaults(), offload);
        OffloadReader reader = new OffloadReader(queue, mode.equals("virtio"));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (EpollReactor reactor = new EpollReactor()) {
            reactor.addReader(reader);
            long start = System.nanoTime();
            long windowStart = start + 500_000_000L;
            long end = windowStart + (long) (secs * 1e9);
            boolean inWindow = false;
            long p0 = 0;
            long b0 = 0;
            long s0 = 0;
            long g0 = 0;
            long w0 = 0;
            long c0 = 0;
            long t0 = 0;
            long now;
            while ((now = System.nanoTime()) < end) {
                if (!inWindow && now >= windowStart) {
                    inWindow = true;
                    p0 = queue.counters().packetsRead();
                    b0 = queue.counters().bytesRead();
                    s0 = queue.counters().superPacketsRead();
                    g0 = reader.bytes();
                    w0 = reader.wakeups();
                    c0 = threads.getCurrentThreadCpuTime();
                    t0 = now;
                }
                reactor.runOnce(100_000_000L);
            }
            double dt = (System.nanoTime() - t0) / 1e9;
            double cpu = (threads.getCurrentThreadCpuTime() - c0) / 1e9;
            long packets = queue.counters().packetsRead() - p0;
            long bytes = queue.counters().bytesRead() - b0;
            long supers = queue.counters().superPacketsRead() - s0;
            System.out.printf("RESULT mode=jrx-%s pkts=%d secs=%.3f pps=%.0f gbps=%.3f super_pps=%.0f seg_gbps=%.3f"
                + " wakeups=%d cpu=%.2f us_per_pkt=%.3f dropped=%d offloads=%s%n", mode, packets, dt, packets / dt,
                bytes * 8 / dt / 1e9, supers / dt, (reader.bytes() - g0) * 8 / dt / 1e9, reader.wakeups() - w0,
                cpu / dt, packets > 0 ? cpu * 1e6 / packets : 0, queue.counters().droppedReads(),
                io.jpair.tuntap.offload.Offloads.describe(queue.offloads()));
        } finally {
            queue.close();
        }
    }
}

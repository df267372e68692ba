package io.jpair.bench;

import com.sun.management.ThreadMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * One measurement window on the calling (reactor) thread, as {@code tunbench.c} measures: wall
 * time, the thread's CPU time ({@code CLOCK_THREAD_CPUTIME_ID}), the bytes the thread allocated,
 * and the number of garbage collections in the whole JVM. {@link #open} and {@link #close} must
 * run on the same thread; the reads they make are ordered so that the window does not count its
 * own bookkeeping.
 */
final class Window {
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final List<GarbageCollectorMXBean> COLLECTORS = ManagementFactory.getGarbageCollectorMXBeans();

    private long startNanos;
    private long startCpu;
    private long startAllocated;
    private long startGcs;
    private long startPackets;
    private long startBytes;
    private boolean open;
    private boolean closed;

    long nanos;
    long cpuNanos;
    long allocated;
    long gcs;
    long packets;
    long bytes;

    /**
     * Opens the window.
     *
     * @param packetCount the packet counter now
     * @param byteCount the byte counter now
     */
    void open(long packetCount, long byteCount) {
        startGcs = gcCount();
        startAllocated = THREADS.getCurrentThreadAllocatedBytes();
        startCpu = THREADS.getCurrentThreadCpuTime();
        startPackets = packetCount;
        startBytes = byteCount;
        startNanos = System.nanoTime();
        open = true;
    }

    /**
     * Closes the window; does nothing if it never opened or is already closed.
     *
     * @param packetCount the packet counter now
     * @param byteCount the byte counter now
     */
    void close(long packetCount, long byteCount) {
        close(packetCount, byteCount, System.nanoTime());
    }

    /**
     * Closes the window at a given end time (e.g. when the last packet of a drain arrived).
     *
     * @param packetCount the packet counter now
     * @param byteCount the byte counter now
     * @param endNanos the end of the window
     */
    void close(long packetCount, long byteCount, long endNanos) {
        if (!open || closed) {
            return;
        }
        long cpu = THREADS.getCurrentThreadCpuTime();
        long alloc = THREADS.getCurrentThreadAllocatedBytes();
        closed = true;
        nanos = Math.max(1, endNanos - startNanos);
        cpuNanos = cpu - startCpu;
        allocated = alloc - startAllocated;
        packets = packetCount - startPackets;
        bytes = byteCount - startBytes;
        gcs = gcCount() - startGcs;
    }

    boolean isClosed() {
        return closed;
    }

    double seconds() {
        return nanos / 1e9;
    }

    private static long gcCount() {
        long total = 0;
        for (int i = 0; i < COLLECTORS.size(); i++) {
            total += Math.max(0, COLLECTORS.get(i).getCollectionCount());
        }
        return total;
    }
}

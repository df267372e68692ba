package io.jpair.bench;

import io.jpair.sys.InetSocket;
import io.jpair.sys.LibC;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * The {@code offload} scenario's own traffic ({@code --traffic self}): a UDP flood from
 * {@code LOCAL} to {@code PEER:9} whose every send is one GSO super-packet of
 * {@link #segments(int)} segments of {@code segment} bytes ({@code UDP_SEGMENT}, as
 * {@code tunbench send SECS 1400 1400} does), so the TUN queue receives super-packets. Runs on
 * its own daemon thread until {@link #close()}, bounded by a deadline as well.
 *
 * <p>{@code DatagramChannel} cannot set {@code UDP_SEGMENT}, so this is the one place of the
 * harness that uses jpair's internal {@code io.jpair.sys} ({@link InetSocket}, {@link LibC}).
 */
final class GsoFlood implements AutoCloseable {
    /** The kernel's limit is {@code UDP_MAX_SEGMENTS}; 64 keeps every split within one read batch. */
    private static final int MAX_SEGMENTS = 64;
    /** Bytes of payload per super-send, at most (tunbench's 60,000). */
    private static final int MAX_SEND = 60_000;
    private static final long MAX_NANOS = 600_000_000_000L;

    private final int fd;
    private final int length;
    private final Thread thread;
    private volatile boolean stopped;
    volatile long sends;
    volatile long errors;

    private GsoFlood(int fd, int length) {
        this.fd = fd;
        this.length = length;
        this.thread = new Thread(this::loop, "gso-flood");
        thread.setDaemon(true);
    }

    /**
     * Segments per super-send for a segment size: as many as fit in 60,000 bytes, at most 64.
     *
     * @param segment the segment (UDP payload) size
     * @return the segment count
     */
    static int segments(int segment) {
        return Math.max(1, Math.min(MAX_SEGMENTS, MAX_SEND / segment));
    }

    /**
     * Opens the socket ({@code LOCAL} to {@code PEER:9}, {@code UDP_SEGMENT = segment}) and starts
     * sending.
     *
     * @param segment the segment (UDP payload) size, at least 1
     * @return the running flood
     * @throws IOException if the socket cannot be set up
     */
    static GsoFlood start(int segment) throws IOException {
        int fd = InetSocket.udp();
        if (fd < 0) {
            throw new IOException("gso-flood: socket: errno " + -fd);
        }
        int r = InetSocket.bind(fd, (Inet4Address) InetAddress.ofLiteral(Generator.LOCAL), 0);
        if (r == 0) {
            r = InetSocket.connect(fd, (Inet4Address) InetAddress.ofLiteral(Generator.PEER), 9);
        }
        if (r == 0) {
            r = InetSocket.udpSegment(fd, segment);
        }
        if (r != 0) {
            LibC.close(fd);
            throw new IOException("gso-flood: bind/connect/UDP_SEGMENT " + segment + ": errno " + -r);
        }
        GsoFlood flood = new GsoFlood(fd, segment * segments(segment));
        flood.thread.start();
        return flood;
    }

    private void loop() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment payload = arena.allocate(length, 64);
            long address = payload.address();
            long deadline = System.nanoTime() + MAX_NANOS;
            while (!stopped && System.nanoTime() < deadline) {
                if (LibC.write(fd, address, length) == length) {
                    sends++;
                } else {
                    errors++;
                }
            }
        } finally {
            LibC.close(fd);
        }
    }

    /** Stops the thread (which closes its socket) and waits for it, at most a second. */
    @Override
    public void close() {
        stopped = true;
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

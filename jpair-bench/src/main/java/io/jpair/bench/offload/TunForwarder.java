package io.jpair.bench.offload;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.reactor.EpollReactor;
import io.jpair.reactor.ReadDescriptor;
import io.jpair.tuntap.offload.OffloadOptions;
import io.jpair.tuntap.TunQueue;
import io.jpair.tuntap.TunnelOptions;
import java.nio.ByteBuffer;

/**
 * A two-port TUN forwarder for the TCP-through-TUN benchmark: everything read from one device is
 * written to the other, on one {@link EpollReactor} thread. Not a test; run by
 * {@code bench/offload/run-forward.sh}.
 *
 * <pre>
 * java ... io.jpair.bench.offload.TunForwarder IF_A IF_B MODE SECS
 *   MODE plain : no offload, wire-size packets (batch read / write)
 *   MODE split : offload; read splits super-packets (checksums), write coalesces them again (GRO)
 *   MODE virtio: offload; super-packets and their virtio headers passed through unchanged
 * </pre>
 * Creates both devices (non-persistent), prints {@code READY} and forwards for SECS seconds.
 */
public final class TunForwarder {
    private static final int OFFSET = 16;
    /** Buffers per direction ({@code -Djpair.bench.batch}, default {@link TunQueue#IDEAL_BATCH_SIZE}). */
    private static final int BATCH = Integer.getInteger("jpair.bench.batch", TunQueue.IDEAL_BATCH_SIZE);

    private TunForwarder() {
    }

    /** One direction. */
    private static final class Direction implements ReadDescriptor {
        final TunQueue from;
        final TunQueue to;
        final String mode;
        final ByteBuffer[] bufs = new ByteBuffer[BATCH];
        final int[] sizes = new int[BATCH];
        long packets;
        long linkDownDrops;

        Direction(TunQueue from, TunQueue to, String mode) {
            this.from = from;
            this.to = to;
            this.mode = mode;
            int size = mode.equals("plain") ? OFFSET + 2048 : OFFSET + 65536;
            for (int i = 0; i < bufs.length; i++) {
                bufs[i] = ByteBuffer.allocateDirect(size);
            }
        }

        @Override
        public int fileno() {
            return from.fileno();
        }

        @Override
        public void doRead() throws Exception {
            for (int batch = 0; batch < 16; batch++) {
                int n = mode.equals("virtio") ? from.readVirtio(bufs, sizes, OFFSET) : from.read(bufs, sizes, OFFSET);
                try {
                    if (mode.equals("virtio")) {
                        to.writeVirtio(bufs, n, OFFSET);
                    } else {
                        to.write(bufs, n, OFFSET);
                    }
                } catch (ErrnoException e) {
                    if (e.errno() != Errno.EIO) {
                        throw e;
                    }
                    linkDownDrops += n; // the other port is not up yet: drop, as a router would
                }
                packets += n;
                if (n == 0) {
                    return;
                }
            }
        }

        @Override
        public void connectionLost(Throwable reason) {
            System.err.println("direction " + from.interfaceName() + " -> " + to.interfaceName() + " stopped: " + reason);
            if (reason != null) {
                reason.printStackTrace();
            }
        }
    }

    /**
     * Entry point.
     *
     * @param args IF_A IF_B MODE SECS
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        String mode = args[2];
        double secs = Double.parseDouble(args[3]);
        OffloadOptions offload = mode.equals("plain") ? OffloadOptions.disabled() : OffloadOptions.enabled();
        try (TunQueue a = TunQueue.open(args[0], TunnelOptions.defaults(), offload);
                TunQueue b = TunQueue.open(args[1], TunnelOptions.defaults(), offload);
                EpollReactor reactor = new EpollReactor()) {
            Direction ab = new Direction(a, b, mode);
            Direction ba = new Direction(b, a, mode);
            reactor.addReader(ab);
            reactor.addReader(ba);
            System.out.println("READY " + a + " " + b);
            System.out.flush();
            long end = System.nanoTime() + (long) (secs * 1e9);
            while (System.nanoTime() < end) {
                reactor.runOnce(100_000_000L);
            }
            System.out.printf("RESULT mode=fwd-%s ab_pkts=%d ba_pkts=%d ab_super_read=%d ab_super_written=%d"
                + " dropped_writes=%d/%d dropped_reads=%d/%d link_down_drops=%d%n", mode, ab.packets, ba.packets, a.counters().superPacketsRead(),
                b.counters().superPacketsWritten(), a.counters().droppedWrites(), b.counters().droppedWrites(), a.counters().droppedReads(), b.counters().droppedReads(),
                ab.linkDownDrops + ba.linkDownDrops);
        }
    }
}

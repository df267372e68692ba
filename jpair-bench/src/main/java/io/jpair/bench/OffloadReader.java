package io.jpair.bench;

import io.jpair.reactor.ReadDescriptor;
import io.jpair.tuntap.TunQueue;
import io.jpair.tuntap.offload.VirtioNetHeader;
import java.nio.ByteBuffer;

/**
 * The {@code offload} scenario's reader: reads a {@link TunQueue} opened with
 * {@code IFF_VNET_HDR} until it is empty (at most 64 batches per wake-up), either splitting
 * super-packets into wire-size packets with their checksums ({@link TunQueue#read}, mode
 * {@code split}) or taking them unchanged ({@link TunQueue#readVirtio}, mode {@code virtio}, as
 * {@code tunbench rx IF SECS vnet} does). Counts the wire segments either way: delivered packets
 * when splitting, and what each super-packet's virtio header says it holds when not.
 *
 * <p>Per read it allocates nothing; the counters are plain fields of the reactor thread.
 */
public final class OffloadReader implements ReadDescriptor {
    private static final int OFFSET = 16;
    private static final int BATCHES_PER_WAKEUP = 64;

    private final TunQueue queue;
    private final boolean virtio;
    private final ByteBuffer[] bufs;
    private final int[] sizes;
    /** Wire segments received (packets after splitting). */
    long segments;
    /** Bytes read, as the queue returned them (packets when splitting, super-packets when not). */
    long bytes;
    /** Reactor wake-ups that read. */
    long wakeups;

    /**
     * A reader of {@code queue}.
     *
     * @param queue an open queue with a virtio header
     * @param virtio true: pass super-packets through; false: split them
     */
    public OffloadReader(TunQueue queue, boolean virtio) {
        this.queue = queue;
        this.virtio = virtio;
        int size = virtio ? OFFSET + 65536 : OFFSET + 2048;
        this.bufs = new ByteBuffer[virtio ? 64 : TunQueue.IDEAL_BATCH_SIZE];
        for (int i = 0; i < bufs.length; i++) {
            bufs[i] = ByteBuffer.allocateDirect(size);
        }
        this.sizes = new int[bufs.length];
    }

    @Override
    public int fileno() {
        return queue.fileno();
    }

    @Override
    public void doRead() throws Exception {
        wakeups++;
        for (int batch = 0; batch < BATCHES_PER_WAKEUP; batch++) {
            int n = virtio ? queue.readVirtio(bufs, sizes, OFFSET) : queue.read(bufs, sizes, OFFSET);
            if (n == 0) {
                return;
            }
            for (int i = 0; i < n; i++) {
                bytes += sizes[i];
            }
            if (virtio) {
                for (int i = 0; i < n; i++) {
                    segments += segmentsOf(bufs[i], sizes[i]);
                }
            } else {
                segments += n;
            }
        }
    }

    /** Wire segments in one IPv4 packet read with its virtio header before {@code OFFSET}. */
    private static int segmentsOf(ByteBuffer buf, int length) {
        int gsoSize = VirtioNetHeader.gsoSize(buf, OFFSET - VirtioNetHeader.LENGTH);
        if (VirtioNetHeader.gsoType(buf, OFFSET - VirtioNetHeader.LENGTH) == VirtioNetHeader.GSO_NONE || gsoSize == 0
                || (buf.get(OFFSET) & 0xf0) != 0x40) {
            return 1;
        }
        int l3 = (buf.get(OFFSET) & 0x0f) * 4;
        int l4 = buf.get(OFFSET + 9) == 6 ? ((buf.get(OFFSET + l3 + 12) >> 4) & 0x0f) * 4 : 8;
        return (length - l3 - l4 + gsoSize - 1) / gsoSize;
    }

    /**
     * Bytes read so far (reactor thread).
     *
     * @return the count
     */
    public long bytes() {
        return bytes;
    }

    /**
     * Reactor wake-ups that read so far (reactor thread).
     *
     * @return the count
     */
    public long wakeups() {
        return wakeups;
    }

    @Override
    public void connectionLost(Throwable reason) {
        queue.close();
    }
}

package io.jpair.tuntap;

import io.jpair.reactor.ReadDescriptor;
import io.jpair.tuntap.offload.OffloadOptions;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one {@link TunQueue} from a reactor: when the queue's fd is readable it reads batches
 * into its own direct buffers and hands each batch to a {@link BatchHandler}, until the queue is
 * empty or {@value #MAX_BATCHES_PER_WAKEUP} batches were read (so one busy queue cannot starve
 * the reactor's other work). With a multi-queue device, give each queue its own reader, reactor and
 * thread:
 *
 * <pre>{@code
 * TunQueue[] queues = TunQueue.openQueues("mq%d", 2, TunnelOptions.defaults(), OffloadOptions.enabled());
 * for (TunQueue queue : queues) {
 *     Thread.ofPlatform().start(() -> {
 *         try (EpollReactor reactor = new EpollReactor()) {
 *             reactor.addReader(new TunQueueReader(queue, 1500, (packets, sizes, count, offset) -> {
 *                 // packets[i][offset, offset + sizes[i]) for i < count; write replies with queue.write
 *             }));
 *             reactor.run();
 *         } catch (ErrnoException e) {
 *             // no epoll/eventfd
 *         }
 *     });
 * }
 * }</pre>
 *
 * <p>The buffers are the reader's and are reused for the next batch: the handler may modify them
 * (e.g. rewrite addresses and pass the same arrays to {@link TunQueue#write}, whose head-room
 * rules they meet) but must copy what it keeps. Nothing is allocated per batch. A read error other
 * than {@code EAGAIN}/{@code EINTR}, or an exception from the handler, is thrown out of
 * {@link #doRead()}: the reactor then removes the reader and calls {@link #connectionLost};
 * closing the queue stays with its owner.
 */
public final class TunQueueReader implements ReadDescriptor {
    /** Batches read per wake-up at most. */
    public static final int MAX_BATCHES_PER_WAKEUP = 64;
    /** Head-room before each packet in the reader's buffers: a virtio header fits, 8-aligned. */
    public static final int HEAD_ROOM = 16;

    private static final Logger LOG = LoggerFactory.getLogger(TunQueueReader.class);

    /** What receives each batch. */
    @FunctionalInterface
    public interface BatchHandler {
        /**
         * A batch was read.
         *
         * @param packets the buffers; packet {@code i} is {@code packets[i][offset, offset + sizes[i])},
         *     and position/limit are set to it
         * @param sizes the packet lengths
         * @param count how many packets ({@code 1..packets.length})
         * @param offset the head-room before each packet ({@value TunQueueReader#HEAD_ROOM})
         * @throws Exception to have the reactor disconnect the reader
         */
        void batchReceived(ByteBuffer[] packets, int[] sizes, int count, int offset) throws Exception;
    }

    private final TunQueue queue;
    private final BatchHandler handler;
    private final ByteBuffer[] packets = new ByteBuffer[TunQueue.IDEAL_BATCH_SIZE];
    private final int[] sizes = new int[TunQueue.IDEAL_BATCH_SIZE];
    private long batches;

    /**
     * A reader with {@value TunQueue#IDEAL_BATCH_SIZE} buffers of {@code maxPacketSize} bytes
     * (plus {@value #HEAD_ROOM} of head-room) each.
     *
     * @param queue the queue to read
     * @param maxPacketSize the largest packet the queue delivers: the device's MTU (with offload,
     *     the segments are at most the MTU too); longer packets are truncated by the kernel
     * @param handler what receives each batch
     * @throws IllegalArgumentException unless {@code 68 <= maxPacketSize <= 65535}
     */
    public TunQueueReader(TunQueue queue, int maxPacketSize, BatchHandler handler) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.handler = Objects.requireNonNull(handler, "handler");
        if (maxPacketSize < 68 || maxPacketSize > 65535) {
            throw new IllegalArgumentException("maxPacketSize must be 68..65535 (the device MTU), not " + maxPacketSize);
        }
        for (int i = 0; i < packets.length; i++) {
            packets[i] = ByteBuffer.allocateDirect(HEAD_ROOM + maxPacketSize);
        }
    }

    /**
     * Reads batches until the queue is empty or {@value #MAX_BATCHES_PER_WAKEUP} were handed over.
     *
     * @throws Exception a read error ({@code ErrnoException}) or the handler's exception
     */
    @Override
    public void doRead() throws Exception {
        for (int i = 0; i < MAX_BATCHES_PER_WAKEUP; i++) {
            int count = queue.read(packets, sizes, HEAD_ROOM);
            if (count == 0) {
                return;
            }
            batches++;
            handler.batchReceived(packets, sizes, count, HEAD_ROOM);
        }
    }

    @Override
    public int fileno() {
        return queue.fileno();
    }

    @Override
    public void connectionLost(Throwable reason) {
        LOG.debug("{}: reader removed: {}", queue, reason == null ? "" : reason.toString());
    }

    @Override
    public String logPrefix() {
        return "TunQueueReader(" + queue.interfaceName() + ")";
    }

    /**
     * Batches handed to the handler so far (reactor thread; other threads may see a stale value).
     *
     * @return the count
     */
    public long batches() {
        return batches;
    }

    /**
     * The queue this reader reads.
     *
     * @return the queue
     */
    public TunQueue queue() {
        return queue;
    }
}

package io.jpair.tuntap;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.reactor.Reactor;
import io.jpair.tuntap.offload.WriteBatch;
import java.lang.foreign.Arena;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Write offload for a {@link TuntapPort}: the packets it holds back instead of writing, and the
 * flush that coalesces them ({@link WriteBatch}) into GSO super-packets and writes them. A held
 * packet's write already returned, so nobody is left to throw to: a failed write is counted in
 * {@link DeviceCounters#droppedWrites()} per packet it carried and, unless the queue was merely
 * full, logged at most once a second.
 */
final class HeldWrites {
    private static final Logger LOG = LoggerFactory.getLogger(TuntapPort.class);

    private final WriteBatch batch;
    private final DeviceCounters counters;
    private final Reactor reactor;
    private final String logPrefix;
    private final LogLimiter failures = new LogLimiter();

    HeldWrites(Arena arena, boolean udp, DeviceCounters counters, Reactor reactor, String logPrefix) {
        this.batch = new WriteBatch(arena, udp);
        this.counters = counters;
        this.reactor = reactor;
        this.logPrefix = logPrefix;
    }

    /** Makes room for one more packet, flushing to {@code device} when every slot is taken. */
    WriteBatch room(TunDevice device) {
        if (batch.isFull()) {
            flush(device);
        }
        return batch;
    }

    /** Coalesces and writes every held packet to {@code device}, then forgets them. */
    void flush(TunDevice device) {
        if (batch.isEmpty()) {
            return;
        }
        int writes = batch.coalesce();
        for (int w = 0; w < writes; w++) {
            int n = device.write(batch.packet(w), batch.length(w));
            int packets = batch.packets(w);
            if (n >= 0) {
                if (packets > 1) {
                    counters.superPacketWritten();
                }
                counters.written(packets, batch.originalBytes(w));
            } else {
                counters.droppedWrites(packets);
                if (n != -Errno.EAGAIN && n != -Errno.ENOBUFS && failures.allow(reactor.nanoTime())) {
                    LOG.warn("{}: {} ({} coalesced packet(s) dropped)", logPrefix, new ErrnoException("write",
                        device.name(), -n, DeviceErrors.hint("write", -n)).getMessage(), packets);
                }
            }
        }
        batch.clear();
    }
}

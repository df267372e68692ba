package io.jpair.tuntap;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.reactor.Reactor;
import io.jpair.transport.PacketProtocol;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read loop of a {@link TuntapPort}: reads into one reused native buffer until the device has
 * nothing more (or {@value TuntapPort#MAX_THROUGHPUT} bytes were read), lets the device's
 * {@link Framing} find the packets, hands each to the protocol, then calls its
 * {@link PacketProtocol#readComplete()}. What the protocol throws is counted and logged (at most
 * once a second, with the number held back) and reading goes on.
 */
final class DeviceReader {
    private static final Logger LOG = LoggerFactory.getLogger(TuntapPort.class);

    private final PacketProtocol protocol;
    private final Reactor reactor;
    private final DeviceCounters counters;
    private final MemorySegment segment;
    private final ByteBuffer view;
    private final PacketSink sink = this::deliver;
    private final LogLimiter failures = new LogLimiter();
    private Framing framing = PlainFraming.INSTANCE;
    private int delivered;

    DeviceReader(Arena arena, int capacity, PacketProtocol protocol, Reactor reactor, DeviceCounters counters) {
        this.protocol = protocol;
        this.reactor = reactor;
        this.counters = counters;
        this.segment = arena.allocate(capacity, 64);
        this.view = segment.asByteBuffer();
    }

    /** The framing of the device read from now on (a port's start). */
    Framing attach(boolean virtioHeader, boolean tcpSuperPackets) {
        if (virtioHeader && framing == PlainFraming.INSTANCE) {
            framing = new VirtioFraming(counters, tcpSuperPackets);
        }
        return framing;
    }

    /**
     * One read batch.
     *
     * @param device the device
     * @param reading false once the protocol paused or stopped the port mid-batch
     * @return 0, or the transient errno ({@code EIO}, {@code ENOBUFS}) that ended the batch
     * @throws ErrnoException for any other read error
     */
    int readBatch(TunDevice device, BooleanSupplier reading) throws ErrnoException {
        delivered = 0;
        try {
            return readUntilDrained(device, reading);
        } finally {
            if (delivered > 0) {
                try {
                    protocol.readComplete();
                } catch (Throwable t) {
                    failed("readComplete", t);
                }
            }
        }
    }

    private int readUntilDrained(TunDevice device, BooleanSupplier reading) throws ErrnoException {
        int capacity = (int) segment.byteSize();
        long budget = 0;
        while (budget < TuntapPort.MAX_THROUGHPUT && reading.getAsBoolean()) {
            int n = device.read(segment, capacity);
            if (n <= 0) {
                if (n == 0 || n == -Errno.EAGAIN || n == -Errno.EINTR) {
                    return 0;
                }
                if (n == -Errno.EIO || n == -Errno.ENOBUFS) {
                    return -n;
                }
                throw new ErrnoException("read", device.name(), -n, DeviceErrors.hint("read", -n));
            }
            budget += n;
            framing.deliver(view, n, sink);
        }
        return 0;
    }

    private void deliver(ByteBuffer packet, int length) {
        counters.read(1, length);
        delivered++;
        try {
            protocol.datagramReceived(packet);
        } catch (Throwable t) {
            failed("datagramReceived", t);
        }
    }

    private void failed(String callback, Throwable t) {
        counters.protocolError();
        if (failures.allow(reactor.nanoTime())) {
            LOG.error("Unhandled exception from {}.{} ({} more suppressed since the last report)",
                protocol.getClass().getName(), callback, failures.takeSuppressed(), t);
        }
    }
}

package io.jpair.transport;

import java.nio.ByteBuffer;

/**
 * A protocol fed whole packets by a port (Twisted's {@code AbstractDatagramProtocol} contract
 * plus {@code datagramReceived}). Implement {@link RawPacketProtocol} (IP packets: a TUN device)
 * or {@link FrameProtocol} (Ethernet frames: a TAP device); extend {@link AbstractPacketProtocol}
 * for the lifecycle.
 *
 * <p>All methods are called on the reactor thread.
 */
public interface PacketProtocol {
    /**
     * The port started: remember the transport and start.
     *
     * @param transport the port
     */
    void makeConnection(PacketTransport transport);

    /**
     * One packet arrived: the bytes between {@code packet}'s position and limit.
     *
     * <p>Buffer ownership: {@code packet} is a view over the port's reused native memory, valid
     * only during this call; copy what you keep. You may move its position and limit. Exceptions
     * thrown here are logged and counted by the port, which goes on reading.
     *
     * @param packet the packet
     */
    void datagramReceived(ByteBuffer packet);

    /**
     * The port delivered the last packet of one read batch (every packet one wake-up read):
     * Netty's {@code channelReadComplete}. Writes made here are held and coalesced with those made
     * during the batch, as if made in {@link #datagramReceived}. The place to
     * {@link PacketTransport#flush()} other transports this batch wrote to. Does nothing by
     * default; exceptions are logged and counted like those of {@code datagramReceived}.
     */
    default void readComplete() {
    }

    /**
     * The port stopped: forget the transport and stop.
     */
    void doStop();

    /**
     * A short prefix for the port's log lines (Twisted's {@code ILoggingContext}).
     *
     * @return the simple class name by default
     */
    default String logPrefix() {
        return getClass().getSimpleName();
    }
}

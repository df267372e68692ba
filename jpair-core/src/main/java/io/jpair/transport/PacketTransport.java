package io.jpair.transport;

import io.jpair.reactor.Reactor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What a packet port offers the protocol attached to it: writing whole packets, the local
 * address, the reactor, and stopping.
 *
 * <p>Batching, as Netty's {@code write}/{@code flush}: a port may hold writes back to coalesce
 * them, until {@link #flush()}; a protocol learns that a read batch ended through
 * {@link PacketProtocol#readComplete()}.
 *
 * <p>Threading: reactor thread only; other threads hand work over with
 * {@link Reactor#callFromThread}. Buffer ownership: a write never keeps the caller's buffer and
 * never moves its position; the caller owns it again when the call returns.
 */
public interface PacketTransport {
    /**
     * Writes one packet: the bytes between {@code packet}'s position and limit.
     *
     * @param packet the packet (heap or direct)
     * @return the bytes written, or 0 when the kernel queue was full and the packet was dropped
     *     (counted, never an exception)
     * @throws IOException an {@link io.jpair.errno.ErrnoException} for any other failure, e.g.
     *     {@code EIO} while the link is down or {@code EBADF} when the port is not listening
     */
    int write(ByteBuffer packet) throws IOException;

    /**
     * Writes one packet from an array.
     *
     * @param packet the whole array is the packet
     * @return as for {@link #write(ByteBuffer)}
     * @throws IOException as for {@link #write(ByteBuffer)}
     */
    int write(byte[] packet) throws IOException;

    /**
     * Writes the concatenation of {@code parts} as ONE packet, with one vectored write (no join).
     *
     * @param parts the pieces, in order
     * @return as for {@link #write(ByteBuffer)}
     * @throws IOException as for {@link #write(ByteBuffer)}
     */
    int writeSequence(List<ByteBuffer> parts) throws IOException;

    /**
     * Writes every packet this transport holds back, now (Netty's {@code flush()}). A transport
     * that holds writes (a TUN port with write offload coalescing them into super-packets) holds
     * them until this call, the end of its own read batch, or a full batch; one that writes at
     * once has nothing to do. Call it when a batch of your own ends, e.g. from
     * {@link PacketProtocol#readComplete()} of another port whose input caused the writes.
     */
    default void flush() {
    }

    /**
     * TCP segmentation offload on this port: whether the packet being delivered is an unsplit
     * super-packet, and writing super-packets for the kernel to segment.
     *
     * @return the port's offload, or {@link SegmentOffload#NONE} (the default)
     */
    default SegmentOffload segmentOffload() {
        return SegmentOffload.NONE;
    }

    /**
     * The local address, e.g. a {@code TunnelAddress}.
     *
     * @return the address
     */
    Address getHost();

    /**
     * The reactor the port runs on, for the protocol's timers and hand-offs.
     *
     * @return the reactor
     */
    Reactor reactor();

    /**
     * Stops the port; see {@link ListeningPort#stopListening()}.
     *
     * @return completes after {@code connectionLost}
     */
    CompletableFuture<Void> stopListening();
}

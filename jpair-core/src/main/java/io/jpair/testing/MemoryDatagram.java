package io.jpair.testing;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * One datagram in a {@link MemoryUdpSystem}: what a socket sent or is about to receive. With a
 * segment size it is a GSO send (as written) or a GRO-coalesced receive: back-to-back datagrams of
 * that size, the last possibly shorter.
 */
public final class MemoryDatagram {
    private final byte[] payload;
    private final ByteBuffer view;
    private final InetSocketAddress source;
    private final InetSocketAddress destination;
    private final int segmentSize;

    /**
     * A datagram.
     *
     * @param payload the bytes (kept, not copied)
     * @param source the sender
     * @param destination where it goes ({@code null}: a connected socket's peer)
     * @param segmentSize the GSO/GRO segment size, 0 for a plain datagram
     */
    public MemoryDatagram(byte[] payload, InetSocketAddress source, InetSocketAddress destination, int segmentSize) {
        this.payload = Objects.requireNonNull(payload, "payload");
        this.view = ByteBuffer.wrap(payload).asReadOnlyBuffer();
        this.source = source;
        this.destination = destination;
        this.segmentSize = segmentSize;
    }

    /**
     * The bytes.
     *
     * @return a copy
     */
    public byte[] payload() {
        return payload.clone();
    }

    /** The bytes as a reused read-only view (no allocation per delivery). */
    ByteBuffer view() {
        return view;
    }

    /**
     * The sender.
     *
     * @return its address
     */
    public InetSocketAddress source() {
        return source;
    }

    /**
     * The destination.
     *
     * @return it, or {@code null} for the connected peer
     */
    public InetSocketAddress destination() {
        return destination;
    }

    /**
     * The segment size.
     *
     * @return bytes per segment, 0 for a plain datagram
     */
    public int segmentSize() {
        return segmentSize;
    }

    /**
     * The datagrams this one is on the wire: itself, or its segments.
     *
     * @return one array per datagram
     */
    public byte[][] segments() {
        if (segmentSize == 0 || payload.length <= segmentSize) {
            return new byte[][] {payload.clone()};
        }
        int count = (payload.length + segmentSize - 1) / segmentSize;
        byte[][] parts = new byte[count][];
        for (int i = 0; i < count; i++) {
            parts[i] = Arrays.copyOfRange(payload, i * segmentSize, Math.min(payload.length, (i + 1) * segmentSize));
        }
        return parts;
    }

    @Override
    public String toString() {
        return "MemoryDatagram[" + payload.length + " bytes " + source + " -> " + destination
            + (segmentSize > 0 ? ", segments of " + segmentSize : "") + "]";
    }
}

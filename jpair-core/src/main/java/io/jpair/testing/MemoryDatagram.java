package io.jpair.testing;

import io.jpair.ip.Ipv4Header;
import io.jpair.ip.Ipv6Header;
import io.jpair.socket.DatagramBatch;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
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
    private final boolean ipv4;
    private final int sourceIpv4;
    private final long sourceHigh;
    private final long sourceLow;
    private final int scopeId;

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
        InetAddress address = source == null ? null : source.getAddress();
        this.ipv4 = address instanceof Inet4Address;
        this.sourceIpv4 = ipv4 ? Ipv4Header.toInt(address) : 0;
        this.sourceHigh = address instanceof Inet6Address ? Ipv6Header.high(address) : 0;
        this.sourceLow = address instanceof Inet6Address ? Ipv6Header.low(address) : 0;
        this.scopeId = address instanceof Inet6Address v6 ? v6.getScopeId() : 0;
    }

    /** Puts this datagram into receive entry {@code index} without allocating. */
    void fill(DatagramBatch batch, int index, int family) {
        view.clear();
        if (ipv4) {
            batch.receivedIpv4(index, view, sourceIpv4, source.getPort(), family, segmentSize);
        } else {
            batch.receivedIpv6(index, view, sourceHigh, sourceLow, scopeId, source.getPort(), segmentSize);
        }
    }

    /**
     * The bytes.
     *
     * @return a copy
     */
    public byte[] payload() {
        return payload.clone();
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

package io.jpair.socket;

/**
 * How a {@link UdpPort} opens its socket and moves datagrams (immutable; each {@code with}
 * returns a copy):
 *
 * <ul>
 *   <li>{@link #receiveBatch()}: datagrams per {@code recvmmsg} (default 64, at most 1024);
 *   <li>{@link #maxDatagramSize()}: the receive slot size (default 8192, Twisted's
 *       {@code maxPacketSize}); a larger datagram is dropped and counted, never delivered cut;
 *       with GRO the slot is 65535 bytes whatever this says;
 *   <li>{@link #receiveBufferSize()} / {@link #sendBufferSize()}: {@code SO_RCVBUF} /
 *       {@code SO_SNDBUF} in bytes (default 0: the kernel's default; the kernel doubles the value;
 *       with CAP_NET_ADMIN it is set with {@code SO_RCVBUFFORCE}/{@code SO_SNDBUFFORCE}, else capped
 *       at {@code net.core.rmem_max}/{@code wmem_max});
 *   <li>{@link #gso()}: use UDP GSO ({@code UDP_SEGMENT}) for {@link UdpPort#writeSegments}
 *       when the kernel has it (default on; probed at start; off or refused, the segments are sent
 *       as separate datagrams in one {@code sendmmsg});
 *   <li>{@link #gro()}: ask for UDP GRO ({@code UDP_GRO}) on receive (default off);
 *   <li>{@link #ipv6Only()}: {@code IPV6_V6ONLY} on an IPv6 socket (default off: a port on
 *       {@code ::} also carries IPv4, as {@code ::ffff:a.b.c.d});
 *   <li>{@link #explicitFlush()}: hold every write until {@link UdpPort#flush()} (default off:
 *       only writes made while the port delivers a read batch are held, and go out with one
 *       {@code sendmmsg} when the batch ends).
 * </ul>
 */
public final class UdpOptions {
    private static final UdpOptions DEFAULTS = new UdpOptions(64, 8192, 0, 0, true, false, false, false);

    private final int receiveBatch;
    private final int maxDatagramSize;
    private final int receiveBufferSize;
    private final int sendBufferSize;
    private final boolean gso;
    private final boolean gro;
    private final boolean ipv6Only;
    private final boolean explicitFlush;

    private UdpOptions(int receiveBatch, int maxDatagramSize, int receiveBufferSize, int sendBufferSize, boolean gso,
            boolean gro, boolean ipv6Only, boolean explicitFlush) {
        this.receiveBatch = receiveBatch;
        this.maxDatagramSize = maxDatagramSize;
        this.receiveBufferSize = receiveBufferSize;
        this.sendBufferSize = sendBufferSize;
        this.gso = gso;
        this.gro = gro;
        this.ipv6Only = ipv6Only;
        this.explicitFlush = explicitFlush;
    }

    /**
     * The defaults listed in the class comment.
     *
     * @return the options
     */
    public static UdpOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Datagrams per {@code recvmmsg}.
     *
     * @param batch 1..1024
     * @return a copy
     * @throws IllegalArgumentException out of range
     */
    public UdpOptions withReceiveBatch(int batch) {
        if (batch < 1 || batch > 1024) {
            throw new IllegalArgumentException("receive batch must be 1..1024, not " + batch);
        }
        return new UdpOptions(batch, maxDatagramSize, receiveBufferSize, sendBufferSize, gso, gro, ipv6Only,
            explicitFlush);
    }

    /**
     * The receive slot size.
     *
     * @param size 1..65535 bytes
     * @return a copy
     * @throws IllegalArgumentException out of range
     */
    public UdpOptions withMaxDatagramSize(int size) {
        if (size < 1 || size > 65535) {
            throw new IllegalArgumentException("max datagram size must be 1..65535, not " + size);
        }
        return new UdpOptions(receiveBatch, size, receiveBufferSize, sendBufferSize, gso, gro, ipv6Only, explicitFlush);
    }

    /**
     * {@code SO_RCVBUF}.
     *
     * @param bytes 0 for the kernel's default
     * @return a copy
     * @throws IllegalArgumentException if negative
     */
    public UdpOptions withReceiveBufferSize(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("receive buffer size must not be negative: " + bytes);
        }
        return new UdpOptions(receiveBatch, maxDatagramSize, bytes, sendBufferSize, gso, gro, ipv6Only, explicitFlush);
    }

    /**
     * {@code SO_SNDBUF}.
     *
     * @param bytes 0 for the kernel's default
     * @return a copy
     * @throws IllegalArgumentException if negative
     */
    public UdpOptions withSendBufferSize(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("send buffer size must not be negative: " + bytes);
        }
        return new UdpOptions(receiveBatch, maxDatagramSize, receiveBufferSize, bytes, gso, gro, ipv6Only,
            explicitFlush);
    }

    /**
     * UDP GSO on send.
     *
     * @param on true to use it where the kernel has it
     * @return a copy
     */
    public UdpOptions withGso(boolean on) {
        return new UdpOptions(receiveBatch, maxDatagramSize, receiveBufferSize, sendBufferSize, on, gro, ipv6Only,
            explicitFlush);
    }

    /**
     * UDP GRO on receive.
     *
     * @param on true to ask the kernel for coalesced datagrams
     * @return a copy
     */
    public UdpOptions withGro(boolean on) {
        return new UdpOptions(receiveBatch, maxDatagramSize, receiveBufferSize, sendBufferSize, gso, on, ipv6Only,
            explicitFlush);
    }

    /**
     * {@code IPV6_V6ONLY}.
     *
     * @param on true for IPv6 only; false for dual stack
     * @return a copy
     */
    public UdpOptions withIpv6Only(boolean on) {
        return new UdpOptions(receiveBatch, maxDatagramSize, receiveBufferSize, sendBufferSize, gso, gro, on,
            explicitFlush);
    }

    /**
     * Hold every write until {@link UdpPort#flush()}.
     *
     * @param on true to hold all writes
     * @return a copy
     */
    public UdpOptions withExplicitFlush(boolean on) {
        return new UdpOptions(receiveBatch, maxDatagramSize, receiveBufferSize, sendBufferSize, gso, gro, ipv6Only, on);
    }

    /**
     * Datagrams per {@code recvmmsg}.
     *
     * @return 1..1024
     */
    public int receiveBatch() {
        return receiveBatch;
    }

    /**
     * The receive slot size without GRO.
     *
     * @return bytes
     */
    public int maxDatagramSize() {
        return maxDatagramSize;
    }

    /**
     * {@code SO_RCVBUF}.
     *
     * @return bytes, 0 for the kernel's default
     */
    public int receiveBufferSize() {
        return receiveBufferSize;
    }

    /**
     * {@code SO_SNDBUF}.
     *
     * @return bytes, 0 for the kernel's default
     */
    public int sendBufferSize() {
        return sendBufferSize;
    }

    /**
     * Whether UDP GSO is wanted.
     *
     * @return true if wanted
     */
    public boolean gso() {
        return gso;
    }

    /**
     * Whether UDP GRO is wanted.
     *
     * @return true if wanted
     */
    public boolean gro() {
        return gro;
    }

    /**
     * Whether an IPv6 socket is IPv6 only.
     *
     * @return true for IPv6 only
     */
    public boolean ipv6Only() {
        return ipv6Only;
    }

    /**
     * Whether every write is held until {@code flush()}.
     *
     * @return true if so
     */
    public boolean explicitFlush() {
        return explicitFlush;
    }

    @Override
    public String toString() {
        return "UdpOptions[receiveBatch=" + receiveBatch + ", maxDatagramSize=" + maxDatagramSize + ", rcvbuf="
            + receiveBufferSize + ", sndbuf=" + sendBufferSize + ", gso=" + gso + ", gro=" + gro + ", ipv6Only="
            + ipv6Only + ", explicitFlush=" + explicitFlush + "]";
    }
}

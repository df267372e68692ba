package io.jpair.tunnel;

import io.jpair.wire.DropCounter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The traffic of one {@link UdpTunnel}: packets and bytes each way (IP packets, before sealing and
 * after opening) and drops by {@link TunnelDrop} reason. The device's and the socket's own
 * counters ({@code TuntapPort.counters()}, {@code UdpPort.counters()}) count the syscalls under
 * these. Written by the reactor thread with opaque stores; any thread may read them (atomic,
 * possibly slightly stale). The drop counts are the reactor's: read them there for exact values.
 */
public final class TunnelCounters {
    private static final VarHandle PACKETS_SENT = handle("packetsSent");
    private static final VarHandle BYTES_SENT = handle("bytesSent");
    private static final VarHandle PACKETS_RECEIVED = handle("packetsReceived");
    private static final VarHandle BYTES_RECEIVED = handle("bytesReceived");

    private final DropCounter<TunnelDrop> drops = new DropCounter<>(TunnelDrop.class, UdpTunnel.class);
    private long packetsSent;
    private long bytesSent;
    private long packetsReceived;
    private long bytesReceived;

    /** All zero. */
    public TunnelCounters() {
    }

    private static VarHandle handle(String field) {
        try {
            return MethodHandles.lookup().findVarHandle(TunnelCounters.class, field, long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    void sent(int bytes) {
        PACKETS_SENT.setOpaque(this, packetsSent + 1);
        BYTES_SENT.setOpaque(this, bytesSent + bytes);
    }

    void received(int bytes) {
        PACKETS_RECEIVED.setOpaque(this, packetsReceived + 1);
        BYTES_RECEIVED.setOpaque(this, bytesReceived + bytes);
    }

    /**
     * Packets read from the TUN device and sent to the peer.
     *
     * @return the count
     */
    public long packetsSent() {
        return (long) PACKETS_SENT.getOpaque(this);
    }

    /**
     * Bytes of the packets sent to the peer (IP packets, without the seal and the UDP/IP headers).
     *
     * @return the count
     */
    public long bytesSent() {
        return (long) BYTES_SENT.getOpaque(this);
    }

    /**
     * Packets received from the peer and written into the TUN device.
     *
     * @return the count
     */
    public long packetsReceived() {
        return (long) PACKETS_RECEIVED.getOpaque(this);
    }

    /**
     * Bytes of the packets received from the peer.
     *
     * @return the count
     */
    public long bytesReceived() {
        return (long) BYTES_RECEIVED.getOpaque(this);
    }

    /**
     * Packets dropped, by reason.
     *
     * @return the counter (reactor thread)
     */
    public DropCounter<TunnelDrop> drops() {
        return drops;
    }

    @Override
    public String toString() {
        return "sent " + packetsSent() + " packets (" + bytesSent() + " B), received " + packetsReceived() + " ("
            + bytesReceived() + " B), dropped " + drops.toMap();
    }
}

package io.jpair.tunnel;

import io.jpair.ip.IpPacket;
import io.jpair.tuntap.TuntapPort;
import io.jpair.udp.DatagramProtocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * The socket half of a {@link UdpTunnel}: each datagram from the peer (the socket is connected, so
 * the kernel delivers no other sender's), opened first when the tunnel has a key, is written into
 * the TUN device if it holds an IPv4 or IPv6 packet; anything else is dropped and counted, never
 * written. The TUN port holds the writes of one socket read
 * batch and {@link #readComplete()} flushes them, so with write offload the TCP segments of a
 * batch reach the kernel as GRO super-packets. Allocation-free (bar the JDK cipher).
 */
final class PeerSide extends DatagramProtocol {
    private final TunnelCounters counters;
    private final DatagramSeal seal;
    private final byte[] opened;
    private final ByteBuffer openedView;
    private final ByteBuffer staging;
    private TuntapPort tun;

    /**
     * @param seal opens every datagram first; {@code null} for plain encapsulation
     * @param counters the tunnel's counters
     * @param stage whether a plain packet is first copied into one buffer of this side's own: for
     *     a TUN port that writes at once from the caller's direct memory, which would otherwise
     *     build a native view of each of the socket's many receive slots in turn (an allocation
     *     per packet); a port that holds writes copies them into its batch anyway
     */
    PeerSide(DatagramSeal seal, TunnelCounters counters, boolean stage) {
        this.seal = seal;
        this.counters = counters;
        this.opened = seal == null ? null : new byte[DatagramRun.MAX_PAYLOAD + DatagramSeal.OVERHEAD];
        this.openedView = seal == null ? null : ByteBuffer.wrap(opened);
        this.staging = seal == null && stage ? ByteBuffer.allocateDirect(DatagramRun.MAX_PAYLOAD) : null;
    }

    /** Packets go into {@code port} from now on. */
    void writeInto(TuntapPort port) {
        this.tun = port;
    }

    @Override
    public void datagramReceived(ByteBuffer payload, IpPacket packet, int sourcePort) {
        ByteBuffer ip = payload;
        if (seal != null) {
            int length = payload.remaining();
            if (length > opened.length) {
                counters.drops().add(TunnelDrop.TOO_BIG);
                return;
            }
            payload.get(payload.position(), opened, 0, length);
            int n = seal.open(opened, 0, length);
            if (n < 0) {
                return;
            }
            ip = openedView.limit(DatagramSeal.HEADER_LENGTH + n).position(DatagramSeal.HEADER_LENGTH);
        } else if (staging != null) {
            int length = payload.remaining();
            if (length > staging.capacity()) {
                counters.drops().add(TunnelDrop.TOO_BIG);
                return;
            }
            ip = staging.clear().put(0, payload, payload.position(), length).limit(length);
        }
        int length = ip.remaining();
        int version = length > 0 ? (ip.get(ip.position()) & 0xF0) >>> 4 : 0;
        if (version != 4 && version != 6 || tun == null) {
            counters.drops().add(TunnelDrop.NOT_IP);
            return;
        }
        try {
            tun.write(ip);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        counters.received(length);
    }

    /** The end of a socket read batch: the packets it brought go into the device, coalesced. */
    @Override
    public void readComplete() {
        if (tun != null) {
            tun.flush();
        }
    }
}

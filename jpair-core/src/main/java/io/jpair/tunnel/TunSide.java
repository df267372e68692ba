package io.jpair.tunnel;

import io.jpair.socket.UdpPort;
import io.jpair.transport.AbstractPacketProtocol;
import io.jpair.transport.RawPacketProtocol;
import java.nio.ByteBuffer;

/**
 * The TUN half of a {@link UdpTunnel}: every packet the kernel routes into the device goes to the
 * peer in one datagram, sealed first when the tunnel has a key. Consecutive datagrams are gathered
 * in a {@link DatagramRun} and sent as one UDP GSO send at the end of the read batch (or when the
 * run cannot grow): the segments of a TSO super-packet, which the port splits on read, leave as
 * one {@code sendmsg}. Allocation-free (bar the JDK cipher, see {@link DatagramSeal}).
 */
final class TunSide extends AbstractPacketProtocol implements RawPacketProtocol {
    private final DatagramRun run = new DatagramRun();
    private final TunnelCounters counters;
    private final DatagramSeal seal;
    private final int overhead;
    private final int offset;
    private UdpPort udp;

    TunSide(DatagramSeal seal, TunnelCounters counters) {
        this.seal = seal;
        this.counters = counters;
        this.overhead = seal == null ? 0 : DatagramSeal.OVERHEAD;
        this.offset = seal == null ? 0 : DatagramSeal.HEADER_LENGTH;
    }

    /** Datagrams go out through {@code port}, connected to the peer, from now on. */
    void sendThrough(UdpPort port) {
        this.udp = port;
    }

    @Override
    public void datagramReceived(ByteBuffer packet, long destination, long source, int etherType) {
        int length = packet.remaining();
        int size = length + overhead;
        if (size > DatagramRun.MAX_PAYLOAD) {
            counters.drops().add(TunnelDrop.TOO_BIG);
            return;
        }
        if (udp == null || length == 0) {
            return;
        }
        if (!run.reserve(size)) {
            send();
        }
        int at = run.writeOffset();
        packet.get(packet.position(), run.array(), at + offset, length);
        int sealed = seal == null ? length : seal.seal(run.array(), at, length);
        if (sealed > 0) {
            run.commit(sealed);
            counters.sent(length);
        }
    }

    /** The end of a TUN read batch: the gathered datagrams leave, then the socket's held writes. */
    @Override
    public void readComplete() {
        send();
        if (udp != null) {
            udp.flush();
        }
    }

    private void send() {
        if (run.count() > 0) {
            udp.writeSegments(run.payload(), run.count() > 1 ? run.segmentSize() : 0);
        }
        run.clear();
    }
}

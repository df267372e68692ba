package io.jpair.udp;

import io.jpair.ip.IpPacket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * An application protocol on a UDP port (Twisted's {@code DatagramProtocol}), registered with
 * {@link RawUDPProtocol#addProto(int, DatagramProtocol)} on jpair's own stack or opened on a kernel
 * socket with {@code io.jpair.socket.UdpPort.listen}: the same class runs unchanged on either. It
 * writes back through its {@link #transport()}.
 *
 * <pre>{@code
 * class Echo extends DatagramProtocol {
 *     public void datagramReceived(byte[] data, InetSocketAddress source) {
 *         transport().write(data, source);               // simple, allocates
 *     }
 * }
 * class FastEcho extends DatagramProtocol {
 *     public void datagramReceived(ByteBuffer payload, IpPacket packet, int sourcePort) {
 *         transport().reply(payload, packet, sourcePort); // zero allocation
 *     }
 * }
 * }</pre>
 *
 * <p>Override one of the two {@code datagramReceived} forms: the primitive form gets the payload
 * as a borrowed buffer and the sender as the reused {@link IpPacket} plus a port (nothing
 * allocated); its default copies the payload and calls the Twisted-style form with a
 * {@link InetSocketAddress}. Reactor thread only.
 */
public abstract class DatagramProtocol {
    private DatagramTransport transport;

    /** A protocol not yet attached to a port. */
    protected DatagramProtocol() {
    }

    /**
     * The transport of the port this protocol was first added on.
     *
     * @return the transport, or {@code null} before {@link #makeConnection}
     */
    public DatagramTransport transport() {
        return transport;
    }

    /**
     * Attaches the transport and calls {@link #startProtocol()} (done by
     * {@link RawUDPProtocol#addProto}).
     *
     * @param datagramTransport the transport
     * @throws IllegalStateException if already attached
     */
    public void makeConnection(DatagramTransport datagramTransport) {
        if (transport != null) {
            throw new IllegalStateException(getClass().getName() + " is already attached to " + transport);
        }
        transport = datagramTransport;
        startProtocol();
    }

    /**
     * Detaches the transport and calls {@link #stopProtocol()} (done by
     * {@link RawUDPProtocol#removeProto}).
     */
    public void doStop() {
        if (transport != null) {
            transport = null;
            stopProtocol();
        }
    }

    /** Called when attached. Does nothing by default. */
    protected void startProtocol() {
    }

    /** Called when detached. Does nothing by default. */
    protected void stopProtocol() {
    }

    /**
     * A datagram arrived (the primitive, allocation-free form).
     *
     * <p>Buffer ownership: {@code payload} (position to limit) and {@code packet} are valid only
     * during this call. The default copies the payload and calls
     * {@link #datagramReceived(byte[], InetSocketAddress)}.
     *
     * @param payload the UDP data
     * @param packet the IP packet it came in (source address, version, ...)
     * @param sourcePort the sender's port
     */
    public void datagramReceived(ByteBuffer payload, IpPacket packet, int sourcePort) {
        byte[] data = new byte[payload.remaining()];
        payload.get(payload.position(), data);
        datagramReceived(data, new InetSocketAddress(packet.sourceAddress(), sourcePort));
    }

    /**
     * The read batch that brought this protocol at least one datagram ended (Netty's
     * {@code channelReadComplete}): the place to {@code flush()} another transport this batch
     * wrote to (a tunnel's TUN port). Does nothing by default.
     */
    public void readComplete() {
    }

    /**
     * A datagram sent on a connected kernel socket ({@code io.jpair.socket.UdpPort#connect}) was
     * answered with ICMP port unreachable ({@code ECONNREFUSED}), Twisted's
     * {@code connectionRefused}. Does nothing by default; never called on jpair's own stack.
     */
    public void connectionRefused() {
    }

    /**
     * A datagram arrived (Twisted's form). Does nothing by default.
     *
     * @param data a copy of the UDP data
     * @param source the sender's address and port
     */
    public void datagramReceived(byte[] data, InetSocketAddress source) {
    }
}

package io.jpair.ip;

import java.nio.ByteBuffer;

/**
 * Where {@link IPProtocol} sends complete IP packets: the TUN port itself (the default when no
 * link is set), or an Ethernet link that resolves the next hop's MAC
 * ({@code io.jpair.neighbour.EthernetLink}).
 *
 * <p>Callers build packets at {@link #HEADROOM} bytes into their own buffer, so a link can write
 * its header in front without copying.
 */
@FunctionalInterface
public interface IpLink {
    /** Bytes a packet builder leaves free before the IP header (an Ethernet header is 14). */
    int HEADROOM = 16;

    /**
     * Sends one IP packet. Never throws for network conditions: failures are counted.
     *
     * <p>Buffer ownership: the packet is {@code buffer[offset, offset + length)}; the
     * {@code offset} bytes before it are scratch space for a link header. The link may move the
     * buffer's position and limit; it does not keep the buffer after returning (a packet waiting
     * for address resolution is copied).
     *
     * @param buffer the buffer
     * @param offset absolute index of the IP header, at least {@link #HEADROOM}
     * @param length bytes of IP packet
     * @return true if written or queued, false if dropped
     */
    boolean send(ByteBuffer buffer, int offset, int length);
}

package io.jpair.transport;

import java.nio.ByteBuffer;

/**
 * A protocol for IP-level packets (Twisted's {@code IRawPacketProtocol}): a {@code TuntapPort}
 * opens a TUN device for it, and an Ethernet demultiplexer hands it frame payloads by EtherType.
 *
 * <p>Unlike Twisted, where a TUN port passed only {@code (data, partial)} and so made
 * {@code IPProtocol} unusable on TUN, the port calls {@link #datagramReceived(ByteBuffer)} and the
 * link-layer details default to "none"; the {@code partial} flag (always 0) is dropped.
 */
public interface RawPacketProtocol extends PacketProtocol {
    /** The MAC value passed when there is no link layer (TUN). */
    long NO_MAC = -1L;

    /**
     * A packet from a TUN device: delegates to the link-aware overload with no MAC addresses and
     * the EtherType implied by the IP version nibble (0x0800, 0x86DD, or 0 when neither).
     *
     * @param packet as for {@link PacketProtocol#datagramReceived}
     */
    @Override
    default void datagramReceived(ByteBuffer packet) {
        int version = packet.remaining() > 0 ? (packet.get(packet.position()) & 0xFF) >>> 4 : 0;
        int etherType = version == 4 ? 0x0800 : version == 6 ? 0x86DD : 0;
        datagramReceived(packet, NO_MAC, NO_MAC, etherType);
    }

    /**
     * A packet with its link-layer details, as an Ethernet demultiplexer passes it.
     *
     * @param packet the payload after the link header; borrowed for the call only
     * @param destination destination MAC as a 48-bit value, or {@link #NO_MAC}
     * @param source source MAC as a 48-bit value, or {@link #NO_MAC}
     * @param etherType the EtherType (e.g. 0x0800), or 0 when unknown
     */
    void datagramReceived(ByteBuffer packet, long destination, long source, int etherType);
}

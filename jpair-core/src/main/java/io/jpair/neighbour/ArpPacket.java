package io.jpair.neighbour;

import io.jpair.ethernet.EthernetHeader;
import io.jpair.ethernet.MacAddress;
import io.jpair.wire.NetworkOrder;
import java.nio.ByteBuffer;

/**
 * A view over an ARP packet for IPv4 over Ethernet (RFC 826), the payload of an EtherType 0x0806
 * frame. No copy: {@link #wrap} retargets the view, accessors read in network byte order.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Hardware type (1)           |   Protocol type (0x0800)      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | HW len (6)    | Proto len (4) |   Operation (1 req, 2 reply)  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              Sender hardware address (6 octets)               |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               | Sender protocol address (4)   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |                               |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |              Target hardware address (6 octets)               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               Target protocol address (4 octets)              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Callers check {@link #fits(int)} and {@link #isEthernetIpv4()} before reading addresses.
 */
public final class ArpPacket {
    /** Offset of the hardware type. */
    public static final int HARDWARE_TYPE_OFFSET = 0;
    /** Offset of the protocol type. */
    public static final int PROTOCOL_TYPE_OFFSET = 2;
    /** Offset of the hardware address length. */
    public static final int HARDWARE_LENGTH_OFFSET = 4;
    /** Offset of the protocol address length. */
    public static final int PROTOCOL_LENGTH_OFFSET = 5;
    /** Offset of the operation. */
    public static final int OPERATION_OFFSET = 6;
    /** Offset of the sender hardware address. */
    public static final int SENDER_HARDWARE_OFFSET = 8;
    /** Offset of the sender protocol address. */
    public static final int SENDER_PROTOCOL_OFFSET = 14;
    /** Offset of the target hardware address. */
    public static final int TARGET_HARDWARE_OFFSET = 18;
    /** Offset of the target protocol address. */
    public static final int TARGET_PROTOCOL_OFFSET = 24;
    /** Length of an Ethernet/IPv4 ARP packet. */
    public static final int LENGTH = 28;
    /** Hardware type Ethernet. */
    public static final int HARDWARE_ETHERNET = 1;
    /** Operation: request. */
    public static final int REQUEST = 1;
    /** Operation: reply. */
    public static final int REPLY = 2;

    private ByteBuffer buffer;
    private int offset;

    /** A view not yet pointed at a packet: call {@link #wrap} first. */
    public ArpPacket() {
    }

    /**
     * Points the view at a packet.
     *
     * @param buffer the buffer
     * @param offset absolute index of the first byte
     * @return this
     */
    public ArpPacket wrap(ByteBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Whether an Ethernet/IPv4 ARP packet fits.
     *
     * @param length bytes available from the offset
     * @return true if at least {@value #LENGTH}
     */
    public boolean fits(int length) {
        return length >= LENGTH;
    }

    /**
     * Whether the packet maps IPv4 to Ethernet (hardware 1/6 bytes, protocol 0x0800/4 bytes).
     *
     * @return true for the only format this stack handles
     */
    public boolean isEthernetIpv4() {
        return hardwareType() == HARDWARE_ETHERNET && protocolType() == EthernetHeader.TYPE_IPV4
            && NetworkOrder.u8(buffer, offset + HARDWARE_LENGTH_OFFSET) == 6
            && NetworkOrder.u8(buffer, offset + PROTOCOL_LENGTH_OFFSET) == 4;
    }

    /**
     * The hardware type.
     *
     * @return e.g. 1 for Ethernet
     */
    public int hardwareType() {
        return NetworkOrder.u16(buffer, offset + HARDWARE_TYPE_OFFSET);
    }

    /**
     * The protocol type.
     *
     * @return e.g. 0x0800
     */
    public int protocolType() {
        return NetworkOrder.u16(buffer, offset + PROTOCOL_TYPE_OFFSET);
    }

    /**
     * The operation.
     *
     * @return {@link #REQUEST}, {@link #REPLY} or another value
     */
    public int operation() {
        return NetworkOrder.u16(buffer, offset + OPERATION_OFFSET);
    }

    /**
     * Sets the operation.
     *
     * @param operation {@link #REQUEST} or {@link #REPLY}
     * @return this
     */
    public ArpPacket operation(int operation) {
        NetworkOrder.u16(buffer, offset + OPERATION_OFFSET, operation);
        return this;
    }

    /**
     * The sender hardware address.
     *
     * @return {@code long} form
     */
    public long senderHardware() {
        return MacAddress.get(buffer, offset + SENDER_HARDWARE_OFFSET);
    }

    /**
     * The sender IPv4 address.
     *
     * @return the address as an int (first octet most significant)
     */
    public int senderProtocol() {
        return NetworkOrder.i32(buffer, offset + SENDER_PROTOCOL_OFFSET);
    }

    /**
     * The target hardware address.
     *
     * @return {@code long} form
     */
    public long targetHardware() {
        return MacAddress.get(buffer, offset + TARGET_HARDWARE_OFFSET);
    }

    /**
     * The target IPv4 address.
     *
     * @return the address as an int
     */
    public int targetProtocol() {
        return NetworkOrder.i32(buffer, offset + TARGET_PROTOCOL_OFFSET);
    }

    /**
     * Writes a whole Ethernet/IPv4 ARP packet (the builder form).
     *
     * @param operation {@link #REQUEST} or {@link #REPLY}
     * @param senderHardware sender MAC, {@code long} form
     * @param senderProtocol sender IPv4 address
     * @param targetHardware target MAC ({@code 0} when unknown)
     * @param targetProtocol target IPv4 address
     * @return this
     */
    public ArpPacket set(int operation, long senderHardware, int senderProtocol, long targetHardware,
            int targetProtocol) {
        NetworkOrder.u16(buffer, offset + HARDWARE_TYPE_OFFSET, HARDWARE_ETHERNET);
        NetworkOrder.u16(buffer, offset + PROTOCOL_TYPE_OFFSET, EthernetHeader.TYPE_IPV4);
        NetworkOrder.u8(buffer, offset + HARDWARE_LENGTH_OFFSET, 6);
        NetworkOrder.u8(buffer, offset + PROTOCOL_LENGTH_OFFSET, 4);
        NetworkOrder.u16(buffer, offset + OPERATION_OFFSET, operation);
        MacAddress.put(buffer, offset + SENDER_HARDWARE_OFFSET, senderHardware);
        NetworkOrder.i32(buffer, offset + SENDER_PROTOCOL_OFFSET, senderProtocol);
        MacAddress.put(buffer, offset + TARGET_HARDWARE_OFFSET, targetHardware);
        NetworkOrder.i32(buffer, offset + TARGET_PROTOCOL_OFFSET, targetProtocol);
        return this;
    }
}

package io.jpair.ethernet;

import io.jpair.wire.NetworkOrder;
import java.nio.ByteBuffer;

/**
 * A view over an Ethernet II header in a {@link ByteBuffer}, optionally with one IEEE 802.1Q (or
 * 802.1ad) VLAN tag. No copy is made: {@link #wrap} points the view at a buffer and offset, and
 * the accessors read the bytes there in network byte order. Reused for every frame.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Destination MAC (6 octets)                   |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |                     Source MAC (6 octets)                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  EtherType or TPID 0x8100    | (tagged) PCP|D|   VLAN id      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | (tagged) inner EtherType      |  payload ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>No frame check sequence: TAP devices neither deliver nor expect one. Callers check
 * {@link #fits(int)} before reading fields of a received frame.
 */
public final class EthernetHeader {
    /** Offset of the destination address. */
    public static final int DESTINATION_OFFSET = 0;
    /** Offset of the source address. */
    public static final int SOURCE_OFFSET = 6;
    /** Offset of the EtherType (or the tag protocol identifier of a tagged frame). */
    public static final int TYPE_OFFSET = 12;
    /** Offset of the tag control information of a tagged frame. */
    public static final int TCI_OFFSET = 14;
    /** Offset of the inner EtherType of a tagged frame. */
    public static final int INNER_TYPE_OFFSET = 16;
    /** Length of an untagged header. */
    public static final int LENGTH = 14;
    /** Length of a header with one VLAN tag. */
    public static final int TAGGED_LENGTH = 18;
    /** The smallest frame on the wire without FCS; shorter frames are padded when sent. */
    public static final int MIN_FRAME_LENGTH = 60;
    /** Tag protocol identifier of IEEE 802.1Q. */
    public static final int TPID_8021Q = 0x8100;
    /** Tag protocol identifier of IEEE 802.1ad (service tag). */
    public static final int TPID_8021AD = 0x88A8;
    /** Type values below this are IEEE 802.3 lengths, not EtherTypes. */
    public static final int MIN_ETHERTYPE = 0x0600;
    /** EtherType of IPv4. */
    public static final int TYPE_IPV4 = 0x0800;
    /** EtherType of ARP. */
    public static final int TYPE_ARP = 0x0806;
    /** EtherType of IPv6. */
    public static final int TYPE_IPV6 = 0x86DD;

    private ByteBuffer buffer;
    private int offset;

    /** A view not yet pointed at a header: call {@link #wrap} first. */
    public EthernetHeader() {
    }

    /**
     * Points the view at a header.
     *
     * @param buffer the buffer
     * @param offset absolute index of the first byte of the header
     * @return this
     */
    public EthernetHeader wrap(ByteBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * The buffer viewed.
     *
     * @return the buffer
     */
    public ByteBuffer buffer() {
        return buffer;
    }

    /**
     * The offset of the header in {@link #buffer()}.
     *
     * @return absolute index
     */
    public int offset() {
        return offset;
    }

    /**
     * Whether a whole header (with its tag, if tagged) lies in {@code length} bytes from the offset.
     *
     * @param length the bytes available from {@link #offset()}
     * @return true if every accessor may be used
     */
    public boolean fits(int length) {
        return length >= LENGTH && (!tagged() || length >= TAGGED_LENGTH);
    }

    /**
     * The destination address.
     *
     * @return the {@code long} form (see {@link MacAddress})
     */
    public long destination() {
        return MacAddress.get(buffer, offset + DESTINATION_OFFSET);
    }

    /**
     * Sets the destination address.
     *
     * @param mac the {@code long} form
     * @return this
     */
    public EthernetHeader destination(long mac) {
        MacAddress.put(buffer, offset + DESTINATION_OFFSET, mac);
        return this;
    }

    /**
     * The source address.
     *
     * @return the {@code long} form
     */
    public long source() {
        return MacAddress.get(buffer, offset + SOURCE_OFFSET);
    }

    /**
     * Sets the source address.
     *
     * @param mac the {@code long} form
     * @return this
     */
    public EthernetHeader source(long mac) {
        MacAddress.put(buffer, offset + SOURCE_OFFSET, mac);
        return this;
    }

    /**
     * The type field at offset 12: an EtherType, a TPID for tagged frames, or an 802.3 length.
     *
     * @return 0..65535
     */
    public int typeField() {
        return NetworkOrder.u16(buffer, offset + TYPE_OFFSET);
    }

    /**
     * Whether the frame carries an 802.1Q or 802.1ad tag.
     *
     * @return true if tagged
     */
    public boolean tagged() {
        int type = typeField();
        return type == TPID_8021Q || type == TPID_8021AD;
    }

    /**
     * The header length: {@value #LENGTH}, or {@value #TAGGED_LENGTH} when tagged.
     *
     * @return bytes before the payload
     */
    public int headerLength() {
        return tagged() ? TAGGED_LENGTH : LENGTH;
    }

    /**
     * The EtherType of the payload (the inner one of a tagged frame).
     *
     * @return 0..65535
     */
    public int etherType() {
        return tagged() ? NetworkOrder.u16(buffer, offset + INNER_TYPE_OFFSET) : typeField();
    }

    /**
     * Sets an untagged EtherType.
     *
     * @param etherType 0..65535
     * @return this
     */
    public EthernetHeader etherType(int etherType) {
        NetworkOrder.u16(buffer, offset + TYPE_OFFSET, etherType);
        return this;
    }

    /**
     * The VLAN identifier of a tagged frame.
     *
     * @return 0..4095, or -1 when untagged
     */
    public int vlanId() {
        return tagged() ? NetworkOrder.u16(buffer, offset + TCI_OFFSET) & 0x0FFF : -1;
    }

    /**
     * The priority code point of a tagged frame.
     *
     * @return 0..7, or -1 when untagged
     */
    public int priority() {
        return tagged() ? NetworkOrder.u16(buffer, offset + TCI_OFFSET) >>> 13 : -1;
    }

    /**
     * Makes the header tagged: writes TPID 0x8100, the tag control information and the inner
     * EtherType (the header becomes {@value #TAGGED_LENGTH} bytes).
     *
     * @param priority 0..7
     * @param vlanId 0..4095
     * @param etherType the inner EtherType
     * @return this
     */
    public EthernetHeader vlan(int priority, int vlanId, int etherType) {
        NetworkOrder.u16(buffer, offset + TYPE_OFFSET, TPID_8021Q);
        NetworkOrder.u16(buffer, offset + TCI_OFFSET, (priority & 7) << 13 | (vlanId & 0x0FFF));
        NetworkOrder.u16(buffer, offset + INNER_TYPE_OFFSET, etherType);
        return this;
    }

    /**
     * Writes an untagged header (the builder form).
     *
     * @param buffer the buffer, with room for {@value #LENGTH} bytes at {@code offset}
     * @param offset absolute index
     * @param destination destination MAC, {@code long} form
     * @param source source MAC, {@code long} form
     * @param etherType the EtherType
     * @return {@value #LENGTH}, the bytes written
     */
    public static int write(ByteBuffer buffer, int offset, long destination, long source, int etherType) {
        MacAddress.put(buffer, offset + DESTINATION_OFFSET, destination);
        MacAddress.put(buffer, offset + SOURCE_OFFSET, source);
        NetworkOrder.u16(buffer, offset + TYPE_OFFSET, etherType);
        return LENGTH;
    }
}

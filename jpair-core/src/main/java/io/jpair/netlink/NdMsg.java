package io.jpair.netlink;

import java.nio.ByteBuffer;

/**
 * Flyweight over {@code struct ndmsg} (12 bytes), the body of {@code RTM_NEWNEIGH},
 * {@code RTM_DELNEIGH} and {@code RTM_GETNEIGH}, followed by {@code NDA_*} attributes.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  ndm_family   |   ndm_pad1    |           ndm_pad2            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   ndm_ifindex (host order)                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     ndm_state (host order)    |   ndm_flags   |   ndm_type    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * See {@code include/uapi/linux/neighbour.h}.
 */
public final class NdMsg {
    /** {@code sizeof(struct ndmsg)}. */
    public static final int LENGTH = 12;
    /** Offset of {@code ndm_family} (u8). */
    public static final int FAMILY_OFFSET = 0;
    /** Offset of {@code ndm_ifindex} (s32, host order). */
    public static final int INDEX_OFFSET = 4;
    /** Offset of {@code ndm_state} (u16, host order): {@code NUD_*} bits. */
    public static final int STATE_OFFSET = 8;
    /** Offset of {@code ndm_flags} (u8): {@code NTF_*} bits. */
    public static final int FLAGS_OFFSET = 10;
    /** Offset of {@code ndm_type} (u8). */
    public static final int TYPE_OFFSET = 11;

    /** {@code NDA_DST}: the neighbour's network address (network order). */
    public static final int NDA_DST = 1;
    /** {@code NDA_LLADDR}: the neighbour's link-layer address, e.g. 6 bytes of MAC. */
    public static final int NDA_LLADDR = 2;

    private ByteBuffer buffer;
    private int offset;

    /**
     * Creates a flyweight over nothing yet; call {@link #wrap} before use.
     */
    public NdMsg() {
    }

    /**
     * Points this flyweight at an {@code ndmsg}.
     *
     * @param buffer the bytes
     * @param offset where it starts (the netlink payload offset)
     * @return this
     */
    public NdMsg wrap(ByteBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * {@code ndm_family}.
     *
     * @return {@code AF_INET} or {@code AF_INET6}
     */
    public int family() {
        return Byte.toUnsignedInt(buffer.get(offset + FAMILY_OFFSET));
    }

    /**
     * Sets {@code ndm_family}.
     *
     * @param family {@code AF_INET} or {@code AF_INET6}
     * @return this
     */
    public NdMsg family(int family) {
        buffer.put(offset + FAMILY_OFFSET, (byte) family);
        return this;
    }

    /**
     * {@code ndm_ifindex}.
     *
     * @return the link index
     */
    public int index() {
        return HostOrder.getInt(buffer, offset + INDEX_OFFSET);
    }

    /**
     * Sets {@code ndm_ifindex}.
     *
     * @param index the link index
     * @return this
     */
    public NdMsg index(int index) {
        HostOrder.putInt(buffer, offset + INDEX_OFFSET, index);
        return this;
    }

    /**
     * {@code ndm_state}.
     *
     * @return the {@code NUD_*} bits ({@link NeighbourState#bits()})
     */
    public int state() {
        return HostOrder.getUnsignedShort(buffer, offset + STATE_OFFSET);
    }

    /**
     * Sets {@code ndm_state}.
     *
     * @param state {@code NUD_*} bits
     * @return this
     */
    public NdMsg state(int state) {
        HostOrder.putShort(buffer, offset + STATE_OFFSET, state);
        return this;
    }

    /**
     * The offset of the first attribute after this {@code ndmsg}.
     *
     * @return the offset
     */
    public int attributesOffset() {
        return offset + NlMsgHdr.align(LENGTH);
    }
}

package io.jpair.netlink;

import java.nio.ByteBuffer;

/**
 * Flyweight over {@code struct rtmsg} (12 bytes), the body of {@code RTM_NEWROUTE},
 * {@code RTM_DELROUTE} and {@code RTM_GETROUTE}, followed by {@code RTA_*} attributes.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  rtm_family   |  rtm_dst_len  |  rtm_src_len  |    rtm_tos    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   rtm_table   | rtm_protocol  |   rtm_scope   |   rtm_type    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    rtm_flags (host order)                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * See {@code include/uapi/linux/rtnetlink.h}.
 */
public final class RtMsg {
    /** {@code sizeof(struct rtmsg)}. */
    public static final int LENGTH = 12;
    /** Offset of {@code rtm_family}. */
    public static final int FAMILY_OFFSET = 0;
    /** Offset of {@code rtm_dst_len}. */
    public static final int DST_LENGTH_OFFSET = 1;
    /** Offset of {@code rtm_src_len}. */
    public static final int SRC_LENGTH_OFFSET = 2;
    /** Offset of {@code rtm_tos}. */
    public static final int TOS_OFFSET = 3;
    /** Offset of {@code rtm_table}. */
    public static final int TABLE_OFFSET = 4;
    /** Offset of {@code rtm_protocol}. */
    public static final int PROTOCOL_OFFSET = 5;
    /** Offset of {@code rtm_scope}. */
    public static final int SCOPE_OFFSET = 6;
    /** Offset of {@code rtm_type}. */
    public static final int TYPE_OFFSET = 7;
    /** Offset of {@code rtm_flags}. */
    public static final int FLAGS_OFFSET = 8;

    /** {@code RTA_DST}: the destination prefix (network order). */
    public static final int RTA_DST = 1;
    /** {@code RTA_OIF}: u32 output interface index. */
    public static final int RTA_OIF = 4;
    /** {@code RTA_GATEWAY}: the next hop (network order). */
    public static final int RTA_GATEWAY = 5;
    /** {@code RTA_PRIORITY}: u32 route metric ({@code ip route ... metric N}). */
    public static final int RTA_PRIORITY = 6;
    /** {@code RTA_TABLE}: u32 table id. */
    public static final int RTA_TABLE = 15;

    /** {@code RT_TABLE_UNSPEC}: in {@code rtm_table} when the table is only in {@link #RTA_TABLE}. */
    public static final int RT_TABLE_UNSPEC = 0;
    /** {@code RT_TABLE_MAIN}. */
    public static final int RT_TABLE_MAIN = 254;
    /** {@code RTPROT_BOOT}: installed by configuration (what {@code ip route add} uses). */
    public static final int RTPROT_BOOT = 3;
    /** {@code RTN_UNICAST}. */
    public static final int RTN_UNICAST = 1;

    private ByteBuffer buffer;
    private int offset;

    /**
     * Creates a flyweight over nothing yet; call {@link #wrap} before use.
     */
    public RtMsg() {
    }

    /**
     * Points this flyweight at an {@code rtmsg}.
     *
     * @param buffer the bytes
     * @param offset where it starts (the netlink payload offset)
     * @return this
     */
    public RtMsg wrap(ByteBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    private int u8(int field) {
        return Byte.toUnsignedInt(buffer.get(offset + field));
    }

    private RtMsg u8(int field, int value) {
        buffer.put(offset + field, (byte) value);
        return this;
    }

    /**
     * {@code rtm_family}.
     *
     * @return {@code AF_INET} or {@code AF_INET6}
     */
    public int family() {
        return u8(FAMILY_OFFSET);
    }

    /**
     * Sets {@code rtm_family}.
     *
     * @param family {@code AF_INET} or {@code AF_INET6}
     * @return this
     */
    public RtMsg family(int family) {
        return u8(FAMILY_OFFSET, family);
    }

    /**
     * {@code rtm_dst_len}.
     *
     * @return the destination prefix length
     */
    public int destinationLength() {
        return u8(DST_LENGTH_OFFSET);
    }

    /**
     * Sets {@code rtm_dst_len}.
     *
     * @param length the destination prefix length
     * @return this
     */
    public RtMsg destinationLength(int length) {
        return u8(DST_LENGTH_OFFSET, length);
    }

    /**
     * {@code rtm_table}.
     *
     * @return the table id (e.g. {@link #RT_TABLE_MAIN})
     */
    public int table() {
        return u8(TABLE_OFFSET);
    }

    /**
     * Sets {@code rtm_table}.
     *
     * @param table the table id
     * @return this
     */
    public RtMsg table(int table) {
        return u8(TABLE_OFFSET, table);
    }

    /**
     * {@code rtm_protocol}.
     *
     * @return who installed the route (e.g. {@link #RTPROT_BOOT})
     */
    public int protocol() {
        return u8(PROTOCOL_OFFSET);
    }

    /**
     * Sets {@code rtm_protocol}.
     *
     * @param protocol e.g. {@link #RTPROT_BOOT}
     * @return this
     */
    public RtMsg protocol(int protocol) {
        return u8(PROTOCOL_OFFSET, protocol);
    }

    /**
     * {@code rtm_scope}.
     *
     * @return e.g. {@link IfAddrMsg#RT_SCOPE_LINK}
     */
    public int scope() {
        return u8(SCOPE_OFFSET);
    }

    /**
     * Sets {@code rtm_scope}.
     *
     * @param scope e.g. {@link IfAddrMsg#RT_SCOPE_LINK}
     * @return this
     */
    public RtMsg scope(int scope) {
        return u8(SCOPE_OFFSET, scope);
    }

    /**
     * {@code rtm_type}.
     *
     * @return e.g. {@link #RTN_UNICAST}
     */
    public int type() {
        return u8(TYPE_OFFSET);
    }

    /**
     * Sets {@code rtm_type}.
     *
     * @param type e.g. {@link #RTN_UNICAST}
     * @return this
     */
    public RtMsg type(int type) {
        return u8(TYPE_OFFSET, type);
    }

    /**
     * {@code rtm_flags}.
     *
     * @return the {@code RTM_F_*} flags
     */
    public int flags() {
        return HostOrder.getInt(buffer, offset + FLAGS_OFFSET);
    }

    /**
     * The first attribute's offset.
     *
     * @return {@code offset + LENGTH}
     */
    public int attributesOffset() {
        return offset + LENGTH;
    }
}

package io.jpair.netlink;

import java.nio.ByteBuffer;

/**
 * Flyweight over {@code struct ifinfomsg} (16 bytes), the body of {@code RTM_NEWLINK},
 * {@code RTM_DELLINK} and {@code RTM_GETLINK}, followed by {@code IFLA_*} attributes.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  ifi_family   |  (padding)    |      ifi_type (ARPHRD_*)      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     ifi_index (signed)                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     ifi_flags (IFF_*)                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     ifi_change (mask of flags to change)      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * Host byte order. See {@code include/uapi/linux/rtnetlink.h} and
 * https://man7.org/linux/man-pages/man7/rtnetlink.7.html
 */
public final class IfInfoMsg {
    /** {@code sizeof(struct ifinfomsg)}. */
    public static final int LENGTH = 16;
    /** Offset of {@code ifi_family}. */
    public static final int FAMILY_OFFSET = 0;
    /** Offset of {@code ifi_type}. */
    public static final int TYPE_OFFSET = 2;
    /** Offset of {@code ifi_index}. */
    public static final int INDEX_OFFSET = 4;
    /** Offset of {@code ifi_flags}. */
    public static final int FLAGS_OFFSET = 8;
    /** Offset of {@code ifi_change}. */
    public static final int CHANGE_OFFSET = 12;

    /** {@code IFLA_ADDRESS}: hardware address. */
    public static final int IFLA_ADDRESS = 1;
    /** {@code IFLA_IFNAME}: the name, NUL-terminated. */
    public static final int IFLA_IFNAME = 3;
    /** {@code IFLA_MTU}: u32. */
    public static final int IFLA_MTU = 4;
    /** {@code IFLA_TXQLEN}: u32. */
    public static final int IFLA_TXQLEN = 13;
    /** {@code IFLA_OPERSTATE}: u8 (RFC 2863 state). */
    public static final int IFLA_OPERSTATE = 16;
    /** {@code IFLA_MASTER}: u32 index of the link's master (a bridge); 0 releases it. */
    public static final int IFLA_MASTER = 10;
    /** {@code IFLA_LINKINFO}: nested {@code IFLA_INFO_*}, the link's kind and its data. */
    public static final int IFLA_LINKINFO = 18;
    /** {@code IFLA_NET_NS_PID}: u32 pid whose network namespace the link moves to. */
    public static final int IFLA_NET_NS_PID = 19;
    /** {@code IFLA_NET_NS_FD}: u32 fd of the network namespace the link moves to (or is created in). */
    public static final int IFLA_NET_NS_FD = 28;
    /** {@code IFLA_INFO_KIND}, inside {@link #IFLA_LINKINFO}: the kind, e.g. {@code "veth"}, {@code "bridge"}. */
    public static final int IFLA_INFO_KIND = 1;
    /** {@code IFLA_INFO_DATA}, inside {@link #IFLA_LINKINFO}: nested kind-specific attributes. */
    public static final int IFLA_INFO_DATA = 2;
    /**
     * {@code VETH_INFO_PEER}, inside {@link #IFLA_INFO_DATA} of a veth: a {@code struct ifinfomsg}
     * followed by the peer's own {@code IFLA_*} attributes ({@link #IFLA_IFNAME}, {@link #IFLA_NET_NS_FD}).
     */
    public static final int VETH_INFO_PEER = 1;
    /** {@code IFLA_EXT_MASK}: u32 {@code RTEXT_FILTER_*} for GET requests. */
    public static final int IFLA_EXT_MASK = 29;
    /** {@code IFLA_CARRIER}: u8. */
    public static final int IFLA_CARRIER = 33;
    /** {@code IFLA_MIN_MTU}: u32, the device's smallest MTU (kernel 4.18+). */
    public static final int IFLA_MIN_MTU = 50;
    /** {@code IFLA_MAX_MTU}: u32, the device's largest MTU (kernel 4.18+). */
    public static final int IFLA_MAX_MTU = 51;
    /** {@code RTEXT_FILTER_SKIP_STATS}: leave the statistics out of replies. */
    public static final int RTEXT_FILTER_SKIP_STATS = 1 << 3;

    /** {@code IFF_UP}: administratively up. */
    public static final int IFF_UP = 0x1;
    /** {@code IFF_BROADCAST}. */
    public static final int IFF_BROADCAST = 0x2;
    /** {@code IFF_LOOPBACK}. */
    public static final int IFF_LOOPBACK = 0x8;
    /** {@code IFF_POINTOPOINT}. */
    public static final int IFF_POINTOPOINT = 0x10;
    /** {@code IFF_RUNNING}: operationally up. */
    public static final int IFF_RUNNING = 0x40;
    /** {@code IFF_NOARP}. */
    public static final int IFF_NOARP = 0x80;
    /** {@code IFF_MULTICAST}. */
    public static final int IFF_MULTICAST = 0x1000;
    /** {@code IFF_LOWER_UP}: the driver signals carrier. */
    public static final int IFF_LOWER_UP = 0x10000;

    private ByteBuffer buffer;
    private int offset;

    /**
     * Creates a flyweight over nothing yet; call {@link #wrap} before use.
     */
    public IfInfoMsg() {
    }

    /**
     * Points this flyweight at an {@code ifinfomsg}.
     *
     * @param buffer the bytes
     * @param offset where it starts (the netlink payload offset)
     * @return this
     */
    public IfInfoMsg wrap(ByteBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * {@code ifi_family}.
     *
     * @return an {@code AF_*} value, usually {@code AF_UNSPEC} (0)
     */
    public int family() {
        return Byte.toUnsignedInt(buffer.get(offset + FAMILY_OFFSET));
    }

    /**
     * Sets {@code ifi_family}.
     *
     * @param family an {@code AF_*} value
     * @return this
     */
    public IfInfoMsg family(int family) {
        buffer.put(offset + FAMILY_OFFSET, (byte) family);
        return this;
    }

    /**
     * {@code ifi_type}.
     *
     * @return the {@code ARPHRD_*} device type (e.g. 65534 {@code ARPHRD_NONE} for TUN)
     */
    public int type() {
        return HostOrder.getUnsignedShort(buffer, offset + TYPE_OFFSET);
    }

    /**
     * {@code ifi_index}.
     *
     * @return the interface index
     */
    public int index() {
        return HostOrder.getInt(buffer, offset + INDEX_OFFSET);
    }

    /**
     * Sets {@code ifi_index}.
     *
     * @param index the interface index (0 with {@code IFLA_IFNAME} to select by name)
     * @return this
     */
    public IfInfoMsg index(int index) {
        HostOrder.putInt(buffer, offset + INDEX_OFFSET, index);
        return this;
    }

    /**
     * {@code ifi_flags}.
     *
     * @return the {@code IFF_*} flags
     */
    public int flags() {
        return HostOrder.getInt(buffer, offset + FLAGS_OFFSET);
    }

    /**
     * Sets {@code ifi_flags}.
     *
     * @param flags the {@code IFF_*} flags
     * @return this
     */
    public IfInfoMsg flags(int flags) {
        HostOrder.putInt(buffer, offset + FLAGS_OFFSET, flags);
        return this;
    }

    /**
     * {@code ifi_change}.
     *
     * @return the mask of flags a request changes
     */
    public int change() {
        return HostOrder.getInt(buffer, offset + CHANGE_OFFSET);
    }

    /**
     * Sets {@code ifi_change}.
     *
     * @param change the mask of flags to change
     * @return this
     */
    public IfInfoMsg change(int change) {
        HostOrder.putInt(buffer, offset + CHANGE_OFFSET, change);
        return this;
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

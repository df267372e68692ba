package io.jpair.netlink;

import java.nio.ByteBuffer;

/**
 * Flyweight over {@code struct ifaddrmsg} (8 bytes), the body of {@code RTM_NEWADDR},
 * {@code RTM_DELADDR} and {@code RTM_GETADDR}, followed by {@code IFA_*} attributes.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  ifa_family   | ifa_prefixlen |   ifa_flags   |   ifa_scope   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  ifa_index (unsigned, host order)             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * Address attributes ({@code IFA_ADDRESS}, {@code IFA_LOCAL}) carry the address in network
 * byte order (4 or 16 bytes). See {@code include/uapi/linux/if_addr.h}.
 */
public final class IfAddrMsg {
    /** {@code sizeof(struct ifaddrmsg)}. */
    public static final int LENGTH = 8;
    /** Offset of {@code ifa_family}. */
    public static final int FAMILY_OFFSET = 0;
    /** Offset of {@code ifa_prefixlen}. */
    public static final int PREFIX_LENGTH_OFFSET = 1;
    /** Offset of {@code ifa_flags}. */
    public static final int FLAGS_OFFSET = 2;
    /** Offset of {@code ifa_scope}. */
    public static final int SCOPE_OFFSET = 3;
    /** Offset of {@code ifa_index}. */
    public static final int INDEX_OFFSET = 4;

    /** {@code IFA_ADDRESS}: the prefix address (the peer's on point-to-point links). */
    public static final int IFA_ADDRESS = 1;
    /** {@code IFA_LOCAL}: the local address. */
    public static final int IFA_LOCAL = 2;
    /** {@code IFA_LABEL}: the IPv4 label, NUL-terminated. */
    public static final int IFA_LABEL = 3;
    /** {@code IFA_BROADCAST}. */
    public static final int IFA_BROADCAST = 4;
    /** {@code IFA_FLAGS}: u32 flags, superseding {@code ifa_flags}. */
    public static final int IFA_FLAGS = 8;

    /** {@code AF_INET}. */
    public static final int AF_INET = 2;
    /** {@code AF_INET6}. */
    public static final int AF_INET6 = 10;

    /** {@code RT_SCOPE_UNIVERSE}: global. */
    public static final int RT_SCOPE_UNIVERSE = 0;
    /** {@code RT_SCOPE_LINK}. */
    public static final int RT_SCOPE_LINK = 253;
    /** {@code RT_SCOPE_HOST}. */
    public static final int RT_SCOPE_HOST = 254;

    private ByteBuffer buffer;
    private int offset;

    /**
     * Creates a flyweight over nothing yet; call {@link #wrap} before use.
     */
    public IfAddrMsg() {
    }

    /**
     * Points this flyweight at an {@code ifaddrmsg}.
     *
     * @param buffer the bytes
     * @param offset where it starts (the netlink payload offset)
     * @return this
     */
    public IfAddrMsg wrap(ByteBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * {@code ifa_family}.
     *
     * @return {@link #AF_INET} or {@link #AF_INET6}
     */
    public int family() {
        return Byte.toUnsignedInt(buffer.get(offset + FAMILY_OFFSET));
    }

    /**
     * Sets {@code ifa_family}.
     *
     * @param family {@link #AF_INET} or {@link #AF_INET6}
     * @return this
     */
    public IfAddrMsg family(int family) {
        buffer.put(offset + FAMILY_OFFSET, (byte) family);
        return this;
    }

    /**
     * {@code ifa_prefixlen}.
     *
     * @return the prefix length in bits
     */
    public int prefixLength() {
        return Byte.toUnsignedInt(buffer.get(offset + PREFIX_LENGTH_OFFSET));
    }

    /**
     * Sets {@code ifa_prefixlen}.
     *
     * @param prefixLength the prefix length in bits
     * @return this
     */
    public IfAddrMsg prefixLength(int prefixLength) {
        buffer.put(offset + PREFIX_LENGTH_OFFSET, (byte) prefixLength);
        return this;
    }

    /**
     * {@code ifa_flags}.
     *
     * @return the low 8 {@code IFA_F_*} flags
     */
    public int flags() {
        return Byte.toUnsignedInt(buffer.get(offset + FLAGS_OFFSET));
    }

    /**
     * Sets {@code ifa_flags}.
     *
     * @param flags {@code IFA_F_*} flags
     * @return this
     */
    public IfAddrMsg flags(int flags) {
        buffer.put(offset + FLAGS_OFFSET, (byte) flags);
        return this;
    }

    /**
     * {@code ifa_scope}.
     *
     * @return e.g. {@link #RT_SCOPE_UNIVERSE}
     */
    public int scope() {
        return Byte.toUnsignedInt(buffer.get(offset + SCOPE_OFFSET));
    }

    /**
     * Sets {@code ifa_scope}.
     *
     * @param scope e.g. {@link #RT_SCOPE_UNIVERSE}
     * @return this
     */
    public IfAddrMsg scope(int scope) {
        buffer.put(offset + SCOPE_OFFSET, (byte) scope);
        return this;
    }

    /**
     * {@code ifa_index}.
     *
     * @return the interface index
     */
    public int index() {
        return HostOrder.getInt(buffer, offset + INDEX_OFFSET);
    }

    /**
     * Sets {@code ifa_index}.
     *
     * @param index the interface index
     * @return this
     */
    public IfAddrMsg index(int index) {
        HostOrder.putInt(buffer, offset + INDEX_OFFSET, index);
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

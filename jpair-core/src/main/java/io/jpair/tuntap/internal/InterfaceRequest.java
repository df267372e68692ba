package io.jpair.tuntap.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * {@code struct ifreq}: 40 bytes, the name then a union whose largest member is
 * {@code struct ifmap} (24 bytes).
 *
 * <pre>
 * struct ifreq {
 *     char ifr_name[IFNAMSIZ];      // offset 0, 16 bytes, NUL-terminated
 *     union {                       // offset 16, 24 bytes
 *         short ifru_flags;         //   TUNSETIFF / TUNGETIFF / SIOCGIFFLAGS
 *         int   ifru_mtu;           //   SIOCGIFMTU
 *         int   ifru_ivalue;        //   SIOCGIFINDEX
 *         struct ifmap ifru_map;    //   24 bytes: sets the size
 *         ...
 *     };
 * };
 * </pre>
 * See https://man7.org/linux/man-pages/man7/netdevice.7.html
 */
public final class InterfaceRequest {
    /** {@code IFNAMSIZ}: the name field, including its terminating NUL. */
    public static final int IFNAMSIZ = 16;
    /** The layout. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        MemoryLayout.sequenceLayout(IFNAMSIZ, ValueLayout.JAVA_BYTE).withName("ifr_name"),
        ValueLayout.JAVA_SHORT.withName("ifr_flags"),
        MemoryLayout.paddingLayout(22));
    /** {@code sizeof(struct ifreq)} = 40. */
    public static final long SIZE = LAYOUT.byteSize();
    /** Offset of {@code ifr_name}. */
    public static final long NAME_OFFSET = 0;
    /** Offset of the union ({@code ifr_flags}, {@code ifr_mtu}, ...). */
    public static final long UNION_OFFSET = 16;

    private InterfaceRequest() {
    }

    /**
     * A zeroed ifreq.
     *
     * @param arena where to allocate it
     * @return the segment
     */
    public static MemorySegment allocate(Arena arena) {
        return arena.allocate(LAYOUT);
    }

    /**
     * Writes {@code ifr_name}, NUL-padded.
     *
     * @param ifreq the structure
     * @param name at most 15 bytes of ASCII
     * @throws IllegalArgumentException if the name does not fit with its NUL
     */
    public static void name(MemorySegment ifreq, String name) {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length >= IFNAMSIZ) {
            throw new IllegalArgumentException("interface name '" + name + "' is " + bytes.length
                + " bytes; Linux allows at most " + (IFNAMSIZ - 1));
        }
        ifreq.asSlice(NAME_OFFSET, IFNAMSIZ).fill((byte) 0);
        MemorySegment.copy(bytes, 0, ifreq, ValueLayout.JAVA_BYTE, NAME_OFFSET, bytes.length);
    }

    /**
     * Reads {@code ifr_name} up to its first NUL.
     *
     * @param ifreq the structure
     * @return the name
     */
    public static String name(MemorySegment ifreq) {
        return ifreq.getString(NAME_OFFSET, StandardCharsets.US_ASCII);
    }

    /**
     * Reads {@code ifr_flags} as an unsigned 16-bit value.
     *
     * @param ifreq the structure
     * @return the flags
     */
    public static int flags(MemorySegment ifreq) {
        return Short.toUnsignedInt(ifreq.get(ValueLayout.JAVA_SHORT, UNION_OFFSET));
    }

    /**
     * Writes {@code ifr_flags}.
     *
     * @param ifreq the structure
     * @param flags the low 16 bits are used
     */
    public static void flags(MemorySegment ifreq, int flags) {
        ifreq.set(ValueLayout.JAVA_SHORT, UNION_OFFSET, (short) flags);
    }

    /**
     * Reads the union as an int ({@code ifr_mtu}, {@code ifr_ifindex}).
     *
     * @param ifreq the structure
     * @return the value
     */
    public static int intValue(MemorySegment ifreq) {
        return ifreq.get(ValueLayout.JAVA_INT, UNION_OFFSET);
    }
}

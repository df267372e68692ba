package io.jpair.sys;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

/**
 * {@code struct sockaddr_in} and {@code struct sockaddr_in6} read and written in place, at an
 * offset of a caller's segment (an array of them inside a reused message block): nothing is
 * allocated per address.
 *
 * <pre>
 * struct sockaddr_in {              // 16 bytes
 *     sa_family_t sin_family;       // 0, AF_INET, host order
 *     in_port_t   sin_port;         // 2, network order
 *     in_addr_t   sin_addr;         // 4, network order
 *     char        sin_zero[8];      // 8
 * };
 * struct sockaddr_in6 {             // 28 bytes
 *     sa_family_t sin6_family;      // 0, AF_INET6
 *     in_port_t   sin6_port;        // 2, network order
 *     uint32_t    sin6_flowinfo;    // 4
 *     uint8_t     sin6_addr[16];    // 8, network order
 *     uint32_t    sin6_scope_id;    // 24, host order
 * };
 * </pre>
 * See https://man7.org/linux/man-pages/man7/ip.7.html and ipv6.7. Internal to jpair.
 */
public final class Sockaddr {
    /** {@code AF_INET}. */
    public static final int AF_INET = 2;
    /** {@code AF_INET6}. */
    public static final int AF_INET6 = 10;
    /** {@code sizeof(struct sockaddr_in)}. */
    public static final int IN_SIZE = 16;
    /** {@code sizeof(struct sockaddr_in6)}. */
    public static final int IN6_SIZE = 28;
    /** Bytes reserved per address in an array: room for either, 8-byte aligned. */
    public static final int SLOT_SIZE = 32;

    private static final ValueLayout.OfShort BE_SHORT =
        ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong BE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private Sockaddr() {
    }

    /**
     * The address family.
     *
     * @param segment the memory
     * @param offset where the structure starts
     * @return {@link #AF_INET}, {@link #AF_INET6} or another family
     */
    public static int family(MemorySegment segment, long offset) {
        return segment.get(ValueLayout.JAVA_SHORT_UNALIGNED, offset) & 0xFFFF;
    }

    /**
     * The port (both families keep it at offset 2).
     *
     * @param segment the memory
     * @param offset where the structure starts
     * @return 0..65535
     */
    public static int port(MemorySegment segment, long offset) {
        return segment.get(BE_SHORT, offset + 2) & 0xFFFF;
    }

    /**
     * The IPv4 address of a {@code sockaddr_in}.
     *
     * @param segment the memory
     * @param offset where the structure starts
     * @return the address as an int (network order value)
     */
    public static int ipv4(MemorySegment segment, long offset) {
        return segment.get(BE_INT, offset + 4);
    }

    /**
     * The high 64 bits of a {@code sockaddr_in6} address.
     *
     * @param segment the memory
     * @param offset where the structure starts
     * @return the bits
     */
    public static long ipv6High(MemorySegment segment, long offset) {
        return segment.get(BE_LONG, offset + 8);
    }

    /**
     * The low 64 bits of a {@code sockaddr_in6} address.
     *
     * @param segment the memory
     * @param offset where the structure starts
     * @return the bits
     */
    public static long ipv6Low(MemorySegment segment, long offset) {
        return segment.get(BE_LONG, offset + 16);
    }

    /**
     * The scope id of a {@code sockaddr_in6} (the interface index of a link-local address).
     *
     * @param segment the memory
     * @param offset where the structure starts
     * @return the scope id
     */
    public static int scopeId(MemorySegment segment, long offset) {
        return segment.get(ValueLayout.JAVA_INT_UNALIGNED, offset + 24);
    }

    /**
     * Writes a {@code sockaddr_in}.
     *
     * @param segment the memory
     * @param offset where the structure starts
     * @param address the address as an int
     * @param port 0..65535
     * @return {@link #IN_SIZE}
     */
    public static int writeIpv4(MemorySegment segment, long offset, int address, int port) {
        segment.set(ValueLayout.JAVA_SHORT_UNALIGNED, offset, (short) AF_INET);
        segment.set(BE_SHORT, offset + 2, (short) port);
        segment.set(BE_INT, offset + 4, address);
        segment.set(ValueLayout.JAVA_LONG_UNALIGNED, offset + 8, 0L);
        return IN_SIZE;
    }

    /**
     * Writes a {@code sockaddr_in6} (flow info 0).
     *
     * @param segment the memory
     * @param offset where the structure starts
     * @param high address, high 64 bits
     * @param low address, low 64 bits
     * @param port 0..65535
     * @param scopeId the scope id (0 unless link-local)
     * @return {@link #IN6_SIZE}
     */
    public static int writeIpv6(MemorySegment segment, long offset, long high, long low, int port, int scopeId) {
        segment.set(ValueLayout.JAVA_SHORT_UNALIGNED, offset, (short) AF_INET6);
        segment.set(BE_SHORT, offset + 2, (short) port);
        segment.set(ValueLayout.JAVA_INT_UNALIGNED, offset + 4, 0);
        segment.set(BE_LONG, offset + 8, high);
        segment.set(BE_LONG, offset + 16, low);
        segment.set(ValueLayout.JAVA_INT_UNALIGNED, offset + 24, scopeId);
        return IN6_SIZE;
    }

    /**
     * The address family of an address.
     *
     * @param address a resolved address
     * @return {@link #AF_INET} or {@link #AF_INET6}
     */
    public static int family(InetAddress address) {
        return address instanceof Inet4Address ? AF_INET : AF_INET6;
    }

    /**
     * Writes {@code address} at the start of {@code sockaddr} (cold path: for {@code bind},
     * {@code connect}).
     *
     * @param sockaddr at least {@link #SLOT_SIZE} bytes
     * @param address a resolved address and port
     * @return the structure's length: {@link #IN_SIZE} or {@link #IN6_SIZE}
     * @throws IllegalArgumentException if the address is unresolved
     */
    public static int encode(MemorySegment sockaddr, InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        if (ip == null) {
            throw new IllegalArgumentException("unresolved address " + address.getHostString());
        }
        byte[] bytes = ip.getAddress();
        if (ip instanceof Inet4Address) {
            return writeIpv4(sockaddr, 0, MemorySegment.ofArray(bytes).get(BE_INT, 0), address.getPort());
        }
        MemorySegment raw = MemorySegment.ofArray(bytes);
        return writeIpv6(sockaddr, 0, raw.get(BE_LONG, 0), raw.get(BE_LONG, 8), address.getPort(),
            ((Inet6Address) ip).getScopeId());
    }

    /**
     * Reads the address a call ({@code accept}, {@code getsockname}, {@code getpeername}) wrote at
     * the start of {@code sockaddr} (cold path: builds address objects).
     *
     * @param sockaddr a {@code sockaddr_in} or {@code sockaddr_in6}
     * @return the address and port
     * @throws IllegalArgumentException if the family is neither {@code AF_INET} nor {@code AF_INET6}
     */
    public static InetSocketAddress decode(MemorySegment sockaddr) {
        int family = family(sockaddr, 0);
        int port = port(sockaddr, 0);
        try {
            if (family == AF_INET) {
                return new InetSocketAddress(InetAddress.getByAddress(sockaddr.asSlice(4, 4).toArray(ValueLayout.JAVA_BYTE)), port);
            }
            if (family == AF_INET6) {
                byte[] bytes = sockaddr.asSlice(8, 16).toArray(ValueLayout.JAVA_BYTE);
                int scope = scopeId(sockaddr, 0);
                InetAddress ip = scope == 0 ? InetAddress.getByAddress(bytes) : Inet6Address.getByAddress(null, bytes, scope);
                return new InetSocketAddress(ip, port);
            }
        } catch (UnknownHostException impossible) {
            throw new AssertionError("4 or 16 address bytes were refused", impossible);
        }
        throw new IllegalArgumentException("not an inet socket address: family " + family);
    }
}

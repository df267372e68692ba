package io.jpair.sys;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * {@code struct sockaddr_in} and {@code struct sockaddr_in6}: encoding an
 * {@link InetSocketAddress} for {@code bind}/{@code connect}, decoding one from
 * {@code accept}/{@code getsockname}/{@code getpeername}.
 *
 * <pre>
 * struct sockaddr_in {             // 16 bytes          struct sockaddr_in6 {       // 28 bytes
 *     sa_family_t sin_family;      // 0: AF_INET            sa_family_t sin6_family;  // 0: AF_INET6
 *     in_port_t   sin_port;        // 2: network order      in_port_t   sin6_port;    // 2: network order
 *     struct in_addr sin_addr;     // 4                     uint32_t    sin6_flowinfo;// 4
 *     char        sin_zero[8];     // 8                     struct in6_addr sin6_addr;// 8
 * };                                                        uint32_t    sin6_scope_id;// 24: host order
 *                                                       };
 * </pre>
 * The family is in host byte order. See https://man7.org/linux/man-pages/man7/ipv6.7.html
 *
 * <p>Cold path: decoding builds address objects. Stateless, thread-safe. Internal to jpair.
 */
public final class SockaddrInet {
    /** {@code AF_INET}. */
    public static final int AF_INET = 2;
    /** {@code AF_INET6}. */
    public static final int AF_INET6 = 10;
    /** {@code sizeof(struct sockaddr_in)}. */
    public static final int IN_SIZE = 16;
    /** {@code sizeof(struct sockaddr_in6)}. */
    public static final int IN6_SIZE = 28;
    /** Room enough for either (a {@code sockaddr_in6}, rounded to 8 bytes). */
    public static final int MAX_SIZE = 32;

    private SockaddrInet() {
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
     * Writes {@code address} into {@code sockaddr}.
     *
     * @param sockaddr at least {@link #MAX_SIZE} bytes
     * @param address a resolved address and port
     * @return the structure's length: {@link #IN_SIZE} or {@link #IN6_SIZE}
     * @throws IllegalArgumentException if the address is unresolved
     */
    public static int encode(MemorySegment sockaddr, InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        if (ip == null) {
            throw new IllegalArgumentException("unresolved address " + address.getHostString());
        }
        sockaddr.asSlice(0, MAX_SIZE).fill((byte) 0);
        int port = address.getPort();
        sockaddr.set(ValueLayout.JAVA_BYTE, 2, (byte) (port >>> 8));
        sockaddr.set(ValueLayout.JAVA_BYTE, 3, (byte) port);
        byte[] bytes = ip.getAddress();
        if (ip instanceof Inet4Address) {
            sockaddr.set(ValueLayout.JAVA_SHORT_UNALIGNED, 0, (short) AF_INET);
            MemorySegment.copy(bytes, 0, sockaddr, ValueLayout.JAVA_BYTE, 4, 4);
            return IN_SIZE;
        }
        sockaddr.set(ValueLayout.JAVA_SHORT_UNALIGNED, 0, (short) AF_INET6);
        MemorySegment.copy(bytes, 0, sockaddr, ValueLayout.JAVA_BYTE, 8, 16);
        sockaddr.set(ValueLayout.JAVA_INT_UNALIGNED, 24, ((Inet6Address) ip).getScopeId());
        return IN6_SIZE;
    }

    /**
     * Reads the address a call wrote into {@code sockaddr}.
     *
     * @param sockaddr a {@code sockaddr_in} or {@code sockaddr_in6}
     * @return the address and port
     * @throws IllegalArgumentException if the family is neither {@code AF_INET} nor {@code AF_INET6}
     */
    public static InetSocketAddress decode(MemorySegment sockaddr) {
        int family = sockaddr.get(ValueLayout.JAVA_SHORT_UNALIGNED, 0) & 0xffff;
        int port = (sockaddr.get(ValueLayout.JAVA_BYTE, 2) & 0xff) << 8 | sockaddr.get(ValueLayout.JAVA_BYTE, 3) & 0xff;
        try {
            if (family == AF_INET) {
                byte[] bytes = sockaddr.asSlice(4, 4).toArray(ValueLayout.JAVA_BYTE);
                return new InetSocketAddress(InetAddress.getByAddress(bytes), port);
            }
            if (family == AF_INET6) {
                byte[] bytes = sockaddr.asSlice(8, 16).toArray(ValueLayout.JAVA_BYTE);
                int scope = sockaddr.get(ValueLayout.JAVA_INT_UNALIGNED, 24);
                InetAddress ip = scope == 0 ? InetAddress.getByAddress(bytes) : Inet6Address.getByAddress(null, bytes, scope);
                return new InetSocketAddress(ip, port);
            }
        } catch (UnknownHostException impossible) {
            throw new AssertionError("4 or 16 address bytes were refused", impossible);
        }
        throw new IllegalArgumentException("not an inet socket address: family " + family);
    }
}

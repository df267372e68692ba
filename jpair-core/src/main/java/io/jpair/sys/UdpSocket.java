package io.jpair.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The cold-path calls of a UDP socket over IPv4 or IPv6: {@code socket}, {@code bind},
 * {@code connect}, {@code getsockname}, {@code getsockopt}/{@code setsockopt} with an int, and
 * the multicast memberships ({@code struct ip_mreqn}, {@code struct ipv6_mreq}). The packet path
 * is {@link MultiMessage}. Addresses are given as raw bytes (4 or 16) and written with
 * {@link Sockaddr}.
 *
 * <p>Same convention as {@link LibC}: results or {@code -errno}. Each call allocates its structure
 * in a confined arena. Thread-safe. Internal to jpair: use {@code io.jpair.socket} instead.
 */
public final class UdpSocket {
    /** {@code SOL_IP}. */
    public static final int SOL_IP = 0;
    /** {@code SOL_IPV6}. */
    public static final int SOL_IPV6 = 41;
    /** {@code IP_MULTICAST_TTL}. */
    public static final int IP_MULTICAST_TTL = 33;
    /** {@code IP_MULTICAST_LOOP}. */
    public static final int IP_MULTICAST_LOOP = 34;
    /** {@code IP_ADD_MEMBERSHIP} (with a {@code struct ip_mreqn}). */
    public static final int IP_ADD_MEMBERSHIP = 35;
    /** {@code IP_DROP_MEMBERSHIP}. */
    public static final int IP_DROP_MEMBERSHIP = 36;
    /** {@code IPV6_MULTICAST_HOPS}. */
    public static final int IPV6_MULTICAST_HOPS = 18;
    /** {@code IPV6_MULTICAST_LOOP}. */
    public static final int IPV6_MULTICAST_LOOP = 19;
    /** {@code IPV6_ADD_MEMBERSHIP} ({@code IPV6_JOIN_GROUP}, with a {@code struct ipv6_mreq}). */
    public static final int IPV6_ADD_MEMBERSHIP = 20;
    /** {@code IPV6_DROP_MEMBERSHIP}. */
    public static final int IPV6_DROP_MEMBERSHIP = 21;
    /** {@code IPV6_V6ONLY}: 0 lets an {@code AF_INET6} socket on {@code ::} carry IPv4 too. */
    public static final int IPV6_V6ONLY = 26;

    private UdpSocket() {
    }

    private static final class Connect {
        // int connect(int fd, const struct sockaddr *addr, socklen_t len); https://man7.org/linux/man-pages/man2/connect.2.html
        static final MethodHandle H = Downcalls.link("connect",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class GetSockOpt {
        // int getsockopt(int fd, int level, int optname, void *optval, socklen_t *optlen);
        // https://man7.org/linux/man-pages/man2/getsockopt.2.html
        static final MethodHandle H = Downcalls.link("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    }

    /**
     * A non-blocking UDP socket ({@code SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC}).
     *
     * @param family {@link Sockaddr#AF_INET} or {@link Sockaddr#AF_INET6}
     * @return the fd, or {@code -errno}
     */
    public static int open(int family) {
        return Socket.socket(family, Socket.SOCK_DGRAM | Socket.SOCK_NONBLOCK | Socket.SOCK_CLOEXEC, 0);
    }

    /**
     * {@code bind} to an address of the socket's family (an IPv4 address on an {@code AF_INET6}
     * socket is written v4-mapped).
     *
     * @param fd the socket
     * @param family the socket's family
     * @param address 4 or 16 bytes
     * @param port 0 for any
     * @param scopeId the IPv6 scope id (0 unless link-local)
     * @return 0, or {@code -errno}
     */
    public static int bind(int fd, int family, byte[] address, int port, int scopeId) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sockaddr = arena.allocate(Sockaddr.SLOT_SIZE, 8);
            int length = write(sockaddr, family, address, port, scopeId);
            return Socket.bind(fd, sockaddr, length);
        }
    }

    /**
     * {@code connect} to an address of the socket's family.
     *
     * @param fd the socket
     * @param family the socket's family
     * @param address 4 or 16 bytes
     * @param port the peer's port
     * @param scopeId the IPv6 scope id
     * @return 0, or {@code -errno}
     */
    public static int connect(int fd, int family, byte[] address, int port, int scopeId) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sockaddr = arena.allocate(Sockaddr.SLOT_SIZE, 8);
            int length = write(sockaddr, family, address, port, scopeId);
            MemorySegment capture = Downcalls.capture();
            int result = (int) Downcalls.result((int) Connect.H.invokeExact(capture, fd, sockaddr, length), capture);
            Downcalls.trace("connect(" + fd + ")", result);
            return result;
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code getsockname}, as raw bytes.
     *
     * @param fd the socket
     * @param into receives the address: 4 bytes (IPv4) or 16 (IPv6, v4-mapped left as is)
     * @return the port, or {@code -errno}
     */
    public static int localAddress(int fd, byte[][] into) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sockaddr = arena.allocate(Sockaddr.SLOT_SIZE, 8);
            int length = Socket.getSockName(fd, sockaddr);
            if (length < 0) {
                return length;
            }
            if (Sockaddr.family(sockaddr, 0) == Sockaddr.AF_INET) {
                into[0] = sockaddr.asSlice(4, 4).toArray(ValueLayout.JAVA_BYTE);
            } else {
                into[0] = sockaddr.asSlice(8, 16).toArray(ValueLayout.JAVA_BYTE);
            }
            return Sockaddr.port(sockaddr, 0);
        }
    }

    /**
     * {@code getsockopt} of an int option.
     *
     * @param fd the socket
     * @param level e.g. {@link MultiMessage#SOL_UDP}
     * @param name e.g. {@link MultiMessage#UDP_SEGMENT}
     * @return the value (non-negative for every option jpair reads), or {@code -errno}
     */
    public static int getIntOption(int fd, int level, int name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment length = arena.allocateFrom(ValueLayout.JAVA_INT, Integer.BYTES);
            MemorySegment capture = Downcalls.capture();
            int result = (int) Downcalls.result((int) GetSockOpt.H.invokeExact(capture, fd, level, name, value, length),
                capture);
            Downcalls.trace("getsockopt(" + fd + ", " + level + ", " + name + ")", result);
            return result < 0 ? result : value.get(ValueLayout.JAVA_INT, 0);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code setsockopt} of an int option.
     *
     * @param fd the socket
     * @param level the level
     * @param name the option
     * @param value the value
     * @return 0, or {@code -errno}
     */
    public static int setIntOption(int fd, int level, int name, int value) {
        return Socket.setSockOpt(fd, level, name, value);
    }

    /**
     * Joins or leaves a multicast group: {@code IP_ADD/DROP_MEMBERSHIP} with a
     * {@code struct ip_mreqn {imr_multiaddr, imr_address = 0, imr_ifindex}} for a 4-byte group,
     * {@code IPV6_ADD/DROP_MEMBERSHIP} with a {@code struct ipv6_mreq {addr, ifindex}} for a
     * 16-byte one.
     *
     * @param fd the socket
     * @param group 4 or 16 bytes
     * @param interfaceIndex the interface, 0 for the kernel's choice (the route to the group)
     * @param join true to join, false to leave
     * @return 0, or {@code -errno}
     */
    public static int membership(int fd, byte[] group, int interfaceIndex, boolean join) {
        try (Arena arena = Arena.ofConfined()) {
            if (group.length == 4) {
                MemorySegment mreqn = arena.allocate(12, 4);
                MemorySegment.copy(group, 0, mreqn, ValueLayout.JAVA_BYTE, 0, 4);
                mreqn.set(ValueLayout.JAVA_INT, 8, interfaceIndex);
                return Socket.setSockOpt(fd, SOL_IP, join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP, mreqn, 12);
            }
            MemorySegment mreq = arena.allocate(20, 4);
            MemorySegment.copy(group, 0, mreq, ValueLayout.JAVA_BYTE, 0, 16);
            mreq.set(ValueLayout.JAVA_INT, 16, interfaceIndex);
            return Socket.setSockOpt(fd, SOL_IPV6, join ? IPV6_ADD_MEMBERSHIP : IPV6_DROP_MEMBERSHIP, mreq, 20);
        }
    }

    private static int write(MemorySegment sockaddr, int family, byte[] address, int port, int scopeId) {
        if (family == Sockaddr.AF_INET) {
            return Sockaddr.writeIpv4(sockaddr, 0, toInt(address, 0), port);
        }
        long high;
        long low;
        if (address.length == 4) {
            high = 0;
            low = 0xFFFF_0000_0000L | (toInt(address, 0) & 0xFFFF_FFFFL);
        } else {
            high = ((long) toInt(address, 0) << 32) | (toInt(address, 4) & 0xFFFF_FFFFL);
            low = ((long) toInt(address, 8) << 32) | (toInt(address, 12) & 0xFFFF_FFFFL);
        }
        return Sockaddr.writeIpv6(sockaddr, 0, high, low, port, scopeId);
    }

    private static int toInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }
}

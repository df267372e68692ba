package io.jpair.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.Inet4Address;

/**
 * BSD socket calls from libc: {@code socket}, {@code setsockopt}, {@code bind}, {@code connect}
 * for IPv4 datagram sockets, so that jpair (and its kernel tests) can set options Java's
 * {@code DatagramChannel} cannot, such as {@code UDP_SEGMENT} (UDP GSO). Send with
 * {@link LibC#write} on a connected socket; close with {@link LibC#close}.
 *
 * <p>Same convention as {@link LibC}: results or {@code -errno}, never an exception for a failed
 * call. Cold path: each call with a structure allocates it in a confined arena. Thread-safe.
 * Internal to jpair.
 */
public final class Socket {
    /** {@code AF_INET}. */
    public static final int AF_INET = 2;
    /** {@code SOCK_DGRAM}. */
    public static final int SOCK_DGRAM = 2;
    /** {@code SOCK_STREAM}. */
    public static final int SOCK_STREAM = 1;
    /** {@code SOCK_CLOEXEC}. */
    public static final int SOCK_CLOEXEC = 02000000;
    /** {@code SOL_SOCKET}. */
    public static final int SOL_SOCKET = 1;
    /** {@code SOL_UDP} ({@code IPPROTO_UDP}). */
    public static final int SOL_UDP = 17;
    /** {@code UDP_SEGMENT}: the GSO segment size for sends on this UDP socket (Linux 4.18). */
    public static final int UDP_SEGMENT = 103;
    /** {@code SO_SNDBUF}. */
    public static final int SO_SNDBUF = 7;
    /** {@code SO_SNDBUFFORCE}: {@code SO_SNDBUF} beyond the limit, for CAP_NET_ADMIN. */
    public static final int SO_SNDBUFFORCE = 32;
    /** {@code sizeof(struct sockaddr_in)}. */
    public static final int SOCKADDR_IN_SIZE = 16;

    private Socket() {
    }

    private static final class SocketCall {
        // int socket(int domain, int type, int protocol); https://man7.org/linux/man-pages/man2/socket.2.html
        static final MethodHandle H = Downcalls.link("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT,
            JAVA_INT));
    }

    private static final class SetSockOpt {
        // int setsockopt(int fd, int level, int optname, const void *optval, socklen_t optlen);
        // https://man7.org/linux/man-pages/man2/setsockopt.2.html
        static final MethodHandle H = Downcalls.link("setsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT,
            JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class Bind {
        // int bind(int fd, const struct sockaddr *addr, socklen_t len); https://man7.org/linux/man-pages/man2/bind.2.html
        static final MethodHandle H = Downcalls.link("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS,
            JAVA_INT));
    }

    private static final class Connect {
        // int connect(int fd, const struct sockaddr *addr, socklen_t len); https://man7.org/linux/man-pages/man2/connect.2.html
        static final MethodHandle H = Downcalls.link("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS,
            JAVA_INT));
    }

    /**
     * {@code socket(domain, type, protocol)}.
     *
     * @param domain e.g. {@link #AF_INET}
     * @param type e.g. {@code SOCK_DGRAM | SOCK_CLOEXEC}
     * @param protocol 0 for the default
     * @return the fd, or {@code -errno}
     */
    public static int socket(int domain, int type, int protocol) {
        try {
            MemorySegment capture = Downcalls.capture();
            int result = (int) Downcalls.result((int) SocketCall.H.invokeExact(capture, domain, type, protocol), capture);
            Downcalls.trace("socket(" + domain + ", " + type + ", " + protocol + ")", result);
            return result;
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code setsockopt(fd, level, name, &value, sizeof(int))}.
     *
     * @param fd the socket
     * @param level e.g. {@link #SOL_UDP}
     * @param name e.g. {@link #UDP_SEGMENT}
     * @param value the int option value
     * @return 0, or {@code -errno}
     */
    public static int setIntOption(int fd, int level, int name, int value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment option = arena.allocateFrom(JAVA_INT, value);
            MemorySegment capture = Downcalls.capture();
            int result = (int) Downcalls.result(
                (int) SetSockOpt.H.invokeExact(capture, fd, level, name, option, (int) JAVA_INT.byteSize()), capture);
            Downcalls.trace("setsockopt(" + fd + ", " + level + ", " + name + ", " + value + ")", result);
            return result;
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code bind(fd, sockaddr_in{address, port})}.
     *
     * @param fd the socket
     * @param address the local IPv4 address
     * @param port the local port, 0 for any
     * @return 0, or {@code -errno}
     */
    public static int bind(int fd, Inet4Address address, int port) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sockaddr = sockaddrIn(arena, address, port);
            MemorySegment capture = Downcalls.capture();
            int result = (int) Downcalls.result((int) Bind.H.invokeExact(capture, fd, sockaddr, SOCKADDR_IN_SIZE),
                capture);
            Downcalls.trace("bind(" + fd + ", " + address.getHostAddress() + ":" + port + ")", result);
            return result;
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code connect(fd, sockaddr_in{address, port})}.
     *
     * @param fd the socket
     * @param address the peer IPv4 address
     * @param port the peer port
     * @return 0, or {@code -errno}
     */
    public static int connect(int fd, Inet4Address address, int port) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sockaddr = sockaddrIn(arena, address, port);
            MemorySegment capture = Downcalls.capture();
            int result = (int) Downcalls.result((int) Connect.H.invokeExact(capture, fd, sockaddr, SOCKADDR_IN_SIZE),
                capture);
            Downcalls.trace("connect(" + fd + ", " + address.getHostAddress() + ":" + port + ")", result);
            return result;
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code struct sockaddr_in}: family (host order), port and address (network order), zero pad.
     * <pre>
     * struct sockaddr_in { sa_family_t sin_family; in_port_t sin_port; struct in_addr sin_addr; char pad[8]; };
     * </pre>
     */
    private static MemorySegment sockaddrIn(Arena arena, Inet4Address address, int port) {
        MemorySegment sockaddr = arena.allocate(SOCKADDR_IN_SIZE, 4);
        sockaddr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET);
        sockaddr.set(ValueLayout.JAVA_BYTE, 2, (byte) (port >>> 8));
        sockaddr.set(ValueLayout.JAVA_BYTE, 3, (byte) port);
        MemorySegment.copy(address.getAddress(), 0, sockaddr, ValueLayout.JAVA_BYTE, 4, 4);
        return sockaddr;
    }
}

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
 * IPv4 socket helpers on top of {@link Socket}: {@code struct sockaddr_in}, {@code bind} and
 * {@code connect} by address and port, and the UDP constants for {@code UDP_SEGMENT} (UDP GSO),
 * which Java's {@code DatagramChannel} cannot set. Used to send GSO super-packets into a TUN
 * device (kernel tests, benchmarks). Send with {@link LibC#write} on a connected socket.
 *
 * <pre>
 * struct sockaddr_in {            // 16 bytes
 *     sa_family_t    sin_family;  // offset 0, AF_INET, host order
 *     in_port_t      sin_port;    // offset 2, network order
 *     struct in_addr sin_addr;    // offset 4, network order
 *     char           sin_zero[8]; // offset 8
 * };
 * </pre>
 *
 * <p>Same convention as {@link LibC}: results or {@code -errno}. Cold path: each call allocates
 * its structure in a confined arena. Thread-safe. Internal to jpair.
 */
public final class InetSocket {
    /** {@code AF_INET}. */
    public static final int AF_INET = 2;
    /** {@code SOL_UDP} ({@code IPPROTO_UDP}). */
    public static final int SOL_UDP = 17;
    /** {@code UDP_SEGMENT}: the GSO segment size for sends on this UDP socket (Linux 4.18). */
    public static final int UDP_SEGMENT = 103;
    /** {@code sizeof(struct sockaddr_in)}. */
    public static final int SOCKADDR_IN_SIZE = 16;

    private InetSocket() {
    }

    private static final class Connect {
        // int connect(int fd, const struct sockaddr *addr, socklen_t len); https://man7.org/linux/man-pages/man2/connect.2.html
        static final MethodHandle H = Downcalls.link("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS,
            JAVA_INT));
    }

    /**
     * A UDP/IPv4 socket ({@code SOCK_DGRAM | SOCK_CLOEXEC}).
     *
     * @return the fd, or {@code -errno}
     */
    public static int udp() {
        return Socket.socket(AF_INET, Socket.SOCK_DGRAM | Socket.SOCK_CLOEXEC, 0);
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
            return Socket.bind(fd, sockaddrIn(arena, address, port), SOCKADDR_IN_SIZE);
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
     * Sets {@code UDP_SEGMENT}: every send of more than {@code size} bytes leaves as a GSO
     * super-packet of {@code size}-byte datagrams.
     *
     * @param fd a UDP socket
     * @param size the segment payload size
     * @return 0, or {@code -errno}
     */
    public static int udpSegment(int fd, int size) {
        return Socket.setSockOpt(fd, SOL_UDP, UDP_SEGMENT, size);
    }

    private static MemorySegment sockaddrIn(Arena arena, Inet4Address address, int port) {
        MemorySegment sockaddr = arena.allocate(SOCKADDR_IN_SIZE, 4);
        sockaddr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET);
        sockaddr.set(ValueLayout.JAVA_BYTE, 2, (byte) (port >>> 8));
        sockaddr.set(ValueLayout.JAVA_BYTE, 3, (byte) port);
        MemorySegment.copy(address.getAddress(), 0, sockaddr, ValueLayout.JAVA_BYTE, 4, 4);
        return sockaddr;
    }
}

package io.jpair.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Socket system calls from libc: {@code socket}, {@code bind}, {@code sendto}, {@code recv},
 * {@code recvfrom}, {@code setsockopt}, {@code getsockname}; used for netlink sockets.
 *
 * <p>Same convention as {@link LibC}: every method returns the call's result when it is
 * non-negative and {@code -errno} otherwise, and never throws on a failed call. Data buffers are
 * passed as 64-bit addresses ({@code long}); structures as {@link MemorySegment}s.
 *
 * <p>Thread-safe. Internal to jpair: use {@code io.jpair.netlink} instead.
 */
public final class Socket {
    /** {@code AF_NETLINK}. */
    public static final int AF_NETLINK = 16;
    /** {@code SOCK_DGRAM}. */
    public static final int SOCK_DGRAM = 2;
    /** {@code SOCK_RAW}. */
    public static final int SOCK_RAW = 3;
    /** {@code SOCK_NONBLOCK}: same value as {@code O_NONBLOCK}. */
    public static final int SOCK_NONBLOCK = Arch.O_NONBLOCK;
    /** {@code SOCK_CLOEXEC}: same value as {@code O_CLOEXEC}. */
    public static final int SOCK_CLOEXEC = Arch.O_CLOEXEC;
    /** {@code NETLINK_ROUTE}: the rtnetlink protocol (links, addresses, routes). */
    public static final int NETLINK_ROUTE = 0;

    /** {@code SOL_SOCKET}. */
    public static final int SOL_SOCKET = 1;
    /** {@code SO_SNDBUF}. */
    public static final int SO_SNDBUF = 7;
    /** {@code SO_RCVBUF}. */
    public static final int SO_RCVBUF = 8;
    /** {@code SO_RCVTIMEO} (the 64-bit {@code struct timeval} form; powerpc numbers it 18). */
    public static final int SO_RCVTIMEO =
        Arch.NAME.startsWith("ppc") || Arch.NAME.startsWith("powerpc") ? 18 : 20;
    /** {@code SOL_NETLINK}. */
    public static final int SOL_NETLINK = 270;
    /** {@code NETLINK_ADD_MEMBERSHIP}. */
    public static final int NETLINK_ADD_MEMBERSHIP = 1;
    /** {@code NETLINK_CAP_ACK}: error replies echo only the request's header. */
    public static final int NETLINK_CAP_ACK = 10;
    /** {@code NETLINK_EXT_ACK}: error replies carry the kernel's message as attributes. */
    public static final int NETLINK_EXT_ACK = 11;

    /** {@code MSG_PEEK}. */
    public static final int MSG_PEEK = 0x2;
    /** {@code MSG_TRUNC}: return the real datagram length even when it did not fit. */
    public static final int MSG_TRUNC = 0x20;
    /** {@code MSG_DONTWAIT}. */
    public static final int MSG_DONTWAIT = 0x40;

    private Socket() {
    }

    private static final class Create {
        // int socket(int domain, int type, int protocol); https://man7.org/linux/man-pages/man2/socket.2.html
        static final MethodHandle H = Downcalls.link("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private static final class Bind {
        // int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen);
        // https://man7.org/linux/man-pages/man2/bind.2.html
        static final MethodHandle H = Downcalls.link("bind",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class SendTo {
        // ssize_t sendto(int sockfd, const void *buf, size_t len, int flags,
        //                const struct sockaddr *dest_addr, socklen_t addrlen);
        // https://man7.org/linux/man-pages/man2/sendto.2.html
        static final MethodHandle H = Downcalls.link("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class Recv {
        // ssize_t recv(int sockfd, void *buf, size_t len, int flags); https://man7.org/linux/man-pages/man2/recv.2.html
        static final MethodHandle H = Downcalls.link("recv",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    }

    private static final class RecvFrom {
        // ssize_t recvfrom(int sockfd, void *buf, size_t len, int flags,
        //                  struct sockaddr *src_addr, socklen_t *addrlen);
        // https://man7.org/linux/man-pages/man2/recv.2.html
        static final MethodHandle H = Downcalls.link("recvfrom",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS));
    }

    private static final class SetSockOpt {
        // int setsockopt(int sockfd, int level, int optname, const void *optval, socklen_t optlen);
        // https://man7.org/linux/man-pages/man2/setsockopt.2.html
        static final MethodHandle H = Downcalls.link("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class GetSockName {
        // int getsockname(int sockfd, struct sockaddr *addr, socklen_t *addrlen);
        // https://man7.org/linux/man-pages/man2/getsockname.2.html
        static final MethodHandle H = Downcalls.link("getsockname",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    }

    /**
     * {@code socket(domain, type, protocol)}.
     *
     * @param domain e.g. {@link #AF_NETLINK}
     * @param type e.g. {@code SOCK_RAW | SOCK_CLOEXEC}
     * @param protocol e.g. {@link #NETLINK_ROUTE}
     * @return the new fd, or {@code -errno}
     */
    public static int socket(int domain, int type, int protocol) {
        try {
            MemorySegment capture = Downcalls.capture();
            int result = (int) Downcalls.result((int) Create.H.invokeExact(capture, domain, type, protocol), capture);
            Downcalls.trace("socket(" + domain + ", 0x" + Integer.toHexString(type) + ", " + protocol + ")", result);
            return result;
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code bind(fd, address, length)}.
     *
     * @param fd the socket
     * @param address the socket address structure, e.g. a {@link SockaddrNl}
     * @param length its size
     * @return 0, or {@code -errno}
     */
    public static int bind(int fd, MemorySegment address, int length) {
        try {
            MemorySegment capture = Downcalls.capture();
            int result = (int) Downcalls.result((int) Bind.H.invokeExact(capture, fd, address, length), capture);
            Downcalls.trace("bind(" + fd + ")", result);
            return result;
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code sendto(fd, buffer, count, flags, destination, destinationLength)}.
     *
     * @param fd the socket
     * @param buffer the bytes (native memory the caller keeps alive)
     * @param count how many
     * @param flags {@code MSG_*} flags
     * @param destination the destination address, or {@link MemorySegment#NULL}
     * @param destinationLength its size (0 with {@code NULL})
     * @return the byte count, or {@code -errno}
     */
    public static long sendTo(int fd, long buffer, long count, int flags, MemorySegment destination,
                              int destinationLength) {
        try {
            MemorySegment capture = Downcalls.capture();
            return Downcalls.result((long) SendTo.H.invokeExact(capture, fd, buffer, count, flags,
                destination, destinationLength), capture);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code recv(fd, buffer, count, flags)}.
     *
     * @param fd the socket
     * @param buffer where to put the bytes (native memory the caller keeps alive)
     * @param count the room at {@code buffer}
     * @param flags {@code MSG_*} flags
     * @return the byte count (with {@link #MSG_TRUNC}: the datagram's full length), or
     *     {@code -errno}
     */
    public static long recv(int fd, long buffer, long count, int flags) {
        try {
            MemorySegment capture = Downcalls.capture();
            return Downcalls.result((long) Recv.H.invokeExact(capture, fd, buffer, count, flags), capture);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code recvfrom(fd, buffer, count, flags, source, sourceLength)}.
     *
     * @param fd the socket
     * @param buffer where to put the bytes (native memory the caller keeps alive)
     * @param count the room at {@code buffer}
     * @param flags {@code MSG_*} flags
     * @param source receives the sender's address (e.g. a {@link SockaddrNl})
     * @param sourceLength a {@code socklen_t} holding {@code source}'s size; receives the actual size
     * @return the byte count, or {@code -errno}
     */
    public static long recvFrom(int fd, long buffer, long count, int flags, MemorySegment source,
                                MemorySegment sourceLength) {
        try {
            MemorySegment capture = Downcalls.capture();
            return Downcalls.result((long) RecvFrom.H.invokeExact(capture, fd, buffer, count, flags,
                source, sourceLength), capture);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code setsockopt(fd, level, name, value, length)}.
     *
     * @param fd the socket
     * @param level e.g. {@link #SOL_NETLINK}
     * @param name e.g. {@link #NETLINK_EXT_ACK}
     * @param value the option value
     * @param length its size
     * @return 0, or {@code -errno}
     */
    public static int setSockOpt(int fd, int level, int name, MemorySegment value, int length) {
        try {
            MemorySegment capture = Downcalls.capture();
            int result = (int) Downcalls.result((int) SetSockOpt.H.invokeExact(capture, fd, level, name, value, length),
                capture);
            Downcalls.trace("setsockopt(" + fd + ", " + level + ", " + name + ")", result);
            return result;
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code setsockopt} with an {@code int} value.
     *
     * @param fd the socket
     * @param level e.g. {@link #SOL_NETLINK}
     * @param name e.g. {@link #NETLINK_EXT_ACK}
     * @param value the value
     * @return 0, or {@code -errno}
     */
    public static int setSockOpt(int fd, int level, int name, int value) {
        try (Arena arena = Arena.ofConfined()) {
            return setSockOpt(fd, level, name, arena.allocateFrom(ValueLayout.JAVA_INT, value), Integer.BYTES);
        }
    }

    /**
     * {@code setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeval)}: bounds every blocking receive.
     *
     * @param fd the socket
     * @param millis the limit in milliseconds (0 = wait forever)
     * @return 0, or {@code -errno}
     */
    public static int setReceiveTimeout(int fd, long millis) {
        try (Arena arena = Arena.ofConfined()) {
            // struct timeval { time_t tv_sec; suseconds_t tv_usec; } on LP64: two longs.
            MemorySegment timeval = arena.allocate(16, 8);
            timeval.set(ValueLayout.JAVA_LONG, 0, millis / 1000);
            timeval.set(ValueLayout.JAVA_LONG, 8, (millis % 1000) * 1000);
            return setSockOpt(fd, SOL_SOCKET, SO_RCVTIMEO, timeval, 16);
        }
    }

    /**
     * {@code getsockname(fd, address, &length)}.
     *
     * @param fd the socket
     * @param address receives the bound address; its size is the room offered
     * @return the address's actual length, or {@code -errno}
     */
    public static int getSockName(int fd, MemorySegment address) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment length = arena.allocateFrom(ValueLayout.JAVA_INT, (int) address.byteSize());
            MemorySegment capture = Downcalls.capture();
            int result = (int) Downcalls.result((int) GetSockName.H.invokeExact(capture, fd, address, length), capture);
            return result < 0 ? result : length.get(ValueLayout.JAVA_INT, 0);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }
}

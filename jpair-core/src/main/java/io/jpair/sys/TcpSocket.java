package io.jpair.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Stream (TCP) socket calls from libc: {@code socket(SOCK_STREAM)}, {@code connect},
 * {@code listen}, {@code accept4}, {@code getsockopt}, {@code getsockname}/{@code getpeername},
 * {@code shutdown}, and the {@code SO_LINGER} that makes {@code close} send a reset. Addresses are
 * {@link Sockaddr} structures in caller-owned memory; data goes through {@link LibC#read} and
 * {@link Socket#sendTo} with {@link #MSG_NOSIGNAL}.
 *
 * <p>Same convention as {@link LibC}: results or {@code -errno}, never a throw for a failed call;
 * nothing allocates (scratch memory is the caller's). Thread-safe. Internal to jpair: use
 * {@code io.jpair.socket}.
 */
public final class TcpSocket {
    /** {@code SOCK_STREAM}. */
    public static final int SOCK_STREAM = 1;
    /** {@code IPPROTO_TCP}. */
    public static final int IPPROTO_TCP = 6;
    /** {@code IPPROTO_IPV6}. */
    public static final int IPPROTO_IPV6 = 41;
    /** {@code TCP_NODELAY}. */
    public static final int TCP_NODELAY = 1;
    /** {@code SO_REUSEADDR}. */
    public static final int SO_REUSEADDR = 2;
    /** {@code SO_ERROR}: the pending error, read once a non-blocking connect completes. */
    public static final int SO_ERROR = 4;
    /** {@code SO_KEEPALIVE}. */
    public static final int SO_KEEPALIVE = 9;
    /** {@code SO_LINGER}. */
    public static final int SO_LINGER = 13;
    /** {@code IPV6_V6ONLY}. */
    public static final int IPV6_V6ONLY = 26;
    /** {@code SHUT_WR}: send a FIN, keep reading. */
    public static final int SHUT_WR = 1;
    /** {@code MSG_NOSIGNAL}: a write to a reset connection returns EPIPE instead of raising SIGPIPE. */
    public static final int MSG_NOSIGNAL = 0x4000;

    private TcpSocket() {
    }

    private static final class Connect {
        // int connect(int fd, const struct sockaddr *addr, socklen_t len); https://man7.org/linux/man-pages/man2/connect.2.html
        static final MethodHandle H = Downcalls.link("connect",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class Listen {
        // int listen(int sockfd, int backlog); https://man7.org/linux/man-pages/man2/listen.2.html
        static final MethodHandle H = Downcalls.link("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private static final class Accept4 {
        // int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags);
        // https://man7.org/linux/man-pages/man2/accept.2.html
        static final MethodHandle H = Downcalls.link("accept4",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    }

    private static final class GetSockOpt {
        // int getsockopt(int sockfd, int level, int optname, void *optval, socklen_t *optlen);
        // https://man7.org/linux/man-pages/man2/getsockopt.2.html
        static final MethodHandle H = Downcalls.link("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    }

    private static final class GetSockName {
        // int getsockname(int sockfd, struct sockaddr *addr, socklen_t *addrlen);
        static final MethodHandle H = Downcalls.link("getsockname",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    }

    private static final class GetPeerName {
        // int getpeername(int sockfd, struct sockaddr *addr, socklen_t *addrlen);
        // https://man7.org/linux/man-pages/man2/getpeername.2.html
        static final MethodHandle H = Downcalls.link("getpeername",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    }

    private static final class Shutdown {
        // int shutdown(int sockfd, int how); https://man7.org/linux/man-pages/man2/shutdown.2.html
        static final MethodHandle H = Downcalls.link("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    /**
     * A non-blocking, close-on-exec TCP socket.
     *
     * @param family {@link Sockaddr#AF_INET} or {@link Sockaddr#AF_INET6}
     * @return the fd, or {@code -errno}
     */
    public static int open(int family) {
        return Socket.socket(family, SOCK_STREAM | Socket.SOCK_NONBLOCK | Socket.SOCK_CLOEXEC, 0);
    }

    /**
     * {@code connect(fd, address, length)}; on a non-blocking socket usually {@code -EINPROGRESS}.
     *
     * @param fd the socket
     * @param address a {@link Sockaddr} structure
     * @param length its length
     * @return 0, or {@code -errno}
     */
    public static int connect(int fd, MemorySegment address, int length) {
        try {
            MemorySegment capture = Downcalls.capture();
            int result = (int) Downcalls.result((int) Connect.H.invokeExact(capture, fd, address, length), capture);
            Downcalls.trace("connect(" + fd + ")", result);
            return result;
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code bind(fd, address, length)}.
     *
     * @param fd the socket
     * @param address a {@link Sockaddr} structure
     * @param length its length
     * @return 0, or {@code -errno}
     */
    public static int bind(int fd, MemorySegment address, int length) {
        return Socket.bind(fd, address, length);
    }

    /**
     * {@code listen(fd, backlog)}.
     *
     * @param fd a bound socket
     * @param backlog the accept queue length
     * @return 0, or {@code -errno}
     */
    public static int listen(int fd, int backlog) {
        try {
            MemorySegment capture = Downcalls.capture();
            int result = (int) Downcalls.result((int) Listen.H.invokeExact(capture, fd, backlog), capture);
            Downcalls.trace("listen(" + fd + ", " + backlog + ")", result);
            return result;
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code accept4(fd, address, &length, SOCK_NONBLOCK | SOCK_CLOEXEC)}.
     *
     * @param fd a listening socket
     * @param address receives the peer's address ({@link Sockaddr#SLOT_SIZE} bytes)
     * @param length a {@code socklen_t}; set to the room in {@code address} by this call
     * @return the connection's fd, or {@code -errno} ({@code -EAGAIN} when the queue is empty)
     */
    public static int accept(int fd, MemorySegment address, MemorySegment length) {
        try {
            length.set(ValueLayout.JAVA_INT, 0, (int) Math.min(address.byteSize(), Sockaddr.SLOT_SIZE));
            MemorySegment capture = Downcalls.capture();
            return (int) Downcalls.result((int) Accept4.H.invokeExact(capture, fd, address, length,
                Socket.SOCK_NONBLOCK | Socket.SOCK_CLOEXEC), capture);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code getsockopt} of an {@code int} option.
     *
     * @param fd the socket
     * @param level e.g. {@link Socket#SOL_SOCKET}
     * @param name e.g. {@link #SO_ERROR}
     * @param scratch at least 8 bytes: the value, then its length
     * @return the value (non-negative for the options jpair reads), or {@code -errno}
     */
    public static int getIntOption(int fd, int level, int name, MemorySegment scratch) {
        try {
            MemorySegment value = scratch.asSlice(0, 4);
            MemorySegment length = scratch.asSlice(4, 4);
            length.set(ValueLayout.JAVA_INT, 0, 4);
            MemorySegment capture = Downcalls.capture();
            int result = (int) Downcalls.result((int) GetSockOpt.H.invokeExact(capture, fd, level, name, value, length),
                capture);
            return result < 0 ? result : value.get(ValueLayout.JAVA_INT, 0);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code setsockopt} of an {@code int} option.
     *
     * @param fd the socket
     * @param level e.g. {@link #IPPROTO_TCP}
     * @param name e.g. {@link #TCP_NODELAY}
     * @param value the value
     * @param scratch at least 4 bytes
     * @return 0, or {@code -errno}
     */
    public static int setIntOption(int fd, int level, int name, int value, MemorySegment scratch) {
        scratch.set(ValueLayout.JAVA_INT, 0, value);
        return Socket.setSockOpt(fd, level, name, scratch.asSlice(0, 4), 4);
    }

    /**
     * {@code setsockopt(SO_LINGER, {l_onoff = 1, l_linger = 0})}: the next {@code close} discards
     * unsent data and sends a reset (RST) instead of a FIN.
     *
     * @param fd the socket
     * @param scratch at least 8 bytes ({@code struct linger { int l_onoff; int l_linger; }})
     * @return 0, or {@code -errno}
     */
    public static int lingerZero(int fd, MemorySegment scratch) {
        scratch.set(ValueLayout.JAVA_INT, 0, 1);
        scratch.set(ValueLayout.JAVA_INT, 4, 0);
        return Socket.setSockOpt(fd, Socket.SOL_SOCKET, SO_LINGER, scratch.asSlice(0, 8), 8);
    }

    /**
     * {@code getsockname(fd, address, &length)}.
     *
     * @param fd the socket
     * @param address receives the local address ({@link Sockaddr#SLOT_SIZE} bytes)
     * @param length a {@code socklen_t} scratch
     * @return 0, or {@code -errno}
     */
    public static int localAddress(int fd, MemorySegment address, MemorySegment length) {
        try {
            length.set(ValueLayout.JAVA_INT, 0, (int) Math.min(address.byteSize(), Sockaddr.SLOT_SIZE));
            MemorySegment capture = Downcalls.capture();
            return (int) Downcalls.result((int) GetSockName.H.invokeExact(capture, fd, address, length), capture);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code getpeername(fd, address, &length)}.
     *
     * @param fd a connected socket
     * @param address receives the peer's address ({@link Sockaddr#SLOT_SIZE} bytes)
     * @param length a {@code socklen_t} scratch
     * @return 0, or {@code -errno} ({@code -ENOTCONN} before the connection is established)
     */
    public static int peerAddress(int fd, MemorySegment address, MemorySegment length) {
        try {
            length.set(ValueLayout.JAVA_INT, 0, (int) Math.min(address.byteSize(), Sockaddr.SLOT_SIZE));
            MemorySegment capture = Downcalls.capture();
            return (int) Downcalls.result((int) GetPeerName.H.invokeExact(capture, fd, address, length), capture);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code shutdown(fd, how)}.
     *
     * @param fd a connected socket
     * @param how {@link #SHUT_WR}
     * @return 0, or {@code -errno}
     */
    public static int shutdown(int fd, int how) {
        try {
            MemorySegment capture = Downcalls.capture();
            int result = (int) Downcalls.result((int) Shutdown.H.invokeExact(capture, fd, how), capture);
            Downcalls.trace("shutdown(" + fd + ", " + how + ")", result);
            return result;
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code send(fd, buffer, count, MSG_NOSIGNAL)}.
     *
     * @param fd a connected socket
     * @param buffer the bytes (native memory the caller keeps alive)
     * @param count how many
     * @return the byte count, or {@code -errno} ({@code -EAGAIN} when the send buffer is full)
     */
    public static long send(int fd, long buffer, long count) {
        return Socket.sendTo(fd, buffer, count, MSG_NOSIGNAL, MemorySegment.NULL, 0);
    }
}

package io.jpair.netlink;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.sys.LibC;
import io.jpair.sys.SockaddrNl;
import io.jpair.sys.Socket;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The kernel's {@link NetlinkChannel}: one {@code NETLINK_ROUTE} socket, opened, bound (to a
 * kernel-assigned port id and optional multicast groups), with send and receive over direct
 * buffers, closed exactly once.
 *
 * <p>Confined to one thread at a time (its owner's).
 */
final class NetlinkSocket implements NetlinkChannel {
    /** Opens kernel sockets; blocking ones wait up to {@link RtNetlink#REPLY_TIMEOUT_MILLIS} per receive. */
    static final Opener OPENER = (groups, nonBlocking) ->
        open(groups, nonBlocking, nonBlocking ? 0 : RtNetlink.REPLY_TIMEOUT_MILLIS);

    private int fd;
    private final int portId;

    /**
     * Opens kernel sockets inside another network namespace, each on a short-lived thread that
     * joined it ({@link NamespaceFd#call}).
     */
    static Opener openerIn(Path netns) {
        return (groups, nonBlocking) -> {
            try (NamespaceFd namespace = NamespaceFd.open(netns)) {
                return namespace.call(() -> OPENER.open(groups, nonBlocking));
            }
        };
    }

    private NetlinkSocket(int fd, int portId) {
        this.fd = fd;
        this.portId = portId;
    }

    /**
     * Opens and binds a socket.
     *
     * @param groups {@code RTMGRP_*} multicast groups to join (0 for none)
     * @param nonBlocking whether receives return {@code -EAGAIN} instead of waiting
     * @param receiveTimeoutMillis for a blocking socket, the bound on each receive (0 = none)
     * @return the socket
     * @throws ErrnoException if the kernel refuses
     */
    static NetlinkSocket open(int groups, boolean nonBlocking, long receiveTimeoutMillis) throws ErrnoException {
        int type = Socket.SOCK_RAW | Socket.SOCK_CLOEXEC | (nonBlocking ? Socket.SOCK_NONBLOCK : 0);
        int fd = Socket.socket(Socket.AF_NETLINK, type, Socket.NETLINK_ROUTE);
        if (fd < 0) {
            throw new ErrnoException("socket(AF_NETLINK, NETLINK_ROUTE)", null, -fd);
        }
        try (Arena arena = Arena.ofConfined()) {
            // Best effort: older kernels lack these; errors then simply carry no text.
            Socket.setSockOpt(fd, Socket.SOL_NETLINK, Socket.NETLINK_EXT_ACK, 1);
            Socket.setSockOpt(fd, Socket.SOL_NETLINK, Socket.NETLINK_CAP_ACK, 1);
            if (!nonBlocking && receiveTimeoutMillis > 0) {
                check(fd, Socket.setReceiveTimeout(fd, receiveTimeoutMillis), "setsockopt(SO_RCVTIMEO)");
            }
            MemorySegment local = SockaddrNl.allocate(arena, 0, groups);
            check(fd, Socket.bind(fd, local, SockaddrNl.SIZE), "bind(AF_NETLINK)");
            MemorySegment bound = SockaddrNl.allocate(arena, 0, 0);
            check(fd, Socket.getSockName(fd, bound), "getsockname(AF_NETLINK)");
            return new NetlinkSocket(fd, SockaddrNl.pid(bound));
        }
    }

    private static void check(int fd, int rc, String operation) throws ErrnoException {
        if (rc < 0) {
            LibC.close(fd);
            throw new ErrnoException(operation, null, -rc);
        }
    }

    /**
     * The descriptor.
     *
     * @return the fd, or -1 once closed
     */
    @Override
    public int fileno() {
        return fd;
    }

    /**
     * The port id the kernel assigned; replies to this socket carry it in {@code nlmsg_pid}.
     *
     * @return the port id
     */
    @Override
    public int portId() {
        return portId;
    }

    /**
     * Sends {@code length} bytes from index 0 of a direct buffer to the kernel, retrying on
     * {@code EINTR}.
     *
     * @param buffer a direct buffer
     * @param length how many bytes
     * @return the byte count, or {@code -errno}
     */
    @Override
    public int send(ByteBuffer buffer, int length) {
        long address = MemorySegment.ofBuffer(buffer).address();
        long n;
        do {
            n = Socket.sendTo(fd, address, length, 0, MemorySegment.NULL, 0);
        } while (n == -Errno.EINTR);
        return (int) n;
    }

    /**
     * Receives one datagram into a direct buffer from index 0.
     *
     * @param buffer a direct buffer
     * @return the datagram's full length (more than the capacity if it was truncated), or
     *     {@code -errno} ({@code -EAGAIN} when nothing is waiting on a non-blocking socket, or when
     *     a blocking one timed out)
     */
    @Override
    public int receive(ByteBuffer buffer) {
        long address = MemorySegment.ofBuffer(buffer).address();
        return (int) Socket.recv(fd, address, buffer.capacity(), Socket.MSG_TRUNC);
    }

    /**
     * Closes the fd; later calls do nothing.
     */
    @Override
    public void close() {
        int closing = fd;
        if (closing >= 0) {
            fd = -1;
            LibC.close(closing);
        }
    }
}

package io.jpair.testing;

import io.jpair.errno.Errno;
import io.jpair.socket.DatagramBatch;
import io.jpair.socket.UdpPort;
import io.jpair.socket.UdpSystem;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-memory network of UDP sockets (a {@link UdpSystem}), so a {@link UdpPort} and its
 * {@code DatagramProtocol} can be tested without root or a kernel: datagrams sent by one socket
 * reach every socket bound to the destination (or a member of its group), tests feed a socket
 * with {@link MemoryUdpSocket#deliver} and read what it sent with {@link MemoryUdpSocket#sent()}.
 *
 * <p>Kernel rules it follows: binding a port in use (overlapping addresses, a dual-stack
 * {@code ::} overlapping IPv4) gives {@code EADDRINUSE}; port 0 picks a free port from 49152;
 * a connected socket receives only from its peer, and a send from it that reaches nobody makes
 * its next receive fail with {@code ECONNREFUSED}; {@code SO_RCVBUF}/{@code SO_SNDBUF} read back
 * doubled; {@code UDP_SEGMENT} and {@code UDP_GRO} exist unless switched off with
 * {@link #supportGso}/{@link #supportGro} ({@code ENOPROTOOPT}, an older kernel); a datagram
 * larger than the receive slot is cut with {@code MSG_TRUNC}; unknown fds give {@code EBADF}.
 * The source of a datagram from a wildcard-bound socket is the loopback address of its family.
 * Interface {@code lo} has index 1; others are added with {@link #addInterface}. fds start at 16384.
 *
 * <p>Single-threaded, like the port that uses it.
 */
public final class MemoryUdpSystem implements UdpSystem {
    static final int SOL_UDP = UdpSystem.SOL_UDP;
    static final int UDP_GRO = UdpSystem.UDP_GRO;
    private static final int FIRST_FD = 16384;

    private final Map<Integer, MemoryUdpSocket> sockets = new LinkedHashMap<>();
    private final Map<String, Integer> interfaces = new HashMap<>(Map.of("lo", 1));
    private MemoryUdpSocket[] byFd = new MemoryUdpSocket[16];
    private int nextFd = FIRST_FD;
    private int nextPort = 49152;
    private boolean gso = true;
    private boolean gro = true;
    private boolean refuseGsoSends;
    private int sendErrno;

    /** An empty network where GSO and GRO are supported. */
    public MemoryUdpSystem() {
    }

    static long key(int level, int name) {
        return ((long) level << 32) | (name & 0xFFFF_FFFFL);
    }

    /**
     * Whether {@code UDP_SEGMENT} exists (false: {@code getsockopt} gives {@code ENOPROTOOPT}).
     *
     * @param supported true for a GSO kernel
     */
    public void supportGso(boolean supported) {
        gso = supported;
    }

    /**
     * Whether {@code UDP_GRO} exists (false: {@code setsockopt} gives {@code ENOPROTOOPT}).
     *
     * @param supported true for a GRO kernel
     */
    public void supportGro(boolean supported) {
        gro = supported;
    }

    /**
     * Makes sends carrying {@code UDP_SEGMENT} fail with {@code EIO}, as on an egress device
     * without checksum offload.
     *
     * @param refuse true to refuse them
     */
    public void refuseGsoSends(boolean refuse) {
        refuseGsoSends = refuse;
    }

    /**
     * Makes every send fail with this errno (e.g. {@code EAGAIN}: a full send buffer).
     *
     * @param errno the errno, 0 to send normally again
     */
    public void failSends(int errno) {
        sendErrno = errno;
    }

    /**
     * Adds an interface for multicast joins by name.
     *
     * @param name the name
     * @param index its index
     */
    public void addInterface(String name, int index) {
        interfaces.put(name, index);
    }

    /**
     * The socket behind a port.
     *
     * @param port a started port on this system
     * @return its socket
     * @throws IllegalArgumentException if the port's fd is not open here
     */
    public MemoryUdpSocket socket(UdpPort port) {
        MemoryUdpSocket socket = lookup(port.fileno());
        if (socket == null) {
            throw new IllegalArgumentException(port + " has no open socket in this system");
        }
        return socket;
    }

    /**
     * Opens and binds a socket that is not a port's: a peer for a port under test.
     *
     * @param address where to bind (port 0 for any)
     * @return the socket
     * @throws IllegalStateException if the address is in use
     */
    public MemoryUdpSocket peer(InetSocketAddress address) {
        int family = address.getAddress() instanceof Inet4Address ? AF_INET : AF_INET6;
        int fd = socket(family);
        int rc = bind(fd, family, address);
        if (rc < 0) {
            throw new IllegalStateException("bind " + address + ": " + Errno.name(-rc));
        }
        return lookup(fd);
    }

    /**
     * Sends from a peer socket, as the kernel would route it.
     *
     * @param from the sending socket
     * @param payload the bytes
     * @param destination where to
     */
    public void sendFrom(MemoryUdpSocket from, byte[] payload, InetSocketAddress destination) {
        route(from, new MemoryDatagram(payload, sourceOf(from), destination, 0));
    }

    /**
     * The sockets open now.
     *
     * @return a snapshot, by fd
     */
    public Map<Integer, MemoryUdpSocket> openSockets() {
        return Map.copyOf(sockets);
    }

    private MemoryUdpSocket lookup(int fd) {
        int index = fd - FIRST_FD;
        MemoryUdpSocket socket = index >= 0 && index < byFd.length ? byFd[index] : null;
        return socket == null || socket.closed ? null : socket;
    }

    @Override
    public int socket(int family) {
        if (family != AF_INET && family != AF_INET6) {
            return -Errno.valueOf("EAFNOSUPPORT");
        }
        int fd = nextFd++;
        MemoryUdpSocket socket = new MemoryUdpSocket(fd, family);
        sockets.put(fd, socket);
        if (fd - FIRST_FD >= byFd.length) {
            byFd = java.util.Arrays.copyOf(byFd, byFd.length * 2);
        }
        byFd[fd - FIRST_FD] = socket;
        return fd;
    }

    @Override
    public int setOption(int fd, int level, int name, int value) {
        MemoryUdpSocket socket = lookup(fd);
        if (socket == null) {
            return -Errno.EBADF;
        }
        if (level == SOL_UDP && name == UDP_GRO && !gro) {
            return -Errno.valueOf("ENOPROTOOPT");
        }
        if (level == SOL_UDP && name == UDP_SEGMENT && !gso) {
            return -Errno.valueOf("ENOPROTOOPT");
        }
        if (level == SOL_SOCKET && (name == SO_RCVBUFFORCE || name == SO_SNDBUFFORCE)) {
            name = name == SO_RCVBUFFORCE ? SO_RCVBUF : SO_SNDBUF;
        }
        boolean buffer = level == SOL_SOCKET && (name == SO_RCVBUF || name == SO_SNDBUF);
        socket.options.put(key(level, name), buffer ? Math.max(256, value * 2) : value);
        return 0;
    }

    @Override
    public int getOption(int fd, int level, int name) {
        MemoryUdpSocket socket = lookup(fd);
        if (socket == null) {
            return -Errno.EBADF;
        }
        if (level == SOL_UDP && ((name == UDP_SEGMENT && !gso) || (name == UDP_GRO && !gro))) {
            return -Errno.valueOf("ENOPROTOOPT");
        }
        Integer value = socket.options.get(key(level, name));
        if (value != null) {
            return value;
        }
        if (name == IP_MULTICAST_TTL && level == SOL_IP || name == IPV6_MULTICAST_HOPS && level == SOL_IPV6) {
            return 1;
        }
        if (name == IP_MULTICAST_LOOP && level == SOL_IP || name == IPV6_MULTICAST_LOOP && level == SOL_IPV6) {
            return 1;
        }
        return 0;
    }

    @Override
    public int bind(int fd, int family, InetSocketAddress address) {
        MemoryUdpSocket socket = lookup(fd);
        if (socket == null) {
            return -Errno.EBADF;
        }
        if (socket.local != null) {
            return -Errno.EINVAL;
        }
        InetAddress ip = address.getAddress();
        int port = address.getPort();
        if (port == 0) {
            port = freePort(socket, ip);
        } else {
            for (MemoryUdpSocket other : sockets.values()) {
                if (other != socket && !other.closed && other.local != null && other.local.getPort() == port
                        && overlaps(socket, ip, other)) {
                    return -Errno.EADDRINUSE;
                }
            }
        }
        socket.local = new InetSocketAddress(ip, port);
        return 0;
    }

    private int freePort(MemoryUdpSocket socket, InetAddress ip) {
        while (true) {
            int port = nextPort++;
            boolean used = false;
            for (MemoryUdpSocket other : sockets.values()) {
                if (other != socket && !other.closed && other.local != null && other.local.getPort() == port
                        && overlaps(socket, ip, other)) {
                    used = true;
                }
            }
            if (!used) {
                return port;
            }
        }
    }

    private static boolean overlaps(MemoryUdpSocket socket, InetAddress ip, MemoryUdpSocket other) {
        InetAddress theirs = other.local.getAddress();
        if (accepts(socket, ip, theirs) || accepts(other, theirs, ip)) {
            return true;
        }
        return ip.equals(theirs);
    }

    /** Whether a socket bound to {@code bound} receives datagrams sent to {@code destination}. */
    private static boolean accepts(MemoryUdpSocket socket, InetAddress bound, InetAddress destination) {
        if (bound.equals(destination)) {
            return true;
        }
        if (!bound.isAnyLocalAddress()) {
            return false;
        }
        if (bound instanceof Inet4Address) {
            return destination instanceof Inet4Address;
        }
        boolean v6only = Integer.valueOf(1).equals(socket.option(SOL_IPV6, IPV6_V6ONLY));
        return destination instanceof Inet6Address || !v6only;
    }

    @Override
    public int connect(int fd, int family, InetSocketAddress address) {
        MemoryUdpSocket socket = lookup(fd);
        if (socket == null) {
            return -Errno.EBADF;
        }
        if (socket.local == null) {
            bind(fd, family, new InetSocketAddress(wildcard(family), 0));
        }
        socket.peer = address;
        return 0;
    }

    @Override
    public int localAddress(int fd, InetSocketAddress[] into) {
        MemoryUdpSocket socket = lookup(fd);
        if (socket == null) {
            return -Errno.EBADF;
        }
        into[0] = socket.local != null ? socket.local : new InetSocketAddress(wildcard(socket.family), 0);
        return 0;
    }

    @Override
    public int membership(int fd, InetAddress group, int interfaceIndex, boolean join) {
        MemoryUdpSocket socket = lookup(fd);
        if (socket == null) {
            return -Errno.EBADF;
        }
        if (join) {
            return socket.groups.add(group) ? 0 : -Errno.EADDRINUSE;
        }
        return socket.groups.remove(group) ? 0 : -Errno.EADDRNOTAVAIL;
    }

    @Override
    public int interfaceIndex(String name) {
        Integer index = interfaces.get(name);
        return index != null ? index : -Errno.ENODEV;
    }

    @Override
    public int receive(int fd, DatagramBatch batch, int count) {
        MemoryUdpSocket socket = lookup(fd);
        if (socket == null) {
            return -Errno.EBADF;
        }
        if (socket.pendingError != 0) {
            int errno = socket.pendingError;
            socket.pendingError = 0;
            return -errno;
        }
        int n = 0;
        while (n < count && !socket.inbox.isEmpty()) {
            MemoryDatagram datagram = socket.inbox.poll();
            if (socket.peer != null && !socket.peer.equals(datagram.source())) {
                continue;
            }
            datagram.fill(batch, n++, socket.family);
            if (socket.recycle) {
                socket.inbox.add(datagram);
            }
        }
        return n == 0 ? -Errno.EAGAIN : n;
    }

    @Override
    public int send(int fd, DatagramBatch batch, int offset, int count) {
        MemoryUdpSocket socket = lookup(fd);
        if (socket == null) {
            return -Errno.EBADF;
        }
        if (sendErrno != 0) {
            return -sendErrno;
        }
        for (int i = offset; i < offset + count; i++) {
            int segmentSize = batch.sendSegmentSize(i);
            if (segmentSize > 0 && refuseGsoSends) {
                return i == offset ? -Errno.EIO : i - offset;
            }
            InetSocketAddress destination = socket.record ? batch.sendDestination(i) : null;
            if (destination == null && socket.record && socket.peer == null) {
                return i == offset ? -Errno.valueOf("EDESTADDRREQ") : i - offset;
            }
            if (socket.record) {
                MemoryDatagram datagram = new MemoryDatagram(batch.sendPayload(i), sourceOf(socket),
                    destination, segmentSize);
                socket.sent.add(datagram);
                int reached = route(socket, datagram);
                if (reached == 0 && socket.peer != null) {
                    socket.pendingError = Errno.ECONNREFUSED;
                }
            }
        }
        return count;
    }

    /** Delivers a datagram (split into its segments, as on the wire) to every socket that takes it. */
    private int route(MemoryUdpSocket from, MemoryDatagram datagram) {
        InetSocketAddress destination = datagram.destination() != null ? datagram.destination() : from.peer;
        InetAddress ip = destination.getAddress();
        List<MemoryUdpSocket> receivers = new ArrayList<>();
        for (MemoryUdpSocket socket : sockets.values()) {
            if (socket.closed || socket.local == null || socket.local.getPort() != destination.getPort()) {
                continue;
            }
            boolean member = ip.isMulticastAddress() && socket.groups.contains(ip)
                && (socket != from || loops(from, ip));
            if (member || !ip.isMulticastAddress() && accepts(socket, socket.local.getAddress(), ip)) {
                receivers.add(socket);
            }
        }
        for (MemoryUdpSocket socket : receivers) {
            for (byte[] segment : datagram.segments()) {
                socket.inbox.add(new MemoryDatagram(segment, datagram.source(), destination, 0));
            }
        }
        return receivers.size();
    }

    private boolean loops(MemoryUdpSocket socket, InetAddress group) {
        return getOption(socket.fd, group instanceof Inet4Address ? SOL_IP : SOL_IPV6,
            group instanceof Inet4Address ? IP_MULTICAST_LOOP : IPV6_MULTICAST_LOOP) != 0;
    }

    private static InetSocketAddress sourceOf(MemoryUdpSocket socket) {
        InetSocketAddress local = socket.local;
        if (local == null) {
            return new InetSocketAddress(loopback(socket.family), 0);
        }
        if (local.getAddress().isAnyLocalAddress()) {
            return new InetSocketAddress(loopback(local.getAddress() instanceof Inet4Address ? AF_INET : AF_INET6),
                local.getPort());
        }
        return local;
    }

    private static InetAddress loopback(int family) {
        return address(family == AF_INET ? new byte[] {127, 0, 0, 1}
            : new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
    }

    private static InetAddress wildcard(int family) {
        return address(new byte[family == AF_INET ? 4 : 16]);
    }

    private static InetAddress address(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public int close(int fd) {
        MemoryUdpSocket socket = lookup(fd);
        if (socket == null) {
            return -Errno.EBADF;
        }
        socket.closed = true;
        sockets.remove(fd);
        byFd[fd - FIRST_FD] = null;
        return 0;
    }
}

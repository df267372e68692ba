package io.jpair.socket;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The system calls a {@link UdpPort} makes, behind one seam so its behaviour can be tested without
 * root or a network ({@link RealUdpSystem} is the kernel, {@code io.jpair.testing.MemoryUdpSystem}
 * an in-memory network of sockets).
 *
 * <p>Convention (that of {@code io.jpair.tuntap.IOSystem}): every call returns its non-negative
 * result or {@code -errno} and never throws for a failed call. Datagrams move through a
 * {@link DatagramBatch}, the port's reused message memory. A port calls its system from its
 * reactor thread only (opening from the thread that starts it).
 */
public interface UdpSystem {
    /** {@code AF_INET}. */
    int AF_INET = 2;
    /** {@code AF_INET6}. */
    int AF_INET6 = 10;
    /** {@code SOL_SOCKET}. */
    int SOL_SOCKET = 1;
    /** {@code SOL_IP}. */
    int SOL_IP = 0;
    /** {@code SOL_IPV6}. */
    int SOL_IPV6 = 41;
    /** {@code SOL_UDP}. */
    int SOL_UDP = 17;
    /** {@code SO_SNDBUF}. */
    int SO_SNDBUF = 7;
    /** {@code SO_RCVBUF}. */
    int SO_RCVBUF = 8;
    /** {@code SO_SNDBUFFORCE}: {@code SO_SNDBUF} beyond {@code wmem_max}, with CAP_NET_ADMIN. */
    int SO_SNDBUFFORCE = 32;
    /** {@code SO_RCVBUFFORCE}: {@code SO_RCVBUF} beyond {@code rmem_max}, with CAP_NET_ADMIN. */
    int SO_RCVBUFFORCE = 33;
    /** {@code IP_MULTICAST_TTL}. */
    int IP_MULTICAST_TTL = 33;
    /** {@code IP_MULTICAST_LOOP}. */
    int IP_MULTICAST_LOOP = 34;
    /** {@code IPV6_MULTICAST_HOPS}. */
    int IPV6_MULTICAST_HOPS = 18;
    /** {@code IPV6_MULTICAST_LOOP}. */
    int IPV6_MULTICAST_LOOP = 19;
    /** {@code IPV6_V6ONLY}. */
    int IPV6_V6ONLY = 26;
    /** {@code UDP_SEGMENT}: reading it tells whether the kernel does UDP GSO. */
    int UDP_SEGMENT = 103;
    /** {@code UDP_GRO}: setting it to 1 asks for coalesced datagrams. */
    int UDP_GRO = 104;

    /**
     * A non-blocking, close-on-exec UDP socket.
     *
     * @param family {@link #AF_INET} or {@link #AF_INET6}
     * @return the fd, or {@code -errno}
     */
    int socket(int family);

    /**
     * {@code setsockopt} with an int value.
     *
     * @param fd the socket
     * @param level e.g. {@link #SOL_UDP}
     * @param name e.g. {@link #UDP_GRO}
     * @param value the value
     * @return 0, or {@code -errno} (e.g. {@code -ENOPROTOOPT} on a kernel without the option)
     */
    int setOption(int fd, int level, int name, int value);

    /**
     * {@code getsockopt} of an int option.
     *
     * @param fd the socket
     * @param level the level
     * @param name the option
     * @return the value, or {@code -errno}
     */
    int getOption(int fd, int level, int name);

    /**
     * {@code bind}; on an {@link #AF_INET6} socket an IPv4 address is bound v4-mapped.
     *
     * @param fd the socket
     * @param family the socket's family
     * @param address the local address and port (resolved; port 0 for any)
     * @return 0, or {@code -errno} (e.g. {@code -EADDRINUSE})
     */
    int bind(int fd, int family, InetSocketAddress address);

    /**
     * {@code connect}: fixes the peer; datagrams from others are no longer received.
     *
     * @param fd the socket
     * @param family the socket's family
     * @param address the peer (resolved)
     * @return 0, or {@code -errno}
     */
    int connect(int fd, int family, InetSocketAddress address);

    /**
     * {@code getsockname}.
     *
     * @param fd the socket
     * @param into receives the address at index 0 (v4-mapped IPv6 addresses are returned as IPv4)
     * @return 0, or {@code -errno}
     */
    int localAddress(int fd, InetSocketAddress[] into);

    /**
     * Joins or leaves a multicast group.
     *
     * @param fd the socket
     * @param group an IPv4 or IPv6 multicast address
     * @param interfaceIndex the interface, 0 for the one the route to the group names
     * @param join true to join, false to leave
     * @return 0, or {@code -errno}
     */
    int membership(int fd, InetAddress group, int interfaceIndex, boolean join);

    /**
     * {@code if_nametoindex(3)}.
     *
     * @param name an interface name
     * @return its index, or {@code -errno} ({@code -ENODEV} when absent)
     */
    int interfaceIndex(String name);

    /**
     * {@code recvmmsg}: fills up to {@code count} entries of the batch's receive slots, each with
     * its payload, length, flags ({@code MSG_TRUNC}), source address and control messages. The
     * caller has called {@link DatagramBatch#prepareReceive(int)}.
     *
     * @param fd the socket
     * @param batch the receive batch
     * @param count at most {@link DatagramBatch#capacity()}
     * @return how many were received, or {@code -errno} ({@code -EAGAIN} when there are none)
     */
    int receive(int fd, DatagramBatch batch, int count);

    /**
     * {@code sendmmsg} of entries {@code [offset, offset + count)} of the batch's sends: returns how
     * many went out, and an error only when none did (the caller resumes after a partial send).
     *
     * @param fd the socket
     * @param batch the send batch
     * @param offset the first entry
     * @param count how many
     * @return the number sent, or {@code -errno} for the entry at {@code offset}
     */
    int send(int fd, DatagramBatch batch, int offset, int count);

    /**
     * {@code close}.
     *
     * @param fd the socket
     * @return 0, or {@code -errno}
     */
    int close(int fd);
}

package io.jpair.testing;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One socket of a {@link MemoryUdpSystem}: its bound address, peer, options, group memberships,
 * the datagrams waiting to be received, and what it sent. Tests put datagrams in with
 * {@link #deliver} and read what the port wrote with {@link #sent()}.
 */
public final class MemoryUdpSocket {
    final int fd;
    final int family;
    final Map<Long, Integer> options = new HashMap<>();
    final Set<InetAddress> groups = new HashSet<>();
    final ArrayDeque<MemoryDatagram> inbox = new ArrayDeque<>();
    final List<MemoryDatagram> sent = new ArrayList<>();
    InetSocketAddress local;
    InetSocketAddress peer;
    boolean closed;
    int pendingError;
    boolean recycle;
    boolean record = true;

    MemoryUdpSocket(int fd, int family) {
        this.fd = fd;
        this.family = family;
    }

    /**
     * The fd.
     *
     * @return the fd
     */
    public int fd() {
        return fd;
    }

    /**
     * The bound address.
     *
     * @return it, or {@code null} before bind
     */
    public InetSocketAddress localAddress() {
        return local;
    }

    /**
     * The connected peer.
     *
     * @return it, or {@code null}
     */
    public InetSocketAddress peer() {
        return peer;
    }

    /**
     * Whether the socket was closed.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * The groups joined.
     *
     * @return a snapshot
     */
    public Set<InetAddress> groups() {
        return Set.copyOf(groups);
    }

    /**
     * An option's value as set ({@code SO_RCVBUF}/{@code SO_SNDBUF} doubled, as the kernel does).
     *
     * @param level the level
     * @param name the option
     * @return the value, or {@code null} if never set
     */
    public Integer option(int level, int name) {
        return options.get(MemoryUdpSystem.key(level, name));
    }

    /**
     * Queues a datagram for the socket to receive (a peer's send).
     *
     * @param payload the bytes
     * @param source the sender
     */
    public void deliver(byte[] payload, InetSocketAddress source) {
        inbox.add(new MemoryDatagram(payload, source, local, 0));
    }

    /**
     * Queues back-to-back datagrams of one sender as the kernel's UDP GRO would: one coalesced
     * datagram if the socket enabled {@code UDP_GRO}, else each segment on its own.
     *
     * @param payload the segments back to back
     * @param segmentSize bytes per segment
     * @param source the sender
     */
    public void deliverCoalesced(byte[] payload, int segmentSize, InetSocketAddress source) {
        MemoryDatagram datagram = new MemoryDatagram(payload, source, local, segmentSize);
        if (option(MemoryUdpSystem.SOL_UDP, MemoryUdpSystem.UDP_GRO) != null
                && option(MemoryUdpSystem.SOL_UDP, MemoryUdpSystem.UDP_GRO) == 1) {
            inbox.add(datagram);
        } else {
            for (byte[] segment : datagram.segments()) {
                inbox.add(new MemoryDatagram(segment, source, local, 0));
            }
        }
    }

    /**
     * Datagrams waiting to be received.
     *
     * @return the count
     */
    public int pending() {
        return inbox.size();
    }

    /**
     * Everything the socket sent, in order, as written (a GSO send is one entry with its segment
     * size).
     *
     * @return a snapshot
     */
    public List<MemoryDatagram> sent() {
        return List.copyOf(sent);
    }

    /**
     * Makes every received datagram go back to the end of the queue, so a test can read forever
     * from a fixed set without allocating.
     *
     * @param on true to recycle
     */
    public void recycleReceives(boolean on) {
        recycle = on;
    }

    /**
     * Whether sends are recorded in {@link #sent()} and routed to other sockets (on by default;
     * off for allocation tests: sends are then only accepted).
     *
     * @param on true to record
     */
    public void recordSends(boolean on) {
        record = on;
    }

    @Override
    public String toString() {
        return "MemoryUdpSocket[fd=" + fd + ", local=" + local + ", peer=" + peer + (closed ? ", closed" : "") + "]";
    }
}

package io.jpair.netlink;

import io.jpair.errno.ErrnoException;
import java.nio.ByteBuffer;

/**
 * One netlink socket as {@link RtNetlink} and {@link LinkMonitor} use it: send a request, receive
 * a datagram of replies or notifications, know the port id replies are addressed to, close.
 *
 * <p>The kernel implementation is a {@code NETLINK_ROUTE} socket (what {@link RtNetlink#open()}
 * and {@link LinkMonitor#LinkMonitor(io.jpair.reactor.ReactorFdSet, LinkListener)} open); tests
 * use {@code io.jpair.testing.MemoryNetlink}, an in-memory kernel, so netlink logic can be tested
 * without root (Twisted's {@code _IInputOutputSystem} for {@code TuntapPort}).
 *
 * <p>Errors are returned, never thrown: {@link #send} and {@link #receive} give {@code -errno}
 * ({@code -EAGAIN} when nothing is waiting), as {@code io.jpair.sys} bindings do, so the callers
 * decide what is normal flow and what becomes an {@link ErrnoException}.
 *
 * <p>Buffers: both calls work from index 0 and ignore position and limit; the kernel
 * implementation needs direct buffers. The caller owns its buffer again when a call returns.
 *
 * <p>Threading: confined to one thread at a time (its owner's); not thread-safe.
 */
public interface NetlinkChannel extends AutoCloseable {
    /**
     * The descriptor a reactor watches for readability ({@code LinkMonitor.fileno()}).
     *
     * @return the fd, or -1 once closed (an in-memory channel returns a number no real fd has)
     */
    int fileno();

    /**
     * The port id the kernel assigned at bind time; replies to this channel's requests carry it
     * in {@code nlmsg_pid}, multicast notifications carry 0.
     *
     * @return the port id
     */
    int portId();

    /**
     * Sends one request, {@code length} bytes from index 0 of {@code buffer}, retrying on
     * {@code EINTR}. The request's {@code nlmsg_seq} is the caller's: replies echo it.
     *
     * @param buffer the request (direct, for the kernel implementation)
     * @param length how many bytes
     * @return {@code length}, or {@code -errno}
     */
    int send(ByteBuffer buffer, int length);

    /**
     * Receives one datagram (one or more netlink messages) into {@code buffer} from index 0.
     *
     * @param buffer where to put it (direct, for the kernel implementation); up to its capacity
     * @return the datagram's full length (more than the capacity if it was truncated), or
     *     {@code -errno}: {@code -EAGAIN} when nothing is waiting on a non-blocking channel or a
     *     blocking one timed out, {@code -ENOBUFS} when notifications were lost to an overflow
     */
    int receive(ByteBuffer buffer);

    /**
     * Closes the channel; later calls do nothing, and {@link #fileno()} returns -1.
     */
    @Override
    void close();

    /**
     * Opens channels: how a {@link LinkMonitor} gets a fresh one on each
     * {@link LinkMonitor#start()}, and {@link RtNetlink#open(Opener)} its one.
     */
    @FunctionalInterface
    interface Opener {
        /**
         * Opens and binds a channel.
         *
         * @param groups {@code RTMGRP_*} multicast groups to join ({@link RtmType#RTMGRP_LINK}; 0 for none)
         * @param nonBlocking whether {@link NetlinkChannel#receive} returns {@code -EAGAIN} at once when
         *     nothing is waiting; if false, it waits up to {@link RtNetlink#REPLY_TIMEOUT_MILLIS} first
         * @return the channel, owned by the caller
         * @throws ErrnoException if the socket cannot be opened or bound
         */
        NetlinkChannel open(int groups, boolean nonBlocking) throws ErrnoException;
    }
}

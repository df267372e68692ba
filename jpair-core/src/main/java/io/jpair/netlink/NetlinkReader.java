package io.jpair.netlink;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.reactor.ReadDescriptor;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reactor side {@link LinkMonitor} and {@link AsyncRtNetlink} share: a netlink socket drained
 * up to {@value #MAX_DATAGRAMS_PER_READ} datagrams per wake-up (so one busy socket cannot starve
 * the reactor's other descriptors) into one reused buffer. A datagram longer than the buffer and a
 * malformed message are skipped and counted; {@code ENOBUFS} (the kernel dropped datagrams) goes to
 * {@link #overrun()}; any other receive error is thrown, so the reactor disconnects the reader.
 * Reactor thread only.
 */
abstract class NetlinkReader implements ReadDescriptor {
    /** Datagrams read per reactor wake-up before yielding. */
    public static final int MAX_DATAGRAMS_PER_READ = 64;

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String operation;
    /** Where each datagram is received. */
    final ByteBuffer received = ByteBuffer.allocateDirect(64 * 1024);
    /** The socket; null once closed (reading stops at once, even mid-wake-up). */
    NetlinkChannel socket;
    private long malformedMessages;

    NetlinkReader(String operation) {
        this.operation = operation;
    }

    /**
     * How many malformed or oversized netlink messages were skipped.
     *
     * @return the count since construction
     */
    public long malformedMessages() {
        return malformedMessages;
    }

    @Override
    public int fileno() {
        NetlinkChannel current = socket;
        return current == null ? -1 : current.fileno();
    }

    /**
     * Reads datagrams until {@code EAGAIN}/{@code EINTR}, {@value #MAX_DATAGRAMS_PER_READ}
     * datagrams, or the socket is closed, handing each datagram on for decoding.
     *
     * @throws ErrnoException if the socket fails (the reactor then calls {@code connectionLost})
     */
    @Override
    public void doRead() throws ErrnoException {
        for (int i = 0; i < MAX_DATAGRAMS_PER_READ && socket != null; i++) {
            int n = socket.receive(received);
            if (n == -Errno.EAGAIN || n == -Errno.EINTR) {
                return;
            }
            if (n == -Errno.ENOBUFS) {
                overrun();
                continue;
            }
            if (n < 0) {
                throw new ErrnoException(operation, null, -n);
            }
            if (n > received.capacity()) {
                malformedMessages++;
                log.warn("{}: skipped a {}-byte netlink datagram longer than the {}-byte buffer", logPrefix(), n,
                    received.capacity());
                continue;
            }
            datagramReceived(received, n);
        }
    }

    /**
     * Whether a well-formed netlink message starts at {@code offset}; a malformed one is counted
     * and the rest of its datagram is to be skipped.
     */
    final boolean validMessage(ByteBuffer buffer, int offset, int length) {
        if (NlMsgHdr.isValid(buffer, offset, length)) {
            return true;
        }
        malformedMessages++;
        log.debug("{}: malformed netlink message at byte {} of {}", logPrefix(), offset, length);
        return false;
    }

    /** Counts a message that was well-formed as netlink but not as its type. */
    final void malformed() {
        malformedMessages++;
    }

    /** The kernel dropped datagrams for this socket ({@code ENOBUFS}). */
    abstract void overrun();

    /** One datagram of netlink messages, in {@code buffer[0, length)}; never throws for bad input. */
    abstract void datagramReceived(ByteBuffer buffer, int length);
}

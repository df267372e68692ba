package io.jpair.netlink;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.reactor.ConnectionDone;
import io.jpair.reactor.ReactorFdSet;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the kernel's link notifications ({@code RTMGRP_LINK}) from a reactor and reports
 * links going up or down, changing MTU, appearing and disappearing as {@link LinkEvent}s.
 *
 * <pre>{@code
 * LinkMonitor monitor = new LinkMonitor(reactor, event -> log.info("{}", event));
 * monitor.start();      // subscribes, then learns the current links (no events for those)
 * ...
 * monitor.stop();
 * }</pre>
 *
 * <p>The kernel sends a full {@code RTM_NEWLINK} on any change, so the monitor keeps each link's
 * last flags and MTU and reports the differences. On {@link #start()} it dumps the existing
 * links over the same socket; they are learnt silently and {@link #ready()} turns true when the
 * dump ends. If the socket's queue overflows ({@code ENOBUFS}: notifications were lost) it dumps
 * again and reports what changed meanwhile, including links that vanished.
 *
 * <p>Each {@link #start()} opens a fresh non-blocking {@link NetlinkChannel} (the kernel's
 * {@code NETLINK_ROUTE} socket, or one from the {@link NetlinkChannel.Opener} given to the
 * constructor, e.g. {@code io.jpair.testing.MemoryNetlink}) and registers with the reactor by its
 * {@link NetlinkChannel#fileno()}; {@link #stop()} and {@link #connectionLost} close it.
 *
 * <p>Threading: {@code start}, {@code stop} and every callback run on the reactor thread (or
 * before the reactor runs). {@link #doRead()} reads until {@code EAGAIN} or
 * {@value #MAX_DATAGRAMS_PER_READ} datagrams per wake-up; malformed messages are skipped and
 * a listener's exception is logged, never thrown back into the reactor. Only a failing socket
 * ({@code recv} errors other than {@code EAGAIN}, {@code EINTR} and {@code ENOBUFS}) makes
 * {@code doRead} throw, after which the reactor calls {@link #connectionLost} and the fd is closed.
 */
public final class LinkMonitor extends NetlinkReader {
    private static final Logger LOG = LoggerFactory.getLogger(LinkMonitor.class);

    private final ReactorFdSet reactor;
    private final LinkListener listener;
    private final NlMsgWriter writer = new NlMsgWriter(ByteBuffer.allocateDirect(256));
    private final NlMsgHdr header = new NlMsgHdr();
    private final LinkMessage linkMessage = new LinkMessage();
    private final Map<Integer, KnownLink> links = new HashMap<>();
    private final Set<Integer> seenInDump = new HashSet<>();

    private final NetlinkChannel.Opener opener;
    private int portId;
    private int sequence;
    private int dumpSequence;
    private boolean learning;
    private boolean ready;
    private boolean resyncPending;
    private long listenerErrors;

    private record KnownLink(String name, int flags, int mtu) {
    }

    /**
     * Creates a monitor on kernel {@code NETLINK_ROUTE} sockets; nothing happens until
     * {@link #start()}.
     *
     * @param reactor the reactor that will call {@link #doRead()}
     * @param listener receives the events, on the reactor thread
     */
    public LinkMonitor(ReactorFdSet reactor, LinkListener listener) {
        this(reactor, listener, NetlinkSocket.OPENER);
    }

    /**
     * Creates a monitor whose channels come from {@code opener} (one per {@link #start()}, closed
     * by {@link #stop()}); with {@code io.jpair.testing.MemoryNetlink} and
     * {@code io.jpair.testing.MemoryReactor} it runs without root or a kernel socket.
     *
     * @param reactor the reactor that will call {@link #doRead()}
     * @param listener receives the events, on the reactor thread
     * @param opener opens a non-blocking channel subscribed to {@code RTMGRP_LINK}
     */
    public LinkMonitor(ReactorFdSet reactor, LinkListener listener, NetlinkChannel.Opener opener) {
        super("recv(RTMGRP_LINK)");
        this.reactor = Objects.requireNonNull(reactor, "reactor");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.opener = Objects.requireNonNull(opener, "opener");
    }

    /**
     * Opens a non-blocking channel subscribed to {@code RTMGRP_LINK}, asks the kernel for the
     * current links and registers with the reactor. Does nothing if started. If the dump request
     * cannot be sent, the channel is closed before the exception is thrown.
     *
     * @throws ErrnoException if the channel cannot be opened, or {@code RTM_GETLINK} if the dump
     *     request fails
     */
    public void start() throws ErrnoException {
        if (socket != null) {
            return;
        }
        NetlinkChannel opened = opener.open(RtmType.RTMGRP_LINK, true);
        socket = opened;
        portId = opened.portId();
        links.clear();
        ready = false;
        learning = true;
        resyncPending = false;
        int rc = requestDump();
        if (rc < 0) {
            closeSocket();
            throw new ErrnoException("RTM_GETLINK", null, -rc, "cannot dump the links to monitor");
        }
        reactor.addReader(this);
        LOG.debug("{} started on netlink port {}", logPrefix(), portId);
    }

    /**
     * Unregisters from the reactor and closes the socket. Idempotent; no events follow.
     */
    public void stop() {
        if (socket != null) {
            reactor.removeReader(this);
            closeSocket();
        }
    }

    /**
     * Whether the initial dump of existing links has been received, so that every later change
     * is reported.
     *
     * @return true once the monitor knows the links that existed when it started
     */
    public boolean ready() {
        return ready;
    }

    @Override
    void overrun() {
        LOG.warn("{}: link notifications were lost (ENOBUFS); re-reading the links", logPrefix());
        resync();
    }

    /**
     * Handles one datagram of netlink messages. Package-private for tests; never throws for
     * malformed input.
     */
    @Override
    void datagramReceived(ByteBuffer buffer, int length) {
        int offset = 0;
        while (offset < length) {
            if (!validMessage(buffer, offset, length)) {
                return;
            }
            header.wrap(buffer, offset);
            boolean fromDump = dumpSequence != 0 && header.sequence() == dumpSequence && header.portId() == portId;
            switch (header.type()) {
                case RtmType.RTM_NEWLINK -> linkReported(buffer, offset, fromDump);
                case RtmType.RTM_DELLINK -> linkDeleted(buffer, offset);
                case NlMsgHdr.NLMSG_DONE -> {
                    if (fromDump) {
                        dumpDone();
                    }
                }
                case NlMsgHdr.NLMSG_ERROR -> {
                    if (fromDump) {
                        int error = header.length() >= NlMsgHdr.LENGTH + 4
                            ? NlMsgErr.error(buffer, header.payloadOffset()) : 0;
                        LOG.warn("{}: the link dump failed: {}", logPrefix(),
                            error < 0 ? Errno.name(-error) : "error " + error);
                        dumpSequence = 0;
                        learning = false;
                        ready = true;
                    }
                }
                default -> {
                    // NLMSG_NOOP, other groups' messages: nothing to report
                }
            }
            offset += NlMsgHdr.align(header.length());
        }
    }

    /**
     * Expects a dump as if this monitor had requested it with this sequence number from this
     * port: the initial one until {@link #ready()}, a re-read after that. Package-private for
     * tests that feed {@link #datagramReceived} directly.
     */
    void expectDump(int dumpSequenceNumber, int localPortId) {
        dumpSequence = dumpSequenceNumber;
        portId = localPortId;
        learning = !ready;
        seenInDump.clear();
    }

    private void linkReported(ByteBuffer buffer, int offset, boolean fromDump) {
        if (!linkMessage.decode(buffer, offset)) {
            malformed();
            return;
        }
        int index = linkMessage.index;
        if (fromDump) {
            seenInDump.add(index);
        }
        KnownLink now = new KnownLink(linkMessage.name, linkMessage.flags, linkMessage.mtu);
        KnownLink before = links.put(index, now);
        if (before == null) {
            if (!(fromDump && learning)) {
                deliver(LinkEvent.Type.ADDED, index, now, now.mtu);
            }
            return;
        }
        boolean wasUp = (before.flags & IfInfoMsg.IFF_UP) != 0;
        boolean isUp = (now.flags & IfInfoMsg.IFF_UP) != 0;
        if (wasUp != isUp) {
            deliver(isUp ? LinkEvent.Type.UP : LinkEvent.Type.DOWN, index, now, now.mtu);
        }
        if (before.mtu != now.mtu) {
            deliver(LinkEvent.Type.MTU_CHANGED, index, now, before.mtu);
        }
    }

    private void linkDeleted(ByteBuffer buffer, int offset) {
        if (!linkMessage.decode(buffer, offset)) {
            malformed();
            return;
        }
        KnownLink gone = links.remove(linkMessage.index);
        KnownLink last = new KnownLink(linkMessage.name, linkMessage.flags,
            linkMessage.mtu != 0 || gone == null ? linkMessage.mtu : gone.mtu);
        deliver(LinkEvent.Type.REMOVED, linkMessage.index, last, last.mtu);
    }

    private void dumpDone() {
        dumpSequence = 0;
        if (!learning) {
            Iterator<Map.Entry<Integer, KnownLink>> known = links.entrySet().iterator();
            while (known.hasNext()) {
                Map.Entry<Integer, KnownLink> entry = known.next();
                if (!seenInDump.contains(entry.getKey())) {
                    known.remove();
                    deliver(LinkEvent.Type.REMOVED, entry.getKey(), entry.getValue(), entry.getValue().mtu);
                }
            }
        }
        seenInDump.clear();
        learning = false;
        ready = true;
        if (resyncPending) {
            resyncPending = false;
            resync();
        }
    }

    private void resync() {
        if (dumpSequence != 0) {
            resyncPending = true;
            return;
        }
        int rc = requestDump();
        if (rc < 0) {
            LOG.warn("{}: cannot re-read the links: {}", logPrefix(), Errno.name(-rc));
        }
    }

    private int requestDump() {
        sequence = sequence == Integer.MAX_VALUE ? 1 : sequence + 1;
        seenInDump.clear();
        int length = RtNetlinkRequest.dumpLinks(writer, sequence);
        int rc = socket.send(writer.buffer(), length);
        if (rc >= 0) {
            dumpSequence = sequence;
        }
        return rc;
    }

    private void deliver(LinkEvent.Type type, int index, KnownLink link, int previousMtu) {
        try {
            listener.linkChanged(new LinkEvent(type, index, link.name, link.flags, link.mtu, previousMtu));
        } catch (Throwable t) {
            listenerErrors++;
            LOG.error("{}: unhandled exception from {}.linkChanged ({} so far)", logPrefix(),
                listener.getClass().getName(), listenerErrors, t);
        }
    }

    /**
     * The reactor dropped the monitor (its read failed) or it was stopped: closes the socket.
     *
     * @param reason why
     */
    @Override
    public void connectionLost(Throwable reason) {
        if (socket != null && !(reason instanceof ConnectionDone)) {
            LOG.error("{}: stopped: {}", logPrefix(), reason == null ? "" : reason.getMessage());
        }
        closeSocket();
    }

    private void closeSocket() {
        NetlinkChannel closing = socket;
        socket = null;
        dumpSequence = 0;
        if (closing != null) {
            closing.close();
        }
    }

    @Override
    public String logPrefix() {
        return "LinkMonitor";
    }

    @Override
    public String toString() {
        return "LinkMonitor(port " + portId + ", " + links.size() + " links" + (socket == null ? ", stopped)" : ")");
    }
}

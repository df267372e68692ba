package io.jpair.netlink;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.reactor.ConnectionDone;
import io.jpair.reactor.DelayedCall;
import io.jpair.reactor.Reactor;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The asynchronous form of {@link RtNetlink}, on a reactor: each request is sent on a
 * non-blocking {@code NETLINK_ROUTE} socket and returns a {@link CompletableFuture}, completed on
 * the reactor thread when the kernel's reply arrives (the socket is registered with the reactor
 * and its replies are read when it is readable). Nothing blocks, so it may be used from reactor
 * callbacks.
 *
 * <pre>{@code
 * AsyncRtNetlink rtnl = AsyncRtNetlink.open(reactor);      // or open(reactor, RtNetlink.openerIn(netns))
 * rtnl.createVeth("veth0", "veth1")
 *     .thenCompose(done -> rtnl.setLinkUp("veth0", true))
 *     .whenComplete((done, error) -> log.info("veth0: {}", error == null ? "up" : error.getMessage()));
 * reactor.run();
 * ...
 * rtnl.close();
 * }</pre>
 *
 * <p>The operations, their arguments and their errors are {@link RtNetlink}'s: a kernel refusal
 * completes the future exceptionally with the same one-line {@link ErrnoException} (so
 * {@code join()} throws it wrapped in a {@code CompletionException}); an argument jpair can check
 * itself fails the future with an {@link IllegalArgumentException}. A request that names a link
 * first looks up its index ({@code RTM_GETLINK}), then sends the change. Each request is bounded
 * by {@link RtNetlink#REPLY_TIMEOUT_MILLIS} on the reactor clock ({@code ETIMEDOUT}); closing
 * fails the requests still pending with {@code ECANCELED}.
 *
 * <p>Threading: requests may be made from any thread; one made off the reactor thread is handed
 * to it with {@code callFromThread}. Futures complete, and their dependent stages without an
 * executor run, on the reactor thread. {@link #close()} belongs to the reactor thread too.
 */
public final class AsyncRtNetlink extends NetlinkReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AsyncRtNetlink.class);
    private static final int EBADMSG = 74;
    private static final int ETIMEDOUT = 110;
    private static final int ECANCELED = 125;

    private final Reactor reactor;
    private final ByteBuffer request = ByteBuffer.allocateDirect(4096);
    private final NlMsgWriter writer = new NlMsgWriter(request);
    private final NlMsgHdr requestHeader = new NlMsgHdr();
    private final NlMsgHdr replyHeader = new NlMsgHdr();
    private final LinkMessage linkMessage = new LinkMessage();
    private final AddressMessage addressMessage = new AddressMessage();
    private final Map<Integer, Pending> pending = new HashMap<>();
    private int sequence;

    private record Pending(Transaction transaction, CompletableFuture<Void> done, DelayedCall timeout) {
    }

    private AsyncRtNetlink(Reactor reactor, NetlinkChannel socket) {
        super("recv(NETLINK_ROUTE)");
        this.reactor = reactor;
        this.socket = socket;
    }

    /**
     * Opens a non-blocking kernel socket in the calling thread's network namespace and registers
     * it with the reactor.
     *
     * @param reactor the reactor that reads the replies and completes the futures
     * @return the client; {@link #close()} it when done
     * @throws ErrnoException if the socket cannot be opened
     */
    public static AsyncRtNetlink open(Reactor reactor) throws ErrnoException {
        return open(reactor, NetlinkSocket.OPENER);
    }

    /**
     * Opens a non-blocking channel from {@code opener} and registers it with the reactor:
     * {@link RtNetlink#openerIn(Path)} for another network namespace, or
     * {@code io.jpair.testing.MemoryNetlink} (with a {@code MemoryReactor}) for tests without root.
     *
     * @param reactor the reactor that reads the replies and completes the futures
     * @param opener where the channel comes from
     * @return the client; {@link #close()} it when done
     * @throws ErrnoException if the channel cannot be opened
     */
    public static AsyncRtNetlink open(Reactor reactor, NetlinkChannel.Opener opener) throws ErrnoException {
        Objects.requireNonNull(reactor, "reactor");
        AsyncRtNetlink client = new AsyncRtNetlink(reactor, opener.open(0, true));
        reactor.addReader(client);
        return client;
    }

    // ---------------------------------------------------------------- reading

    /**
     * A link's index, flags, MTU and addresses ({@link RtNetlink#link(String)}).
     *
     * @param name the interface name
     * @return the snapshot, or {@code RTM_GETLINK}: {@code ENODEV}
     */
    public CompletableFuture<LinkInfo> link(String name) {
        return submit(() -> getLink(name).thenCompose(link -> {
            List<LinkAddress> addresses = new ArrayList<>();
            int length = RtNetlinkRequest.dumpAddresses(writer, nextSequence());
            return send(length, "RTM_GETADDR", name, null, true, (type, offset) -> {
                if (type == RtmType.RTM_NEWADDR && addressMessage.decode(received, offset)
                    && addressMessage.index == link.index()) {
                    addresses.add(addressMessage.address);
                }
            }).thenApply(done -> new LinkInfo(link.index(), link.name(), link.flags(), link.mtu(), link.minMtu(),
                link.maxMtu(), addresses));
        }));
    }

    // ---------------------------------------------------------------- links

    /**
     * Sets a link up or down ({@link RtNetlink#setLinkUp}).
     *
     * @param name the interface name
     * @param up true for up
     * @return completed when the kernel acknowledges
     */
    public CompletableFuture<Void> setLinkUp(String name, boolean up) {
        return onLink(name, index -> send(RtNetlinkRequest.setUp(writer, nextSequence(), index, up), "RTM_NEWLINK",
            name, null, false, null));
    }

    /**
     * Sets a link's MTU ({@link RtNetlink#setMtu}, without its IPv6 check: the kernel drops a
     * link's IPv6 addresses below 1280).
     *
     * @param name the interface name
     * @param mtu the MTU, {@value RtNetlink#MIN_IPV4_MTU}..{@value RtNetlink#MAX_MTU}
     * @return completed when the kernel acknowledges
     */
    public CompletableFuture<Void> setMtu(String name, int mtu) {
        if (mtu < RtNetlink.MIN_IPV4_MTU || mtu > RtNetlink.MAX_MTU) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(name + ": MTU " + mtu
                + " is outside " + RtNetlink.MIN_IPV4_MTU + ".." + RtNetlink.MAX_MTU));
        }
        return onLink(name, index -> send(RtNetlinkRequest.setMtu(writer, nextSequence(), index, mtu), "RTM_NEWLINK",
            name, null, false, null));
    }

    /**
     * Deletes a link ({@link RtNetlink#deleteLink}).
     *
     * @param name the interface name
     * @return completed when the kernel acknowledges
     */
    public CompletableFuture<Void> deleteLink(String name) {
        return onLink(name, index -> send(RtNetlinkRequest.deleteLink(writer, nextSequence(), index), "RTM_DELLINK",
            name, null, false, null));
    }

    /**
     * Creates a veth pair ({@link RtNetlink#createVeth(String, String)}).
     *
     * @param name the first end's name
     * @param peer the other end's name
     * @return completed when the kernel acknowledges
     */
    public CompletableFuture<Void> createVeth(String name, String peer) {
        return submit(() -> {
            RtNetlink.checkName(name);
            RtNetlink.checkName(peer);
            return send(RtNetlinkRequest.newVeth(writer, nextSequence(), name, peer, -1), "RTM_NEWLINK", name,
                "veth " + name + "/" + peer, false, null);
        });
    }

    /**
     * Creates a veth pair with its peer end in another namespace
     * ({@link RtNetlink#createVeth(String, String, Path)}).
     *
     * @param name the end in this client's namespace
     * @param peer the other end's name
     * @param peerNetns a network-namespace file
     * @return completed when the kernel acknowledges
     */
    public CompletableFuture<Void> createVeth(String name, String peer, Path peerNetns) {
        return submit(() -> {
            RtNetlink.checkName(name);
            RtNetlink.checkName(peer);
            return inNamespace(peerNetns, fd -> send(RtNetlinkRequest.newVeth(writer, nextSequence(), name, peer, fd),
                "RTM_NEWLINK", name, "veth " + name + "/" + peer, false, null));
        });
    }

    /**
     * Creates a bridge ({@link RtNetlink#createBridge}).
     *
     * @param name the bridge's name
     * @return completed when the kernel acknowledges
     */
    public CompletableFuture<Void> createBridge(String name) {
        return submit(() -> {
            RtNetlink.checkName(name);
            return send(RtNetlinkRequest.newLink(writer, nextSequence(), name, "bridge"), "RTM_NEWLINK", name,
                "bridge " + name, false, null);
        });
    }

    /**
     * Enslaves a link to a bridge ({@link RtNetlink#setMaster}).
     *
     * @param name the link
     * @param bridge the bridge
     * @return completed when the kernel acknowledges
     */
    public CompletableFuture<Void> setMaster(String name, String bridge) {
        return onLink(name, index -> getLink(bridge).thenCompose(master -> send(
            RtNetlinkRequest.setLinkAttribute(writer, nextSequence(), index, IfInfoMsg.IFLA_MASTER, master.index()),
            "RTM_NEWLINK", name, "master " + bridge, false, null)));
    }

    /**
     * Releases a link from its bridge ({@link RtNetlink#releaseFromMaster}).
     *
     * @param name the link
     * @return completed when the kernel acknowledges
     */
    public CompletableFuture<Void> releaseFromMaster(String name) {
        return onLink(name, index -> send(
            RtNetlinkRequest.setLinkAttribute(writer, nextSequence(), index, IfInfoMsg.IFLA_MASTER, 0),
            "RTM_NEWLINK", name, "nomaster", false, null));
    }

    /**
     * Moves a link to another network namespace ({@link RtNetlink#moveToNamespace}).
     *
     * @param name the link
     * @param netns a network-namespace file
     * @return completed when the kernel acknowledges
     */
    public CompletableFuture<Void> moveToNamespace(String name, Path netns) {
        return onLink(name, index -> inNamespace(netns, fd -> send(
            RtNetlinkRequest.setLinkAttribute(writer, nextSequence(), index, IfInfoMsg.IFLA_NET_NS_FD, fd),
            "RTM_NEWLINK", name, "netns " + netns, false, null)));
    }

    // ---------------------------------------------------------------- addresses, routes, neighbours

    /**
     * Assigns an address ({@link RtNetlink#addAddress}).
     *
     * @param name the interface name
     * @param address an IPv4 or IPv6 address
     * @param prefixLength its prefix length
     * @return completed when the kernel acknowledges
     */
    public CompletableFuture<Void> addAddress(String name, InetAddress address, int prefixLength) {
        return submit(() -> {
            LinkAddress linkAddress = new LinkAddress(address, prefixLength);
            return onLink(name, index -> send(RtNetlinkRequest.newAddress(writer, nextSequence(), index, linkAddress),
                "RTM_NEWADDR", name, linkAddress.toString(), false, null));
        });
    }

    /**
     * Removes an address ({@link RtNetlink#removeAddress}).
     *
     * @param name the interface name
     * @param address an IPv4 or IPv6 address
     * @param prefixLength its prefix length
     * @return completed when the kernel acknowledges
     */
    public CompletableFuture<Void> removeAddress(String name, InetAddress address, int prefixLength) {
        return submit(() -> {
            LinkAddress linkAddress = new LinkAddress(address, prefixLength);
            return onLink(name, index -> send(RtNetlinkRequest.deleteAddress(writer, nextSequence(), index,
                linkAddress), "RTM_DELADDR", name, linkAddress.toString(), false, null));
        });
    }

    /**
     * Adds a route ({@link RtNetlink#addRoute(Route)}).
     *
     * @param route the route
     * @return completed when the kernel acknowledges
     */
    public CompletableFuture<Void> addRoute(Route route) {
        return onRoute(route, index -> send(RtNetlinkRequest.newRoute(writer, nextSequence(), index, route),
            "RTM_NEWROUTE", route.device(), route.toString(), false, null));
    }

    /**
     * Deletes a route ({@link RtNetlink#deleteRoute(Route)}).
     *
     * @param route the route
     * @return completed when the kernel acknowledges
     */
    public CompletableFuture<Void> deleteRoute(Route route) {
        return onRoute(route, index -> send(RtNetlinkRequest.deleteRoute(writer, nextSequence(), index, route),
            "RTM_DELROUTE", route.device(), route.toString(), false, null));
    }

    /**
     * Adds a neighbour entry ({@link RtNetlink#addNeighbour}).
     *
     * @param name the link
     * @param address the neighbour's address
     * @param linkAddress its link-layer address
     * @param state e.g. {@link NeighbourState#PERMANENT}
     * @return completed when the kernel acknowledges
     */
    public CompletableFuture<Void> addNeighbour(String name, InetAddress address, byte[] linkAddress,
                                                NeighbourState state) {
        return submit(() -> {
            RtNetlink.checkNeighbour(address, linkAddress, state);
            byte[] copy = linkAddress.clone();
            return onLink(name, index -> send(RtNetlinkRequest.newNeighbour(writer, nextSequence(), index, address,
                copy, state), "RTM_NEWNEIGH", name, "neighbour " + address.getHostAddress(), false, null));
        });
    }

    /**
     * Deletes a neighbour entry ({@link RtNetlink#deleteNeighbour}).
     *
     * @param name the link
     * @param address the neighbour's address
     * @return completed when the kernel acknowledges
     */
    public CompletableFuture<Void> deleteNeighbour(String name, InetAddress address) {
        return submit(() -> {
            Objects.requireNonNull(address, "address");
            return onLink(name, index -> send(RtNetlinkRequest.deleteNeighbour(writer, nextSequence(), index, address),
                "RTM_DELNEIGH", name, "neighbour " + address.getHostAddress(), false, null));
        });
    }

    /**
     * How many requests await their reply.
     *
     * @return the count
     */
    public int pendingRequests() {
        return pending.size();
    }

    // ---------------------------------------------------------------- reactor side

    @Override
    void overrun() {
        failAll(pendingCopy(), e -> new ErrnoException(e.operation, e.device, Errno.ENOBUFS,
            "the kernel dropped replies (socket receive queue overflowed)"));
    }

    @Override
    void datagramReceived(ByteBuffer datagram, int length) {
        int portId = socket.portId();
        int offset = 0;
        while (offset < length) {
            if (!validMessage(datagram, offset, length)) {
                return;
            }
            replyHeader.wrap(datagram, offset);
            int messageLength = replyHeader.length();
            Pending waiting = replyHeader.portId() == portId ? pending.get(replyHeader.sequence()) : null;
            if (waiting != null) {
                try {
                    if (waiting.transaction.message(datagram, replyHeader, offset)) {
                        finish(waiting, null);
                    }
                } catch (ErrnoException e) {
                    finish(waiting, e);
                }
                if (socket == null) {
                    return;
                }
                replyHeader.wrap(datagram, offset);
            }
            offset += NlMsgHdr.align(messageLength);
        }
    }

    /**
     * The reactor dropped this client (its read failed): fails the pending requests and closes
     * the socket.
     *
     * @param reason why
     */
    @Override
    public void connectionLost(Throwable reason) {
        if (socket != null && !(reason instanceof ConnectionDone)) {
            LOG.error("{}: stopped: {}", logPrefix(), reason == null ? "" : reason.getMessage());
        }
        shut(reason == null ? "the socket was closed" : "the socket failed: " + reason.getMessage());
    }

    /**
     * Unregisters from the reactor and closes the socket; requests still pending fail with
     * {@code ECANCELED}, later ones with {@code EBADF}. Idempotent.
     */
    @Override
    public void close() {
        if (socket != null) {
            reactor.removeReader(this);
            shut("the AsyncRtNetlink was closed");
        }
    }

    private void shut(String why) {
        NetlinkChannel closing = socket;
        socket = null;
        if (closing != null) {
            closing.close();
        }
        failAll(pendingCopy(), t -> new ErrnoException(t.operation, t.device, ECANCELED, why));
    }

    @Override
    public String logPrefix() {
        return "AsyncRtNetlink";
    }

    @Override
    public String toString() {
        return "AsyncRtNetlink(" + pending.size() + " pending" + (socket == null ? ", closed)" : ")");
    }

    // ---------------------------------------------------------------- internals

    private <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> task) {
        if (reactor.inReactorThread()) {
            return start(task);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        reactor.callFromThread(() -> start(task).whenComplete((value, error) -> {
            if (error == null) {
                result.complete(value);
            } else {
                result.completeExceptionally(error);
            }
        }));
        return result;
    }

    private static <T> CompletableFuture<T> start(Supplier<CompletableFuture<T>> task) {
        try {
            return task.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<Void> onLink(String name, Function<Integer, CompletableFuture<Void>> then) {
        return submit(() -> getLink(name).thenCompose(link -> then.apply(link.index())));
    }

    private CompletableFuture<Void> onRoute(Route route, Function<Integer, CompletableFuture<Void>> then) {
        return submit(() -> {
            Objects.requireNonNull(route, "route");
            RtNetlink.checkRoute(route);
            if (route.device() == null) {
                return then.apply(0);
            }
            return getLink(route.device()).thenCompose(link -> then.apply(link.index()));
        });
    }

    /** Opens the namespace file, runs the request with its fd, and closes it when the request ends. */
    private CompletableFuture<Void> inNamespace(Path netns, Function<Integer, CompletableFuture<Void>> request) {
        NamespaceFd namespace;
        try {
            namespace = NamespaceFd.open(netns);
        } catch (ErrnoException e) {
            return CompletableFuture.failedFuture(e);
        }
        return request.apply(namespace.fd()).whenComplete((done, error) -> namespace.close());
    }

    private CompletableFuture<LinkInfo> getLink(String name) {
        RtNetlink.checkName(name);
        LinkInfo[] found = new LinkInfo[1];
        return send(RtNetlinkRequest.getLink(writer, nextSequence(), name), "RTM_GETLINK", name, null, false,
            (type, offset) -> {
                if (type == RtmType.RTM_NEWLINK && found[0] == null && linkMessage.decode(received, offset)) {
                    found[0] = new LinkInfo(linkMessage.index, linkMessage.name, linkMessage.flags, linkMessage.mtu,
                        linkMessage.minMtu, linkMessage.maxMtu, List.of());
                }
            }).thenApply(done -> {
                if (found[0] == null) {
                    throw new java.util.concurrent.CompletionException(new ErrnoException("RTM_GETLINK", name, EBADMSG,
                        "the kernel acknowledged without describing the link"));
                }
                return found[0];
            });
    }

    /** Sends the request in {@link #writer}; the future completes when its reply arrives. */
    private CompletableFuture<Void> send(int length, String operation, String device, String subject, boolean dump,
                                         Transaction.Reply replies) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        int expected = requestHeader.wrap(request, 0).sequence();
        Transaction transaction = new Transaction(expected, operation, device, subject, dump, replies);
        if (socket == null) {
            done.completeExceptionally(new ErrnoException(operation, device, Errno.EBADF,
                "the AsyncRtNetlink is closed"));
            return done;
        }
        int sent = socket.send(request, length);
        if (sent < 0) {
            done.completeExceptionally(transaction.failure(-sent, null));
            return done;
        }
        DelayedCall timeout = reactor.callLater(Duration.ofMillis(RtNetlink.REPLY_TIMEOUT_MILLIS), () -> {
            Pending late = pending.get(expected);
            if (late != null && late.done == done) {
                finish(late, new ErrnoException(operation, device, ETIMEDOUT,
                    "no reply from the kernel within " + RtNetlink.REPLY_TIMEOUT_MILLIS + " ms"));
            }
        });
        pending.put(expected, new Pending(transaction, done, timeout));
        return done;
    }

    private void finish(Pending request, ErrnoException failure) {
        pending.remove(request.transaction.sequence);
        request.timeout.cancel();
        if (failure == null) {
            request.done.complete(null);
        } else {
            request.done.completeExceptionally(failure);
        }
    }

    private List<Pending> pendingCopy() {
        return new ArrayList<>(pending.values());
    }

    private void failAll(List<Pending> requests, Function<Transaction, ErrnoException> failure) {
        for (Pending request : requests) {
            finish(request, failure.apply(request.transaction));
        }
    }

    private int nextSequence() {
        sequence++;
        if (sequence == 0) {
            sequence = 1;
        }
        return sequence;
    }
}

package io.jpair.netlink;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A blocking rtnetlink client: reads and configures links, addresses and routes, and builds test
 * rigs (veth pairs, bridges and their ports, links moved between network namespaces, neighbour
 * entries, routes with gateway, table and metric), by talking to the kernel over a
 * {@code NETLINK_ROUTE} socket (no {@code ip} subprocess). {@link #openIn(Path)} acts inside
 * another network namespace; {@link AsyncRtNetlink} is the same on a reactor.
 *
 * <pre>{@code
 * try (RtNetlink rtnl = RtNetlink.open()) {
 *     rtnl.setMtu("tun0", 1400);
 *     rtnl.addAddress("tun0", InetAddress.getByName("10.7.0.1"), 24);
 *     rtnl.setLinkUp("tun0", true);
 *     LinkInfo link = rtnl.link("tun0");   // index, flags, MTU, addresses
 * }
 * }</pre>
 *
 * <p>Every request is sent with {@code NLM_F_ACK} and a fresh sequence number; the call returns
 * when the kernel acknowledges it (or, for a dump, sends {@code NLMSG_DONE}), and replies to
 * other sequence numbers are ignored. Each receive is bounded by {@link #REPLY_TIMEOUT_MILLIS}.
 *
 * <p>Errors: a kernel refusal becomes an {@link ErrnoException} whose {@code operation()} is
 * the request type (e.g. {@code "RTM_NEWADDR"}), whose {@code device()} is the link name, and
 * whose hint says what to do, followed by the kernel's own extended-ack text when it sent one.
 * Typical: {@code EPERM} (needs {@code CAP_NET_ADMIN}), {@code ENODEV} (no such device),
 * {@code EEXIST} (address or route already present), {@code EADDRNOTAVAIL} (removing an absent
 * address), {@code EINVAL} (a value the device refuses), {@code EACCES} on IPv6 (IPv6 disabled).
 * Arguments jpair can check itself (names, prefix lengths, MTU limits) fail earlier with an
 * {@link IllegalArgumentException}.
 *
 * <p>The socket is a {@link NetlinkChannel}: {@link #open()} opens the kernel's, {@link #open(NetlinkChannel.Opener)}
 * and {@link #over(NetlinkChannel)} take another, such as the in-memory kernel
 * {@code io.jpair.testing.MemoryNetlink} for tests without root.
 *
 * <p>Thread-safe: requests are serialized on this object. Blocking: do not call it on a reactor
 * thread that must stay responsive (each call is one or two kernel round trips, normally well
 * under a millisecond).
 */
public final class RtNetlink implements AutoCloseable {
    /** Bound on each wait for a kernel reply. */
    public static final long REPLY_TIMEOUT_MILLIS = 5_000;
    /** The smallest MTU IPv4 allows (RFC 791). */
    public static final int MIN_IPV4_MTU = 68;
    /** The smallest MTU IPv6 allows (RFC 8200); the kernel drops IPv6 from a link below it. */
    public static final int MIN_IPV6_MTU = 1280;
    /** The largest MTU jpair sets (the IPv4 total-length limit; also TUN's maximum). */
    public static final int MAX_MTU = 65535;

    private static final int ESRCH = 3;
    private static final int ENETUNREACH = 101;
    private static final int ELOOP = 40;
    private static final int EBADMSG = 74;
    private static final int ETIMEDOUT = 110;
    private static final int IFNAMSIZ = 16;
    private static final Path NETNS_DIRECTORY = Path.of("/run/netns");

    private final NetlinkChannel socket;
    private final ByteBuffer request = ByteBuffer.allocateDirect(4096);
    private final ByteBuffer reply = ByteBuffer.allocateDirect(64 * 1024);
    private final NlMsgWriter writer = new NlMsgWriter(request);
    private final NlMsgHdr header = new NlMsgHdr();
    private final LinkMessage linkMessage = new LinkMessage();
    private final AddressMessage addressMessage = new AddressMessage();
    private int sequence;

    private RtNetlink(NetlinkChannel socket) {
        this.socket = Objects.requireNonNull(socket, "channel");
    }

    /**
     * Opens a {@code NETLINK_ROUTE} socket in the calling thread's network namespace.
     *
     * @return the client; close it when done
     * @throws ErrnoException if the socket cannot be opened
     */
    public static RtNetlink open() throws ErrnoException {
        return open(NetlinkSocket.OPENER);
    }

    /**
     * Opens a {@code NETLINK_ROUTE} socket inside another network namespace: every request of
     * the client then acts there, whatever namespace the calling threads are in. The socket is
     * created on a short-lived thread that joins the namespace with {@code setns(2)} (a socket
     * keeps the namespace it was created in); the namespace file is closed before this returns.
     *
     * <pre>{@code
     * try (RtNetlink peer = RtNetlink.openIn(Path.of("/proc/" + pid + "/ns/net"))) {
     *     peer.setLinkUp("veth1", true);
     * }
     * }</pre>
     *
     * @param netns a network-namespace file: {@code /proc/PID/ns/net}, {@code /run/netns/NAME}
     * @return the client; close it when done
     * @throws ErrnoException {@code open(netns)} ({@code ENOENT}: no such namespace),
     *     {@code setns(CLONE_NEWNET)} ({@code EINVAL}: not a network namespace; {@code EPERM}:
     *     needs {@code CAP_SYS_ADMIN}), or the socket's own errors
     */
    public static RtNetlink openIn(Path netns) throws ErrnoException {
        return open(openerIn(netns));
    }

    /**
     * Opens a client inside a network namespace that {@code ip netns add NAME} created
     * ({@code /run/netns/NAME}); as {@link #openIn(Path)}.
     *
     * @param name the {@code ip netns} name
     * @return the client; close it when done
     * @throws IllegalArgumentException if the name is empty, {@code .}, {@code ..} or has a {@code /}
     * @throws ErrnoException as {@link #openIn(Path)}
     */
    public static RtNetlink openIn(String name) throws ErrnoException {
        return openIn(namedNamespace(name));
    }

    /**
     * Where {@code ip netns} keeps a named network namespace.
     *
     * @param name the {@code ip netns} name
     * @return {@code /run/netns/NAME}
     * @throws IllegalArgumentException if the name is empty, {@code .}, {@code ..} or has a {@code /}
     */
    public static Path namedNamespace(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0) {
            throw new IllegalArgumentException("invalid network namespace name \"" + name + "\"");
        }
        return NETNS_DIRECTORY.resolve(name);
    }

    /**
     * Opens kernel {@code NETLINK_ROUTE} sockets inside another network namespace, as
     * {@link #openIn(Path)} does, for {@link #open(NetlinkChannel.Opener)}, a {@link LinkMonitor}
     * or an {@link AsyncRtNetlink}. The namespace file is opened anew for each socket.
     *
     * @param netns a network-namespace file: {@code /proc/PID/ns/net}, {@code /run/netns/NAME}
     * @return the opener
     */
    public static NetlinkChannel.Opener openerIn(Path netns) {
        return NetlinkSocket.openerIn(Objects.requireNonNull(netns, "netns"));
    }

    /**
     * Opens a client on a channel from {@code opener}: blocking, in no multicast group. With
     * {@code io.jpair.testing.MemoryNetlink} this is a client of an in-memory kernel:
     * {@code RtNetlink.open(new MemoryNetlink())}.
     *
     * @param opener where the channel comes from
     * @return the client; closing it closes the channel
     * @throws ErrnoException if the channel cannot be opened
     */
    public static RtNetlink open(NetlinkChannel.Opener opener) throws ErrnoException {
        return over(opener.open(0, false));
    }

    /**
     * A client over an open channel, which it then owns (closing the client closes it). The
     * channel should be blocking, or at least have each request's replies waiting by the time
     * {@link NetlinkChannel#send} returns: a receive that gives {@code -EAGAIN} ends the request
     * with {@code ETIMEDOUT}.
     *
     * @param channel a bound {@code NETLINK_ROUTE} channel
     * @return the client
     */
    public static RtNetlink over(NetlinkChannel channel) {
        return new RtNetlink(channel);
    }

    // ---------------------------------------------------------------- reading

    /**
     * The index of a link.
     *
     * @param name the interface name
     * @return its index
     * @throws ErrnoException {@code RTM_GETLINK}: {@code ENODEV} if there is no such link
     */
    public synchronized int linkIndex(String name) throws ErrnoException {
        return getLink(name).index();
    }

    /**
     * A link's index, flags, MTU (with the device's limits) and addresses.
     *
     * @param name the interface name
     * @return the snapshot
     * @throws ErrnoException {@code RTM_GETLINK}: {@code ENODEV} if there is no such link;
     *     {@code RTM_GETADDR} errors
     */
    public synchronized LinkInfo link(String name) throws ErrnoException {
        LinkInfo link = getLink(name);
        return withAddresses(link, dumpAddresses(name).getOrDefault(link.index(), List.of()));
    }

    /**
     * Every link in the namespace, with its addresses.
     *
     * @return the links, in index order as the kernel dumps them
     * @throws ErrnoException {@code RTM_GETLINK} or {@code RTM_GETADDR} errors
     */
    public synchronized List<LinkInfo> links() throws ErrnoException {
        List<LinkInfo> links = new ArrayList<>();
        transact(RtNetlinkRequest.dumpLinks(writer, nextSequence()), "RTM_GETLINK", null, true, (type, offset) -> {
            if (type == RtmType.RTM_NEWLINK && linkMessage.decode(reply, offset)) {
                links.add(currentLink());
            }
        });
        Map<Integer, List<LinkAddress>> addresses = dumpAddresses(null);
        links.replaceAll(link -> withAddresses(link, addresses.getOrDefault(link.index(), List.of())));
        return links;
    }

    /**
     * The addresses assigned to a link.
     *
     * @param name the interface name
     * @return its IPv4 and IPv6 addresses
     * @throws ErrnoException {@code RTM_GETLINK}: {@code ENODEV} if there is no such link
     */
    public synchronized List<LinkAddress> addresses(String name) throws ErrnoException {
        return link(name).addresses();
    }

    // ---------------------------------------------------------------- configuring links

    /**
     * Sets a link administratively up or down ({@code ip link set NAME up|down}).
     *
     * @param name the interface name
     * @param up true for up
     * @throws ErrnoException {@code RTM_NEWLINK}: {@code EPERM}, {@code ENODEV}, ...
     */
    public synchronized void setLinkUp(String name, boolean up) throws ErrnoException {
        int index = getLink(name).index();
        transact(RtNetlinkRequest.setUp(writer, nextSequence(), index, up), "RTM_NEWLINK", name, false, null);
    }

    /**
     * Sets a link's MTU ({@code ip link set NAME mtu N}).
     *
     * @param name the interface name
     * @param mtu the MTU in bytes
     * @throws IllegalArgumentException if {@code mtu} is outside {@value #MIN_IPV4_MTU}..
     *     {@value #MAX_MTU} or the device's own limits, or below {@value #MIN_IPV6_MTU} while
     *     the link has IPv6 addresses (the kernel would silently drop them)
     * @throws ErrnoException {@code RTM_NEWLINK}: {@code EINVAL} if the device refuses it
     */
    public synchronized void setMtu(String name, int mtu) throws ErrnoException {
        if (mtu < MIN_IPV4_MTU || mtu > MAX_MTU) {
            throw new IllegalArgumentException(name + ": MTU " + mtu + " is outside " + MIN_IPV4_MTU + ".."
                + MAX_MTU);
        }
        LinkInfo link = link(name);
        if ((link.minMtu() > 0 && mtu < link.minMtu()) || (link.maxMtu() > 0 && mtu > link.maxMtu())) {
            throw new IllegalArgumentException(name + ": MTU " + mtu + " is outside the device's limits "
                + link.minMtu() + ".." + link.maxMtu());
        }
        if (mtu < MIN_IPV6_MTU && link.hasIpv6Address()) {
            throw new IllegalArgumentException(name + ": MTU " + mtu + " is below " + MIN_IPV6_MTU
                + ", the IPv6 minimum, and the link has IPv6 addresses " + ipv6Addresses(link)
                + "; remove them first");
        }
        transact(RtNetlinkRequest.setMtu(writer, nextSequence(), link.index(), mtu), "RTM_NEWLINK", name, false,
            null);
    }

    /**
     * Deletes a link ({@code ip link delete NAME}), e.g. a persistent TUN device.
     *
     * @param name the interface name
     * @throws ErrnoException {@code RTM_DELLINK}: {@code ENODEV}; {@code EOPNOTSUPP} for a
     *     device that cannot be deleted this way (e.g. a physical one)
     */
    public synchronized void deleteLink(String name) throws ErrnoException {
        int index = getLink(name).index();
        transact(RtNetlinkRequest.deleteLink(writer, nextSequence(), index), "RTM_DELLINK", name, false, null);
    }

    // ---------------------------------------------------------------- addresses and routes

    /**
     * Assigns an address ({@code ip addr add ADDRESS/PREFIX dev NAME}).
     *
     * @param name the interface name
     * @param address an IPv4 or IPv6 address
     * @param prefixLength its prefix length
     * @throws IllegalArgumentException if the prefix length does not fit the family, or the
     *     address is IPv6 and the link's MTU is below {@value #MIN_IPV6_MTU}
     * @throws ErrnoException {@code RTM_NEWADDR}: {@code EEXIST} if it is already assigned,
     *     {@code EACCES} if IPv6 is disabled on the link, ...
     */
    public synchronized void addAddress(String name, InetAddress address, int prefixLength) throws ErrnoException {
        LinkAddress linkAddress = new LinkAddress(address, prefixLength);
        LinkInfo link = getLink(name);
        if (linkAddress.isIpv6() && link.mtu() < MIN_IPV6_MTU) {
            throw new IllegalArgumentException(name + ": cannot add IPv6 address " + linkAddress + ": MTU "
                + link.mtu() + " is below " + MIN_IPV6_MTU + ", the IPv6 minimum");
        }
        transact(RtNetlinkRequest.newAddress(writer, nextSequence(), link.index(), linkAddress), "RTM_NEWADDR", name,
            linkAddress.toString(), false, null);
    }

    /**
     * Removes an address ({@code ip addr del ADDRESS/PREFIX dev NAME}). As with {@code ip}, removing
     * a primary IPv4 address also removes the secondary ones of its subnet unless
     * {@code net.ipv4.conf.NAME.promote_secondaries} is set: that is the kernel's rule.
     *
     * @param name the interface name
     * @param address an IPv4 or IPv6 address
     * @param prefixLength its prefix length
     * @throws ErrnoException {@code RTM_DELADDR}: {@code EADDRNOTAVAIL} if it is not assigned
     */
    public synchronized void removeAddress(String name, InetAddress address, int prefixLength) throws ErrnoException {
        LinkAddress linkAddress = new LinkAddress(address, prefixLength);
        int index = getLink(name).index();
        transact(RtNetlinkRequest.deleteAddress(writer, nextSequence(), index, linkAddress), "RTM_DELADDR", name,
            linkAddress.toString(), false, null);
    }

    /**
     * Adds a route to a prefix through a link, with no gateway
     * ({@code ip route add DESTINATION/PREFIX dev NAME}), in the main table. Host bits of
     * {@code destination} beyond the prefix are cleared.
     *
     * @param destination the destination network
     * @param prefixLength its prefix length (0 = default route)
     * @param name the interface name
     * @throws ErrnoException {@code RTM_NEWROUTE}: {@code EEXIST} if the route exists,
     *     {@code ENETDOWN}/{@code EINVAL} if the link cannot carry it
     */
    public synchronized void addRoute(InetAddress destination, int prefixLength, String name) throws ErrnoException {
        LinkAddress prefix = network(destination, prefixLength);
        int index = getLink(name).index();
        transact(RtNetlinkRequest.newRoute(writer, nextSequence(), index, prefix), "RTM_NEWROUTE", name,
            prefix.toString(), false, null);
    }

    /**
     * Deletes a route added by {@link #addRoute} ({@code ip route del DESTINATION/PREFIX dev NAME}).
     *
     * @param destination the destination network
     * @param prefixLength its prefix length
     * @param name the interface name
     * @throws ErrnoException {@code RTM_DELROUTE}: {@code ESRCH} if there is no such route
     */
    public synchronized void deleteRoute(InetAddress destination, int prefixLength, String name)
        throws ErrnoException {
        LinkAddress prefix = network(destination, prefixLength);
        int index = getLink(name).index();
        transact(RtNetlinkRequest.deleteRoute(writer, nextSequence(), index, prefix), "RTM_DELROUTE", name,
            prefix.toString(), false, null);
    }

    /**
     * Adds a {@link Route}: with a gateway, a table and a metric as given
     * ({@code ip route add DESTINATION/PREFIX [via GATEWAY] [dev NAME] [table N] [metric M]}).
     *
     * @param route the route; without {@link Route#dev} the kernel picks the link that reaches
     *     the gateway
     * @throws IllegalArgumentException if the route has neither a gateway nor a link
     * @throws ErrnoException {@code RTM_NEWROUTE}: {@code EEXIST} if the same destination, table
     *     and metric are routed already, {@code ENETUNREACH} if no link reaches the gateway,
     *     {@code ENETDOWN} if the link is down, {@code ENODEV} if there is no such link
     */
    public synchronized void addRoute(Route route) throws ErrnoException {
        int index = routeLink(route);
        transact(RtNetlinkRequest.newRoute(writer, nextSequence(), index, route), "RTM_NEWROUTE", route.device(),
            route.toString(), false, null);
    }

    /**
     * Deletes a {@link Route} ({@code ip route del ...}): the first route of its table with its
     * destination and, where given, its gateway, link and metric (metric 0 matches any).
     *
     * @param route the route
     * @throws IllegalArgumentException if the route has neither a gateway nor a link
     * @throws ErrnoException {@code RTM_DELROUTE}: {@code ESRCH} if no route matches
     */
    public synchronized void deleteRoute(Route route) throws ErrnoException {
        int index = routeLink(route);
        transact(RtNetlinkRequest.deleteRoute(writer, nextSequence(), index, route), "RTM_DELROUTE", route.device(),
            route.toString(), false, null);
    }

    private int routeLink(Route route) throws ErrnoException {
        Objects.requireNonNull(route, "route");
        checkRoute(route);
        return route.device() == null ? 0 : getLink(route.device()).index();
    }

    static void checkRoute(Route route) {
        if (route.gateway() == null && route.device() == null) {
            throw new IllegalArgumentException("route " + route + " has neither a gateway nor a link: give it via() or dev()");
        }
    }

    // ---------------------------------------------------------------- creating links, bridges, namespaces

    /**
     * Creates a veth pair ({@code ip link add NAME type veth peer name PEER}): two Ethernet links,
     * down, each delivering what the other sends. Deleting either deletes both.
     *
     * @param name the first end's name
     * @param peer the other end's name
     * @throws ErrnoException {@code RTM_NEWLINK}: {@code EEXIST} if either name is taken,
     *     {@code EOPNOTSUPP} if the kernel has no veth driver, {@code EPERM}
     */
    public synchronized void createVeth(String name, String peer) throws ErrnoException {
        checkName(name);
        checkName(peer);
        transact(RtNetlinkRequest.newVeth(writer, nextSequence(), name, peer, -1), "RTM_NEWLINK", name,
            "veth " + name + "/" + peer, false, null);
    }

    /**
     * Creates a veth pair whose peer end is created directly in another network namespace
     * ({@code ip link add NAME type veth peer name PEER netns NS}).
     *
     * @param name the end in this client's namespace
     * @param peer the other end's name, in {@code peerNetns}
     * @param peerNetns a network-namespace file: {@code /proc/PID/ns/net}, {@code /run/netns/NAME}
     * @throws ErrnoException {@code open(netns)} for the namespace file; {@code RTM_NEWLINK}:
     *     {@code EEXIST} if a name is taken on its side, {@code EPERM}
     */
    public synchronized void createVeth(String name, String peer, Path peerNetns) throws ErrnoException {
        checkName(name);
        checkName(peer);
        try (NamespaceFd namespace = NamespaceFd.open(peerNetns)) {
            transact(RtNetlinkRequest.newVeth(writer, nextSequence(), name, peer, namespace.fd()), "RTM_NEWLINK",
                name, "veth " + name + "/" + peer, false, null);
        }
    }

    /**
     * Creates a bridge ({@code ip link add NAME type bridge}), down, with no ports.
     *
     * @param name the bridge's name
     * @throws ErrnoException {@code RTM_NEWLINK}: {@code EEXIST} if the name is taken,
     *     {@code EOPNOTSUPP} if the kernel has no bridge driver, {@code EPERM}
     */
    public synchronized void createBridge(String name) throws ErrnoException {
        checkName(name);
        transact(RtNetlinkRequest.newLink(writer, nextSequence(), name, "bridge"), "RTM_NEWLINK", name,
            "bridge " + name, false, null);
    }

    /**
     * Enslaves a link to a bridge ({@code ip link set NAME master BRIDGE}).
     *
     * @param name the link to become a port of the bridge
     * @param bridge the bridge
     * @throws ErrnoException {@code RTM_GETLINK}: {@code ENODEV} for either name;
     *     {@code RTM_NEWLINK}: {@code EOPNOTSUPP} if {@code bridge} cannot take ports,
     *     {@code ELOOP}/{@code EBUSY} if the link cannot be its port
     */
    public synchronized void setMaster(String name, String bridge) throws ErrnoException {
        int index = getLink(name).index();
        int master = getLink(bridge).index();
        transact(RtNetlinkRequest.setLinkAttribute(writer, nextSequence(), index, IfInfoMsg.IFLA_MASTER, master),
            "RTM_NEWLINK", name, "master " + bridge, false, null);
    }

    /**
     * Releases a link from its bridge ({@code ip link set NAME nomaster}); nothing happens if it
     * has none.
     *
     * @param name the link
     * @throws ErrnoException {@code RTM_NEWLINK}: {@code ENODEV}, {@code EPERM}
     */
    public synchronized void releaseFromMaster(String name) throws ErrnoException {
        int index = getLink(name).index();
        transact(RtNetlinkRequest.setLinkAttribute(writer, nextSequence(), index, IfInfoMsg.IFLA_MASTER, 0),
            "RTM_NEWLINK", name, "nomaster", false, null);
    }

    /**
     * Moves a link to another network namespace ({@code ip link set NAME netns NS}). The link
     * leaves this client's namespace, down, without its addresses and routes.
     *
     * @param name the link
     * @param netns a network-namespace file: {@code /proc/PID/ns/net}, {@code /run/netns/NAME}
     * @throws ErrnoException {@code open(netns)} for the namespace file; {@code RTM_NEWLINK}:
     *     {@code EEXIST} if the namespace has a link of that name, {@code EINVAL} for a link that
     *     cannot move (e.g. {@code lo}, marked {@code netns-local})
     */
    public synchronized void moveToNamespace(String name, Path netns) throws ErrnoException {
        int index = getLink(name).index();
        try (NamespaceFd namespace = NamespaceFd.open(netns)) {
            transact(RtNetlinkRequest.setLinkAttribute(writer, nextSequence(), index, IfInfoMsg.IFLA_NET_NS_FD,
                namespace.fd()), "RTM_NEWLINK", name, "netns " + netns, false, null);
        }
    }

    // ---------------------------------------------------------------- neighbour entries

    /**
     * Adds a neighbour entry ({@code ip neigh add ADDRESS lladdr MAC nud STATE dev NAME}): an ARP
     * (IPv4) or neighbour-discovery (IPv6) entry the kernel uses without resolving.
     *
     * @param name the link
     * @param address the neighbour's IPv4 or IPv6 address
     * @param linkAddress its link-layer address (6 bytes of MAC on Ethernet)
     * @param state e.g. {@link NeighbourState#PERMANENT}
     * @throws IllegalArgumentException if {@code linkAddress} is empty or longer than 32 bytes
     * @throws ErrnoException {@code RTM_NEWNEIGH}: {@code EEXIST} if the link has an entry for
     *     the address, {@code EINVAL} for a link-layer address of the wrong length
     */
    public synchronized void addNeighbour(String name, InetAddress address, byte[] linkAddress, NeighbourState state)
        throws ErrnoException {
        checkNeighbour(address, linkAddress, state);
        int index = getLink(name).index();
        transact(RtNetlinkRequest.newNeighbour(writer, nextSequence(), index, address, linkAddress, state),
            "RTM_NEWNEIGH", name, "neighbour " + address.getHostAddress(), false, null);
    }

    /**
     * Deletes a neighbour entry ({@code ip neigh del ADDRESS dev NAME}).
     *
     * @param name the link
     * @param address the neighbour's address
     * @throws ErrnoException {@code RTM_DELNEIGH}: {@code ENOENT} if there is no such entry
     */
    public synchronized void deleteNeighbour(String name, InetAddress address) throws ErrnoException {
        Objects.requireNonNull(address, "address");
        int index = getLink(name).index();
        transact(RtNetlinkRequest.deleteNeighbour(writer, nextSequence(), index, address), "RTM_DELNEIGH", name,
            "neighbour " + address.getHostAddress(), false, null);
    }

    static void checkNeighbour(InetAddress address, byte[] linkAddress, NeighbourState state) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(linkAddress, "linkAddress");
        Objects.requireNonNull(state, "state");
        if (linkAddress.length == 0 || linkAddress.length > 32) {
            throw new IllegalArgumentException("neighbour " + address.getHostAddress() + ": a " + linkAddress.length
                + "-byte link-layer address (MAX_ADDR_LEN is 32)");
        }
    }

    static LinkAddress network(InetAddress destination, int prefixLength) {
        LinkAddress checked = new LinkAddress(destination, prefixLength);
        byte[] bytes = destination.getAddress();
        for (int bit = prefixLength; bit < bytes.length * 8; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            return new LinkAddress(InetAddress.getByAddress(bytes), checked.prefixLength());
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }

    // ---------------------------------------------------------------- closing

    /**
     * Closes the socket. Idempotent.
     */
    @Override
    public synchronized void close() {
        socket.close();
    }

    // ---------------------------------------------------------------- internals

    private LinkInfo getLink(String name) throws ErrnoException {
        checkName(name);
        LinkInfo[] found = new LinkInfo[1];
        transact(RtNetlinkRequest.getLink(writer, nextSequence(), name), "RTM_GETLINK", name, false, (type, offset) -> {
            if (type == RtmType.RTM_NEWLINK && found[0] == null && linkMessage.decode(reply, offset)) {
                found[0] = currentLink();
            }
        });
        if (found[0] == null) {
            throw new ErrnoException("RTM_GETLINK", name, EBADMSG,
                "the kernel acknowledged without describing the link");
        }
        return found[0];
    }

    private LinkInfo currentLink() {
        return new LinkInfo(linkMessage.index, linkMessage.name, linkMessage.flags, linkMessage.mtu,
            linkMessage.minMtu, linkMessage.maxMtu, List.of());
    }

    private static LinkInfo withAddresses(LinkInfo link, List<LinkAddress> addresses) {
        return new LinkInfo(link.index(), link.name(), link.flags(), link.mtu(), link.minMtu(), link.maxMtu(),
            addresses);
    }

    private Map<Integer, List<LinkAddress>> dumpAddresses(String device) throws ErrnoException {
        Map<Integer, List<LinkAddress>> byIndex = new LinkedHashMap<>();
        int length = RtNetlinkRequest.dumpAddresses(writer, nextSequence());
        transact(length, "RTM_GETADDR", device, true, (type, offset) -> {
            if (type == RtmType.RTM_NEWADDR && addressMessage.decode(reply, offset)) {
                byIndex.computeIfAbsent(addressMessage.index, i -> new ArrayList<>()).add(addressMessage.address);
            }
        });
        return byIndex;
    }

    private static String ipv6Addresses(LinkInfo link) {
        List<String> v6 = new ArrayList<>();
        for (LinkAddress address : link.addresses()) {
            if (address.isIpv6()) {
                v6.add(address.toString());
            }
        }
        return String.join(", ", v6);
    }

    static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes >= IFNAMSIZ || name.indexOf('/') >= 0 || name.chars().anyMatch(Character::isWhitespace)
            || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("invalid interface name \"" + name
                + "\": must be 1 to 15 bytes, without '/' or whitespace");
        }
    }

    private int nextSequence() {
        sequence++;
        if (sequence == 0) {
            sequence = 1;
        }
        return sequence;
    }

    private void transact(int length, String operation, String device, boolean dump, Transaction.Reply replies)
        throws ErrnoException {
        transact(length, operation, device, null, dump, replies);
    }

    /**
     * Sends the request in {@link #writer} and reads replies with its sequence number until the
     * acknowledgement (or {@code NLMSG_DONE} for a dump), passing the others to {@code replies}.
     */
    private void transact(int length, String operation, String device, String subject, boolean dump,
                          Transaction.Reply replies) throws ErrnoException {
        Transaction transaction = new Transaction(header.wrap(request, 0).sequence(), operation, device, subject,
            dump, replies);
        int sent = socket.send(request, length);
        if (sent < 0) {
            throw transaction.failure(-sent, null);
        }
        while (true) {
            int n = socket.receive(reply);
            if (n == -Errno.EINTR) {
                continue;
            }
            if (n == -Errno.EAGAIN) {
                throw new ErrnoException(operation, device, ETIMEDOUT,
                    "no reply from the kernel within " + REPLY_TIMEOUT_MILLIS + " ms");
            }
            if (n < 0) {
                throw transaction.failure(-n, null);
            }
            if (n > reply.capacity()) {
                throw new ErrnoException(operation, device, Errno.EMSGSIZE,
                    "a " + n + "-byte reply did not fit the " + reply.capacity() + "-byte buffer");
            }
            int offset = 0;
            while (offset < n) {
                if (!NlMsgHdr.isValid(reply, offset, n)) {
                    throw new ErrnoException(operation, device, EBADMSG, "malformed netlink reply at byte " + offset);
                }
                header.wrap(reply, offset);
                int messageLength = header.length();
                if (header.sequence() == transaction.sequence && header.portId() == socket.portId()
                    && transaction.message(reply, header, offset)) {
                    return;
                }
                offset += NlMsgHdr.align(messageLength);
            }
        }
    }

    /**
     * What to do about an errno from a given request.
     *
     * @param operation e.g. {@code "RTM_NEWADDR"}
     * @param errno the positive errno
     * @param subject the address or route concerned, or {@code null}
     * @return the hint, or {@code null}
     */
    static String hint(String operation, int errno, String subject) {
        String what = subject == null ? "" : subject + " ";
        return switch (errno) {
            case Errno.EPERM ->
                "needs CAP_NET_ADMIN in the link's network namespace (run as root or grant the capability)";
            case Errno.EACCES -> operation.endsWith("ADDR")
                ? "IPv6 may be disabled on the link (sysctl net.ipv6.conf.<name>.disable_ipv6),"
                    + " or this needs CAP_NET_ADMIN"
                : "needs CAP_NET_ADMIN in the link's network namespace";
            case Errno.ENODEV -> "no such device";
            case Errno.ENOENT -> switch (operation) {
                case "RTM_DELNEIGH" -> "no such " + what.strip();
                default -> "not found" + (what.isEmpty() ? "" : ": " + what.strip());
            };
            case Errno.EEXIST -> switch (operation) {
                case "RTM_NEWADDR" -> "address " + what + "is already present on the link";
                case "RTM_NEWROUTE" -> "route " + what + "already exists";
                case "RTM_NEWNEIGH" -> what + "already has an entry on the link";
                case "RTM_NEWLINK" -> subject == null ? "it already exists"
                    : "a link of that name already exists (" + what.strip() + ")";
                default -> "it already exists";
            };
            case Errno.EADDRNOTAVAIL -> "address " + what + "is not assigned to the link";
            case ESRCH -> "no such route " + what.strip();
            case Errno.EINVAL -> switch (operation) {
                case "RTM_NEWLINK" -> subject == null ? "the device refused the value (MTU outside its limits?)"
                    : subject.startsWith("netns ") ? "the link cannot change namespace (lo and netns-local devices cannot)"
                    : "the kernel refused " + what.strip();
                case "RTM_NEWADDR", "RTM_DELADDR" -> "the kernel refused address " + what.strip();
                case "RTM_NEWROUTE", "RTM_DELROUTE" -> "the kernel refused route " + what.strip();
                default -> "the kernel refused the request's arguments";
            };
            case Errno.ENETDOWN -> "the link is down";
            case ENETUNREACH -> "no link reaches the gateway of " + what.strip()
                + " (add an address on its subnet, or give the route a link)";
            case Errno.EOPNOTSUPP -> subject != null && subject.startsWith("master ")
                ? subject.substring("master ".length()) + " cannot take ports: it is not a bridge"
                : subject != null && (subject.startsWith("veth ") || subject.startsWith("bridge "))
                ? "the kernel has no " + subject.substring(0, subject.indexOf(' ')) + " driver (modprobe "
                    + subject.substring(0, subject.indexOf(' ')) + ")"
                : "the device does not support this operation";
            case ELOOP -> "a bridge cannot be a port of a bridge";
            case Errno.EBUSY -> "the device is busy";
            default -> null;
        };
    }
}

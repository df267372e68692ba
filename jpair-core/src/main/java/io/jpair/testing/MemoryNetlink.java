package io.jpair.testing;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.netlink.IfAddrMsg;
import io.jpair.netlink.IfInfoMsg;
import io.jpair.netlink.LinkAddress;
import io.jpair.netlink.LinkInfo;
import io.jpair.netlink.LinkMonitor;
import io.jpair.netlink.NdMsg;
import io.jpair.netlink.NeighbourState;
import io.jpair.netlink.NetlinkChannel;
import io.jpair.netlink.NlMsgErr;
import io.jpair.netlink.NlMsgHdr;
import io.jpair.netlink.NlMsgWriter;
import io.jpair.netlink.RtAttr;
import io.jpair.netlink.RtMsg;
import io.jpair.netlink.RtNetlink;
import io.jpair.netlink.RtmType;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An in-memory rtnetlink kernel: a {@link NetlinkChannel.Opener} whose channels answer
 * {@link RtNetlink}'s requests from a small model of one network namespace (links, addresses,
 * routes) and deliver link notifications to a {@link LinkMonitor}, so both are tested without
 * root or a socket.
 *
 * <pre>{@code
 * MemoryNetlink kernel = new MemoryNetlink();            // a fresh namespace: lo (index 1), down
 * int jn0 = kernel.addLink("jn0", 1500);                  // a TUN-like link, index 2
 * try (RtNetlink rtnl = RtNetlink.open(kernel)) {
 *     rtnl.setMtu("jn0", 1400);
 * }
 * kernel.link("jn0").mtu();                               // 1400
 * kernel.lastRequest().type();                            // RtmType.RTM_NEWLINK
 * kernel.lastRequest().intAttribute(IfInfoMsg.IFLA_MTU);  // 1400
 *
 * kernel.failNext(RtmType.RTM_NEWADDR, Errno.EACCES, "IPv6 is disabled on this device");
 *
 * LinkMonitor monitor = new LinkMonitor(reactor, events::add, kernel);   // reactor: MemoryReactor
 * monitor.start();
 * reactor.fireReadable();                                 // the initial dump: ready(), no events
 * kernel.setLinkUp("jn0", true);                          // RTM_NEWLINK to RTMGRP_LINK channels
 * reactor.fireReadable();                                 // LinkEvent UP
 * }</pre>
 *
 * <p><b>Records.</b> Every request any channel sends is kept, in order, as a {@link Request}
 * (type, flags, sequence, fixed body through the public flyweights, attributes), so a test can
 * assert on exactly what was sent.
 *
 * <p><b>Replies, as the kernel sends them</b> to a socket with {@code NETLINK_CAP_ACK} and
 * {@code NETLINK_EXT_ACK} set (as {@link RtNetlink}'s is), addressed to the channel's port id with
 * the request's sequence number: an acknowledgement ({@code NLMSG_ERROR} with error 0,
 * {@code NLM_F_CAPPED}) when the request has {@code NLM_F_ACK}; an {@code NLMSG_ERROR} with
 * {@code -errno} (and {@code NLM_F_ACK_TLVS} plus {@code NLMSGERR_ATTR_MSG} when there is a
 * message) on failure, whatever the flags; for {@code RTM_GETLINK} of one link, its
 * {@code RTM_NEWLINK} before the acknowledgement; for a dump ({@code NLM_F_DUMP}), one
 * {@code NLM_F_MULTI} message per object and {@code NLMSG_DONE}, in datagrams of at most
 * {@link #dumpMessagesPerDatagram(int)} messages. A request with a bad header is dropped
 * silently, as the kernel does.
 *
 * <p><b>The model.</b>
 * <ul>
 *   <li>Links by index (from 1, never reused) and name, with {@code IFF_*} flags, MTU and MTU
 *       limits. {@code lo} exists from the start (index 1, down, MTU 65536, {@code RTM_DELLINK}
 *       gives {@code EOPNOTSUPP}); {@link #addLink} adds a TUN-like link (68..65535).
 *       {@code RTM_GETLINK} finds a link by {@code ifi_index}, else by {@code IFLA_IFNAME}
 *       ({@code ENODEV} if absent). {@code RTM_NEWLINK} on an existing link applies
 *       {@code IFLA_MTU} ({@code EINVAL} outside the limits, with the kernel's message; below
 *       1280 it drops the link's IPv6 addresses, as the kernel does) and {@code IFF_UP} under
 *       {@code ifi_change} (0 meaning all bits, the kernel's "bugwards compatibility"),
 *       {@code IFLA_MASTER} (0 releases; {@code EINVAL} for a missing master or {@code lo},
 *       {@code EOPNOTSUPP} unless the master is a bridge, {@code ELOOP} for a bridge into a
 *       bridge) and {@code IFLA_NET_NS_FD}/{@code IFLA_NET_NS_PID}: the link leaves this namespace
 *       (its addresses, routes and neighbour entries go; {@code EINVAL} for {@code lo}); the
 *       other attributes of such a request are ignored. With {@code NLM_F_CREATE} and a free
 *       {@code IFLA_IFNAME} it creates what {@code IFLA_LINKINFO}/{@code IFLA_INFO_KIND} names:
 *       a {@code "bridge"}, or a {@code "veth"} pair whose peer is named in
 *       {@code VETH_INFO_PEER} (created here unless the peer has {@code IFLA_NET_NS_FD}/
 *       {@code PID}: then it is in a namespace this model does not hold); both Ethernet-like
 *       ({@code IFF_BROADCAST | IFF_MULTICAST}, MTU 1500, limits 68..65535), down. A taken name
 *       gives {@code EEXIST} with {@code NLM_F_EXCL}, another kind {@code EOPNOTSUPP}
 *       ("Unknown device type"), a missing name {@code EINVAL} (the kernel would pick one;
 *       this model does not). Deleting a veth end deletes its peer; deleting a bridge
 *       releases its ports. Without {@code NLM_F_CREATE} a missing link is {@code ENODEV}.
 *       {@link #kind}, {@link #peer} and {@link #master} read these back.</li>
 *   <li>Addresses per link, listed and dumped in the kernel's order (IPv4 in the order added,
 *       then IPv6 newest first; a dump gives every link's IPv4 addresses, then the IPv6 ones):
 *       {@code RTM_NEWADDR} gives {@code EEXIST} for an address already
 *       there (IPv4: same address and prefix; IPv6: same address), {@code EACCES} for IPv6 on a
 *       link where {@link #disableIpv6} was called or whose MTU is below 1280;
 *       {@code RTM_DELADDR} gives {@code EADDRNOTAVAIL} unless address and prefix match.</li>
 *   <li>Routes with destination, optional gateway, link ({@code RTA_OIF}), table
 *       ({@code RTA_TABLE}, else {@code rtm_table}) and metric ({@code RTA_PRIORITY}, else 0;
 *       1024 for IPv6, as the kernel gives): {@code RTM_NEWROUTE} gives {@code EEXIST} for the
 *       same table, destination and metric, {@code ENETDOWN} for IPv4 over a link that is down,
 *       {@code ENETUNREACH} for an IPv4 gateway that no up link (the given one, if any) has an
 *       address on the subnet of (the link is then taken from it); IPv6 gateways are not
 *       checked. {@code RTM_DELROUTE} deletes the first route of the table with the destination
 *       and, where given, the gateway, link and metric; {@code ESRCH} if none.
 *       {@link #routes()} lists them.</li>
 *   <li>Neighbour entries by link and address, with link-layer address and {@code NUD_*}
 *       state: {@code RTM_NEWNEIGH} gives {@code EEXIST} for an entry already there with
 *       {@code NLM_F_EXCL} (replaces it with {@code NLM_F_REPLACE}), {@code ENODEV} for a missing
 *       link, {@code EINVAL} for a link-layer address shorter than an Ethernet link's 6 bytes;
 *       {@code RTM_DELNEIGH} gives {@code ENOENT} if absent. {@link #neighbours()} lists them.
 *       Deleting a link deletes its addresses, routes and neighbour entries.</li>
 *   <li>Privilege: after {@link #privileged(boolean) privileged(false)} every
 *       {@code RTM_NEW*}/{@code RTM_DEL*} gives {@code EPERM} (reads still work), as for a
 *       process without {@code CAP_NET_ADMIN}. Unknown message types give {@code EOPNOTSUPP}.</li>
 * </ul>
 * Not modelled: flags other than {@code IFF_UP} (so no {@code IFF_RUNNING}/carrier, and no
 * traffic through veth pairs or bridges), what going down does to addresses, secondary IPv4
 * addresses, other namespaces (a link sent to one is gone; {@code RtNetlink.openIn} always opens a
 * kernel socket), neighbour and route dumps, link kinds other than TUN, veth and bridge.
 *
 * <p><b>Notifications.</b> A channel opened with {@link RtmType#RTMGRP_LINK} receives
 * {@code RTM_NEWLINK} whenever a link appears or its flags or MTU change, and {@code RTM_DELLINK}
 * when it goes (preceded by an {@code RTM_NEWLINK} without {@code IFF_UP} if it was up), from a
 * request on any channel or from the test's own {@link #addLink}, {@link #setLinkUp},
 * {@link #setMtu} and {@link #deleteLink}; {@code RTMGRP_IPV4_IFADDR}/{@code RTMGRP_IPV6_IFADDR}
 * channels receive {@code RTM_NEWADDR}/{@code RTM_DELADDR}. Notifications carry port 0 and
 * sequence 0, one message per datagram.
 *
 * <p><b>Scripted faults.</b> {@link #failNext(int, int, String)} answers the next request of a
 * type with an errno, without touching the model; {@link #ignoreNext(int)} sends no reply at all
 * (a blocking receive then times out: {@code -EAGAIN}); {@link #refuseOpen(int)} fails the next
 * {@link #open}. Per channel: {@link Channel#failNextSend(int)}, {@link Channel#failNextReceive(int)},
 * {@link Channel#overflow()} (queued messages lost, then {@code -ENOBUFS}), and
 * {@link Channel#deliver(byte[])} for a raw datagram of the test's own making.
 *
 * <p>Single-threaded, like the code under test (a {@link RtNetlink} is thread-safe itself, but
 * this kernel must then be used from one thread at a time). Receives never block: whatever a
 * request causes is queued before {@link Channel#send} returns. fds start at 16384.
 */
public final class MemoryNetlink implements NetlinkChannel.Opener {
    /** The first port id handed out; each channel gets the next. */
    public static final int FIRST_PORT_ID = 0x10000;
    /** The first fd handed out; no real process has fds this high. */
    public static final int FIRST_FD = 16384;

    private static final int ESRCH = 3;
    private static final int ELOOP = 40;
    private static final int ENETUNREACH = 101;
    private static final int ARPHRD_ETHER = 1;
    private static final int IPV6_DEFAULT_METRIC = 1024;
    private static final int ARPHRD_NONE = 0xFFFE;
    private static final int IFA_F_PERMANENT = 0x80;
    private static final int TUN_FLAGS = IfInfoMsg.IFF_POINTOPOINT | IfInfoMsg.IFF_NOARP | IfInfoMsg.IFF_MULTICAST;

    private final Map<Integer, Link> links = new TreeMap<>();
    private final List<Route> routes = new ArrayList<>();
    private final List<Neighbour> neighbours = new ArrayList<>();
    private final List<Request> requests = new ArrayList<>();
    private final List<Channel> channels = new ArrayList<>();
    private final Map<Integer, Deque<Integer>> faults = new HashMap<>();
    private final Map<Integer, Deque<String>> faultMessages = new HashMap<>();
    private boolean privileged = true;
    private int refuseOpen;
    private int dumpMessagesPerDatagram = Integer.MAX_VALUE;
    private int nextIndex = 1;
    private int nextPortId = FIRST_PORT_ID;
    private int nextFd = FIRST_FD;

    private static final class Link {
        final int index;
        final String name;
        final int minMtu;
        final int maxMtu;
        final boolean deletable;
        final List<LinkAddress> addresses = new ArrayList<>();
        int flags;
        int mtu;
        boolean ipv6Disabled;
        String kind = "tun";
        int peer;
        int master;

        Link(int index, String name, int flags, int mtu, int minMtu, int maxMtu, boolean deletable) {
            this.index = index;
            this.name = name;
            this.flags = flags;
            this.mtu = mtu;
            this.minMtu = minMtu;
            this.maxMtu = maxMtu;
            this.deletable = deletable;
        }

        boolean up() {
            return (flags & IfInfoMsg.IFF_UP) != 0;
        }
    }

    private record Route(LinkAddress destination, InetAddress gateway, int index, int table, int metric) {
        boolean matches(Route wanted) {
            return table == wanted.table && destination.equals(wanted.destination)
                && (wanted.gateway == null || wanted.gateway.equals(gateway))
                && (wanted.index == 0 || wanted.index == index)
                && (wanted.metric == 0 || wanted.metric == metric);
        }
    }

    private record Neighbour(int index, InetAddress address, byte[] linkAddress, int state) {
    }

    /** A fresh namespace: only {@code lo} (index 1, down, MTU 65536); privileged; no channels. */
    public MemoryNetlink() {
        Link lo = new Link(nextIndex++, "lo", IfInfoMsg.IFF_LOOPBACK, 65536, 0, 0, false);
        lo.kind = null;
        links.put(lo.index, lo);
    }

    // ---------------------------------------------------------------- opening channels

    /**
     * Opens a channel bound to the next port id, as {@code socket} + {@code bind} would.
     *
     * @param groups {@code RTMGRP_*} groups whose notifications it receives
     * @param nonBlocking recorded only ({@link Channel#nonBlocking()}): receives never wait here
     * @return the channel
     * @throws ErrnoException {@code socket(AF_NETLINK, NETLINK_ROUTE)} with the errno given to
     *     {@link #refuseOpen(int)}, once
     */
    @Override
    public Channel open(int groups, boolean nonBlocking) throws ErrnoException {
        if (refuseOpen != 0) {
            int errno = refuseOpen;
            refuseOpen = 0;
            throw new ErrnoException("socket(AF_NETLINK, NETLINK_ROUTE)", null, errno);
        }
        Channel channel = new Channel(nextFd++, nextPortId++, groups, nonBlocking);
        channels.add(channel);
        return channel;
    }

    /**
     * Makes the next {@link #open} fail.
     *
     * @param errno the positive errno, e.g. {@link Errno#EMFILE}
     */
    public void refuseOpen(int errno) {
        refuseOpen = errno;
    }

    /**
     * The channels opened and not yet closed, oldest first.
     *
     * @return a snapshot
     */
    public List<Channel> openChannels() {
        return List.copyOf(channels);
    }

    // ---------------------------------------------------------------- the model, from the test's side

    /**
     * Adds a TUN-like link (point-to-point, no ARP, down, MTU limits 68..65535), as
     * {@code ip tuntap add} would, and notifies {@code RTMGRP_LINK}.
     *
     * @param name the interface name
     * @param mtu its MTU
     * @return its index
     * @throws IllegalArgumentException if a link has that name
     */
    public int addLink(String name, int mtu) {
        Objects.requireNonNull(name, "name");
        if (find(name) != null) {
            throw new IllegalArgumentException("a link named " + name + " exists");
        }
        Link link = new Link(nextIndex++, name, TUN_FLAGS, mtu, RtNetlink.MIN_IPV4_MTU, RtNetlink.MAX_MTU, true);
        links.put(link.index, link);
        notifyLink(RtmType.RTM_NEWLINK, link);
        return link.index;
    }

    /**
     * Sets a link up or down, as {@code ip link set} from another process would; notifies
     * {@code RTMGRP_LINK} if that changed it.
     *
     * @param name the interface name
     * @param up true for up
     */
    public void setLinkUp(String name, boolean up) {
        Link link = existing(name);
        changeFlags(link, up ? IfInfoMsg.IFF_UP : 0, IfInfoMsg.IFF_UP);
    }

    /**
     * Sets a link's MTU without checking its limits, as a driver may; notifies if it changed.
     *
     * @param name the interface name
     * @param mtu the new MTU
     */
    public void setMtu(String name, int mtu) {
        changeMtu(existing(name), mtu);
    }

    /**
     * Deletes a link with its addresses and routes, as {@code ip link del} from another process
     * would, with the notifications the kernel sends.
     *
     * @param name the interface name
     */
    public void deleteLink(String name) {
        removeLinkAndPeer(existing(name));
    }

    /**
     * Makes {@code RTM_NEWADDR} of IPv6 addresses on a link fail with {@code EACCES}, as
     * {@code sysctl net.ipv6.conf.NAME.disable_ipv6=1} does (its IPv6 addresses go too).
     *
     * @param name the interface name
     */
    public void disableIpv6(String name) {
        Link link = existing(name);
        link.ipv6Disabled = true;
        dropIpv6Addresses(link);
    }

    /**
     * Whether a link of that name exists.
     *
     * @param name the interface name
     * @return true if it does
     */
    public boolean hasLink(String name) {
        return find(name) != null;
    }

    /**
     * A link as the model has it now.
     *
     * @param name the interface name
     * @return its index, flags, MTU, limits (0 for {@code lo}: none) and addresses
     * @throws IllegalArgumentException if there is no such link
     */
    public LinkInfo link(String name) {
        Link link = existing(name);
        return new LinkInfo(link.index, link.name, link.flags, link.mtu, link.minMtu, link.maxMtu, link.addresses);
    }

    /**
     * The routes, as {@code ip route show} would print them.
     *
     * @return e.g. {@code ["10.8.0.0/16 dev jn0"]}, in the order they were added
     */
    public List<String> routes() {
        List<String> shown = new ArrayList<>();
        for (Route route : routes) {
            Link link = links.get(route.index);
            StringBuilder text = new StringBuilder(route.destination.prefixLength() == 0 ? "default"
                : route.destination.toString());
            if (route.gateway != null) {
                text.append(" via ").append(route.gateway.getHostAddress());
            }
            text.append(" dev ").append(link == null ? "if" + route.index : link.name);
            if (route.table != RtMsg.RT_TABLE_MAIN) {
                text.append(" table ").append(Integer.toUnsignedString(route.table));
            }
            if (route.metric != defaultMetric(route.destination)) {
                text.append(" metric ").append(route.metric);
            }
            shown.add(text.toString());
        }
        return shown;
    }

    /**
     * The neighbour entries, as {@code ip neigh show} would print them.
     *
     * @return e.g. {@code ["10.9.0.2 dev jv0 lladdr 02:00:00:00:00:09 PERMANENT"]}, in the order
     *     they were added
     */
    public List<String> neighbours() {
        List<String> shown = new ArrayList<>();
        for (Neighbour neighbour : neighbours) {
            StringBuilder text = new StringBuilder(neighbour.address.getHostAddress()).append(" dev ")
                .append(links.get(neighbour.index).name);
            if (neighbour.linkAddress.length > 0) {
                text.append(" lladdr ");
                for (int i = 0; i < neighbour.linkAddress.length; i++) {
                    text.append(i == 0 ? "" : ":").append(String.format("%02x", neighbour.linkAddress[i] & 0xff));
                }
            }
            NeighbourState state = NeighbourState.of(neighbour.state);
            text.append(' ').append(state == null ? "0x" + Integer.toHexString(neighbour.state) : state.name());
            shown.add(text.toString());
        }
        return shown;
    }

    /**
     * A link's kind, as {@code ip -d link} shows it in {@code info_kind}.
     *
     * @param name the interface name
     * @return {@code "tun"} for {@link #addLink}'s links, {@code "veth"} or {@code "bridge"} for
     *     links created over netlink, {@code null} for {@code lo}
     * @throws IllegalArgumentException if there is no such link
     */
    public String kind(String name) {
        return existing(name).kind;
    }

    /**
     * The other end of a veth link, as {@code ip link} shows it after the {@code @}.
     *
     * @param name a veth link
     * @return the peer's name, or {@code null} if it is in another namespace or the link is no veth
     * @throws IllegalArgumentException if there is no such link
     */
    public String peer(String name) {
        Link peer = links.get(existing(name).peer);
        return peer == null ? null : peer.name;
    }

    /**
     * The bridge a link is a port of ({@code ip link}'s {@code master}).
     *
     * @param name the interface name
     * @return the bridge's name, or {@code null} if it has none
     * @throws IllegalArgumentException if there is no such link
     */
    public String master(String name) {
        Link master = links.get(existing(name).master);
        return master == null ? null : master.name;
    }

    /**
     * Grants or withdraws {@code CAP_NET_ADMIN}: without it, requests that change anything fail
     * with {@code EPERM}.
     *
     * @param privileged false to refuse changes
     */
    public void privileged(boolean privileged) {
        this.privileged = privileged;
    }

    // ---------------------------------------------------------------- scripting

    /**
     * Answers the next request of {@code type} with {@code NLMSG_ERROR} carrying {@code -errno}
     * and no kernel message, changing nothing. Scripted faults of one type are used in order.
     *
     * @param type e.g. {@link RtmType#RTM_NEWLINK}
     * @param errno the positive errno
     */
    public void failNext(int type, int errno) {
        failNext(type, errno, null);
    }

    /**
     * Answers the next request of {@code type} with {@code NLMSG_ERROR} carrying {@code -errno}
     * and, if given, the extended-ack message the kernel would add.
     *
     * @param type e.g. {@link RtmType#RTM_NEWADDR}
     * @param errno the positive errno
     * @param message e.g. {@code "IPv6 is disabled on this device"}, or {@code null}
     */
    public void failNext(int type, int errno, String message) {
        if (errno <= 0) {
            throw new IllegalArgumentException("errno must be positive: " + errno);
        }
        faults.computeIfAbsent(type, t -> new ArrayDeque<>()).add(errno);
        faultMessages.computeIfAbsent(type, t -> new ArrayDeque<>()).add(message == null ? "" : message);
    }

    /**
     * Sends nothing at all in reply to the next request of {@code type}, changing nothing.
     *
     * @param type e.g. {@link RtmType#RTM_GETLINK}
     */
    public void ignoreNext(int type) {
        faults.computeIfAbsent(type, t -> new ArrayDeque<>()).add(0);
        faultMessages.computeIfAbsent(type, t -> new ArrayDeque<>()).add("");
    }

    /**
     * Splits each dump's replies into datagrams of at most {@code messages} messages
     * ({@code NLMSG_DONE} included), as a kernel does when a dump outgrows one buffer.
     *
     * @param messages at least 1; the default is all in one datagram
     */
    public void dumpMessagesPerDatagram(int messages) {
        if (messages < 1) {
            throw new IllegalArgumentException("messages must be at least 1: " + messages);
        }
        dumpMessagesPerDatagram = messages;
    }

    // ---------------------------------------------------------------- records

    /**
     * Every request sent on any channel, oldest first.
     *
     * @return a snapshot
     */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /**
     * The requests of one type, oldest first.
     *
     * @param type e.g. {@link RtmType#RTM_NEWADDR}
     * @return a snapshot
     */
    public List<Request> requests(int type) {
        List<Request> ofType = new ArrayList<>();
        for (Request request : requests) {
            if (request.type() == type) {
                ofType.add(request);
            }
        }
        return ofType;
    }

    /**
     * The most recent request.
     *
     * @return it
     * @throws IllegalStateException if nothing was sent
     */
    public Request lastRequest() {
        if (requests.isEmpty()) {
            throw new IllegalStateException("no request was sent");
        }
        return requests.getLast();
    }

    /** Forgets the recorded requests (the model is unchanged). */
    public void clearRequests() {
        requests.clear();
    }

    // ---------------------------------------------------------------- request handling

    private void received(Channel channel, byte[] bytes) {
        ByteBuffer message = ByteBuffer.wrap(bytes);
        if (!NlMsgHdr.isValid(message, 0, bytes.length)) {
            return;
        }
        Request request = new Request(Arrays.copyOf(bytes, NlMsgHdr.length(message, 0)));
        requests.add(request);
        Replies replies = new Replies(channel, request);
        Deque<Integer> scripted = faults.get(request.type());
        if (scripted != null && !scripted.isEmpty()) {
            int errno = scripted.poll();
            String text = faultMessages.get(request.type()).poll();
            if (errno != 0) {
                replies.error(errno, text.isEmpty() ? null : text);
            }
            return;
        }
        if ((request.flags() & NlMsgHdr.NLM_F_REQUEST) == 0) {
            replies.ack();
            return;
        }
        int type = request.type();
        boolean changes = type != RtmType.RTM_GETLINK && type != RtmType.RTM_GETADDR && type != RtmType.RTM_GETROUTE
            && type != RtmType.RTM_GETNEIGH;
        if (changes && !privileged) {
            replies.error(Errno.EPERM, null);
            return;
        }
        int errno = switch (type) {
            case RtmType.RTM_GETLINK -> getLink(request, replies);
            case RtmType.RTM_GETADDR -> dumpAddresses(request, replies);
            case RtmType.RTM_NEWLINK -> newLink(request, replies);
            case RtmType.RTM_DELLINK -> deleteLink(request);
            case RtmType.RTM_NEWADDR -> newAddress(request, replies);
            case RtmType.RTM_DELADDR -> deleteAddress(request);
            case RtmType.RTM_NEWROUTE -> newRoute(request, replies);
            case RtmType.RTM_DELROUTE -> deleteRoute(request);
            case RtmType.RTM_NEWNEIGH -> newNeighbour(request, replies);
            case RtmType.RTM_DELNEIGH -> deleteNeighbour(request);
            default -> Errno.EOPNOTSUPP;
        };
        if (errno == Replies.SENT) {
            return;
        }
        if (errno != 0) {
            replies.error(errno, replies.message);
        } else {
            replies.ack();
        }
    }

    private int getLink(Request request, Replies replies) {
        if (request.dump()) {
            List<byte[]> messages = new ArrayList<>();
            for (Link link : links.values()) {
                messages.add(linkMessage(RtmType.RTM_NEWLINK, NlMsgHdr.NLM_F_MULTI, request.sequence(),
                    replies.channel.portId, link));
            }
            replies.dump(messages);
            return Replies.SENT;
        }
        Link link = target(request);
        if (link == null) {
            return Errno.ENODEV;
        }
        replies.channel.queue(linkMessage(RtmType.RTM_NEWLINK, 0, request.sequence(), replies.channel.portId, link));
        return 0;
    }

    private int dumpAddresses(Request request, Replies replies) {
        if (!request.dump()) {
            return Errno.EOPNOTSUPP;
        }
        int family = request.bodyLength() >= IfAddrMsg.LENGTH ? request.ifAddr().family() : 0;
        List<byte[]> messages = new ArrayList<>();
        for (int pass : new int[] {IfAddrMsg.AF_INET, IfAddrMsg.AF_INET6}) {   // the kernel dumps by family
            for (Link link : links.values()) {
                for (LinkAddress address : link.addresses) {
                    if ((family == 0 || family == pass) && family(address) == pass) {
                        messages.add(addressMessage(RtmType.RTM_NEWADDR, NlMsgHdr.NLM_F_MULTI, request.sequence(),
                            replies.channel.portId, link, address));
                    }
                }
            }
        }
        replies.dump(messages);
        return Replies.SENT;
    }

    private int newLink(Request request, Replies replies) {
        if (request.bodyLength() < IfInfoMsg.LENGTH) {
            return Errno.EINVAL;
        }
        Link link = target(request);
        boolean create = (request.flags() & NlMsgHdr.NLM_F_CREATE) != 0;
        if (link == null) {
            return create && request.ifInfo().index() == 0 ? createLink(request, replies) : Errno.ENODEV;
        }
        if (create && (request.flags() & NlMsgHdr.NLM_F_EXCL) != 0) {
            return Errno.EEXIST;
        }
        if (request.attribute(IfInfoMsg.IFLA_NET_NS_FD) != null || request.attribute(IfInfoMsg.IFLA_NET_NS_PID) != null) {
            if (!link.deletable) {
                replies.message = "The device cannot be moved to a different namespace";
                return Errno.EINVAL;
            }
            Link peer = links.get(link.peer);
            if (peer != null) {
                peer.peer = 0;
            }
            removeLink(link);
            return 0;
        }
        byte[] masterAttribute = request.attribute(IfInfoMsg.IFLA_MASTER);
        if (masterAttribute != null) {
            int errno = setMaster(link, request.intAttribute(IfInfoMsg.IFLA_MASTER), replies);
            if (errno != 0) {
                return errno;
            }
        }
        byte[] mtuAttribute = request.attribute(IfInfoMsg.IFLA_MTU);
        int mtu = link.mtu;
        if (mtuAttribute != null) {
            if (mtuAttribute.length < 4) {
                return Errno.EINVAL;
            }
            mtu = request.intAttribute(IfInfoMsg.IFLA_MTU);
            if (link.minMtu > 0 && mtu < link.minMtu) {
                replies.message = "MTU less than device minimum.";
                return Errno.EINVAL;
            }
            if (link.maxMtu > 0 && mtu > link.maxMtu) {
                replies.message = "MTU greater than device maximum.";
                return Errno.EINVAL;
            }
        }
        IfInfoMsg ifInfo = request.ifInfo();
        int before = link.flags;
        int beforeMtu = link.mtu;
        if (mtu != link.mtu) {
            link.mtu = mtu;
            if (mtu < RtNetlink.MIN_IPV6_MTU) {
                dropIpv6Addresses(link);
            }
        }
        if (ifInfo.flags() != 0 || ifInfo.change() != 0) {
            int change = ifInfo.change() == 0 ? -1 : ifInfo.change();
            int wanted = (ifInfo.flags() & change) | (link.flags & ~change);
            link.flags = (link.flags & ~IfInfoMsg.IFF_UP) | (wanted & IfInfoMsg.IFF_UP);
        }
        if (link.flags != before || link.mtu != beforeMtu) {
            notifyLink(RtmType.RTM_NEWLINK, link);
        }
        return 0;
    }

    /** {@code RTM_NEWLINK} with {@code NLM_F_CREATE} for a name not in use: a veth pair or a bridge. */
    private int createLink(Request request, Replies replies) {
        String name = request.stringAttribute(IfInfoMsg.IFLA_IFNAME);
        if (name == null) {
            replies.message = "this model needs IFLA_IFNAME to create a link";
            return Errno.EINVAL;
        }
        ByteBuffer bytes = ByteBuffer.wrap(request.bytes).order(ByteOrder.nativeOrder());
        RtAttr linkInfo = nested(bytes, request.attributesOffset(), request.bytes.length, IfInfoMsg.IFLA_LINKINFO);
        RtAttr kind = linkInfo == null ? null : nested(bytes, linkInfo.payloadOffset(),
            linkInfo.payloadOffset() + linkInfo.payloadLength(), IfInfoMsg.IFLA_INFO_KIND);
        String kindName = kind == null ? null : kind.getString();
        if ("bridge".equals(kindName)) {
            addEthernetLink(name, "bridge");
            return 0;
        }
        if (!"veth".equals(kindName)) {
            replies.message = "Unknown device type";
            return Errno.EOPNOTSUPP;
        }
        RtAttr data = nested(bytes, linkInfo.payloadOffset(), linkInfo.payloadOffset() + linkInfo.payloadLength(),
            IfInfoMsg.IFLA_INFO_DATA);
        RtAttr peerInfo = data == null ? null : nested(bytes, data.payloadOffset(),
            data.payloadOffset() + data.payloadLength(), IfInfoMsg.VETH_INFO_PEER);
        if (peerInfo == null || peerInfo.payloadLength() < IfInfoMsg.LENGTH) {
            replies.message = "this model needs VETH_INFO_PEER with the peer's name";
            return Errno.EINVAL;
        }
        int peerAttributes = peerInfo.payloadOffset() + IfInfoMsg.LENGTH;
        int peerEnd = peerInfo.payloadOffset() + peerInfo.payloadLength();
        RtAttr peerName = nested(bytes, peerAttributes, peerEnd, IfInfoMsg.IFLA_IFNAME);
        if (peerName == null) {
            replies.message = "this model needs the peer's IFLA_IFNAME";
            return Errno.EINVAL;
        }
        boolean peerHere = nested(bytes, peerAttributes, peerEnd, IfInfoMsg.IFLA_NET_NS_FD) == null
            && nested(bytes, peerAttributes, peerEnd, IfInfoMsg.IFLA_NET_NS_PID) == null;
        if (peerHere && (find(peerName.getString()) != null || peerName.getString().equals(name))) {
            return Errno.EEXIST;
        }
        Link link = addEthernetLink(name, "veth");
        if (peerHere) {
            Link peer = addEthernetLink(peerName.getString(), "veth");
            link.peer = peer.index;
            peer.peer = link.index;
        }
        return 0;
    }

    private Link addEthernetLink(String name, String kind) {
        Link link = new Link(nextIndex++, name, IfInfoMsg.IFF_BROADCAST | IfInfoMsg.IFF_MULTICAST, 1500,
            RtNetlink.MIN_IPV4_MTU, RtNetlink.MAX_MTU, true);
        link.kind = kind;
        links.put(link.index, link);
        notifyLink(RtmType.RTM_NEWLINK, link);
        return link;
    }

    /** The first attribute of a type between {@code start} and {@code end}, or null. */
    private static RtAttr nested(ByteBuffer bytes, int start, int end, int type) {
        RtAttr attribute = new RtAttr();
        for (boolean more = attribute.first(bytes, start, end); more; more = attribute.next()) {
            if ((attribute.type() & RtAttr.NLA_TYPE_MASK) == type) {
                return attribute;
            }
        }
        return null;
    }

    /** {@code IFLA_MASTER}: 0 releases; otherwise the master must be a bridge that is not the link. */
    private int setMaster(Link link, int masterIndex, Replies replies) {
        if (masterIndex == 0) {
            link.master = 0;
            return 0;
        }
        Link master = links.get(masterIndex);
        if (master == null || !link.deletable) {
            return Errno.EINVAL;
        }
        if (!"bridge".equals(master.kind)) {
            return Errno.EOPNOTSUPP;
        }
        if ("bridge".equals(link.kind)) {
            replies.message = "Can not enslave a bridge to a bridge";
            return ELOOP;
        }
        link.master = masterIndex;
        return 0;
    }

    private int newNeighbour(Request request, Replies replies) {
        Neighbour wanted = requestedNeighbour(request);
        if (wanted == null) {
            return Errno.EINVAL;
        }
        Link link = links.get(wanted.index);
        if (link == null) {
            return Errno.ENODEV;
        }
        int addressLength = link.kind == null || link.kind.equals("tun") ? 0 : 6;
        if (wanted.linkAddress.length < addressLength) {
            replies.message = "Invalid link address";
            return Errno.EINVAL;
        }
        for (int i = 0; i < neighbours.size(); i++) {
            Neighbour present = neighbours.get(i);
            if (present.index == wanted.index && present.address.equals(wanted.address)) {
                if ((request.flags() & NlMsgHdr.NLM_F_EXCL) != 0) {
                    return Errno.EEXIST;
                }
                if ((request.flags() & NlMsgHdr.NLM_F_REPLACE) == 0) {
                    return 0;
                }
                neighbours.set(i, wanted);
                return 0;
            }
        }
        if ((request.flags() & NlMsgHdr.NLM_F_CREATE) == 0) {
            return Errno.ENOENT;
        }
        neighbours.add(wanted);
        return 0;
    }

    private int deleteNeighbour(Request request) {
        Neighbour wanted = requestedNeighbour(request);
        if (wanted == null) {
            return Errno.EINVAL;
        }
        if (!links.containsKey(wanted.index)) {
            return Errno.ENODEV;
        }
        return neighbours.removeIf(n -> n.index == wanted.index && n.address.equals(wanted.address))
            ? 0 : Errno.ENOENT;
    }

    private static Neighbour requestedNeighbour(Request request) {
        if (request.bodyLength() < NdMsg.LENGTH) {
            return null;
        }
        NdMsg ndMsg = request.ndMsg();
        int size = ndMsg.family() == IfAddrMsg.AF_INET ? 4 : ndMsg.family() == IfAddrMsg.AF_INET6 ? 16 : -1;
        byte[] destination = request.attribute(NdMsg.NDA_DST);
        if (destination == null || destination.length != size) {
            return null;
        }
        byte[] linkAddress = request.attribute(NdMsg.NDA_LLADDR);
        return new Neighbour(ndMsg.index(), address(destination), linkAddress == null ? new byte[0] : linkAddress,
            ndMsg.state());
    }

    private int deleteLink(Request request) {
        if (request.bodyLength() < IfInfoMsg.LENGTH) {
            return Errno.EINVAL;
        }
        Link link = target(request);
        if (link == null) {
            return Errno.ENODEV;
        }
        if (!link.deletable) {
            return Errno.EOPNOTSUPP;
        }
        removeLinkAndPeer(link);
        return 0;
    }

    private int newAddress(Request request, Replies replies) {
        LinkAddress address = requestedAddress(request);
        if (address == null) {
            return Errno.EINVAL;
        }
        Link link = links.get(request.ifAddr().index());
        if (link == null) {
            return Errno.ENODEV;
        }
        if (address.isIpv6() && (link.ipv6Disabled || link.mtu < RtNetlink.MIN_IPV6_MTU)) {
            replies.message = "IPv6 is disabled on this device";
            return Errno.EACCES;
        }
        for (LinkAddress present : link.addresses) {
            boolean same = address.isIpv6() ? present.address().equals(address.address()) : present.equals(address);
            if (same && (request.flags() & NlMsgHdr.NLM_F_REPLACE) == 0) {
                return Errno.EEXIST;
            }
        }
        // The kernel's order: IPv4 in the order added, then IPv6 newest first.
        int ipv4 = 0;
        for (LinkAddress present : link.addresses) {
            ipv4 += present.isIpv6() ? 0 : 1;
        }
        link.addresses.add(ipv4, address);
        notifyAddress(RtmType.RTM_NEWADDR, link, address);
        return 0;
    }

    private int deleteAddress(Request request) {
        LinkAddress address = requestedAddress(request);
        if (address == null) {
            return Errno.EINVAL;
        }
        Link link = links.get(request.ifAddr().index());
        if (link == null) {
            return Errno.ENODEV;
        }
        if (!link.addresses.remove(address)) {
            return Errno.EADDRNOTAVAIL;
        }
        notifyAddress(RtmType.RTM_DELADDR, link, address);
        return 0;
    }

    private int newRoute(Request request, Replies replies) {
        Route route = requestedRoute(request);
        if (route == null) {
            return Errno.EINVAL;
        }
        Link link = route.index == 0 ? null : links.get(route.index);
        if (route.index != 0 && link == null) {
            return Errno.ENODEV;
        }
        if (route.gateway != null && !route.destination.isIpv6()) {
            Link onLink = gatewayLink(route.gateway, link);
            if (onLink == null) {
                replies.message = "Nexthop has invalid gateway";
                return ENETUNREACH;
            }
            link = onLink;
            route = new Route(route.destination, route.gateway, link.index, route.table, route.metric);
        }
        if (link == null) {
            replies.message = "this model needs RTA_OIF or an IPv4 RTA_GATEWAY";
            return Errno.EINVAL;
        }
        for (Route present : routes) {
            if (present.table == route.table && present.destination.equals(route.destination)
                && present.metric == route.metric) {
                return Errno.EEXIST;
            }
        }
        if (!route.destination.isIpv6() && !link.up()) {
            replies.message = "Device for nexthop is not up";
            return Errno.ENETDOWN;
        }
        routes.add(route);
        return 0;
    }

    /** The link that reaches an IPv4 gateway: {@code via} (if given) or any, up, with an address on its subnet. */
    private Link gatewayLink(InetAddress gateway, Link via) {
        for (Link link : links.values()) {
            if ((via == null || via == link) && link.up()) {
                for (LinkAddress address : link.addresses) {
                    if (!address.isIpv6() && onSubnet(gateway, address)) {
                        return link;
                    }
                }
            }
        }
        return null;
    }

    private static boolean onSubnet(InetAddress candidate, LinkAddress subnet) {
        byte[] a = candidate.getAddress();
        byte[] b = subnet.address().getAddress();
        for (int bit = 0; bit < subnet.prefixLength(); bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((a[bit / 8] & mask) != (b[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    private int deleteRoute(Request request) {
        Route wanted = requestedRoute(request);
        if (wanted == null) {
            return Errno.EINVAL;
        }
        if (request.attribute(RtMsg.RTA_PRIORITY) == null) {   // no metric given: any matches
            wanted = new Route(wanted.destination, wanted.gateway, wanted.index, wanted.table, 0);
        }
        for (Route present : routes) {
            if (present.matches(wanted)) {
                routes.remove(present);
                return 0;
            }
        }
        return ESRCH;
    }

    private Link target(Request request) {
        if (request.bodyLength() >= IfInfoMsg.LENGTH && request.ifInfo().index() != 0) {
            return links.get(request.ifInfo().index());
        }
        String name = request.stringAttribute(IfInfoMsg.IFLA_IFNAME);
        return name == null ? null : find(name);
    }

    private static LinkAddress requestedAddress(Request request) {
        if (request.bodyLength() < IfAddrMsg.LENGTH) {
            return null;
        }
        IfAddrMsg ifAddr = request.ifAddr();
        byte[] bytes = request.attribute(IfAddrMsg.IFA_LOCAL);
        if (bytes == null) {
            bytes = request.attribute(IfAddrMsg.IFA_ADDRESS);
        }
        int size = ifAddr.family() == IfAddrMsg.AF_INET ? 4 : ifAddr.family() == IfAddrMsg.AF_INET6 ? 16 : -1;
        if (bytes == null || bytes.length != size || ifAddr.prefixLength() > size * 8) {
            return null;
        }
        return new LinkAddress(address(bytes), ifAddr.prefixLength());
    }

    private static Route requestedRoute(Request request) {
        if (request.bodyLength() < RtMsg.LENGTH) {
            return null;
        }
        RtMsg rtMsg = request.rtMsg();
        int size = rtMsg.family() == IfAddrMsg.AF_INET ? 4 : rtMsg.family() == IfAddrMsg.AF_INET6 ? 16 : -1;
        byte[] destination = request.attribute(RtMsg.RTA_DST);
        if (destination == null && size > 0) {
            destination = new byte[size];
        }
        byte[] oif = request.attribute(RtMsg.RTA_OIF);
        byte[] gateway = request.attribute(RtMsg.RTA_GATEWAY);
        byte[] table = request.attribute(RtMsg.RTA_TABLE);
        byte[] metric = request.attribute(RtMsg.RTA_PRIORITY);
        if (size < 0 || destination.length != size || rtMsg.destinationLength() > size * 8
            || (oif != null && oif.length != 4) || (gateway != null && gateway.length != size)
            || (table != null && table.length != 4) || (metric != null && metric.length != 4)
            || (oif == null && gateway == null)) {
            return null;
        }
        LinkAddress prefix = new LinkAddress(address(destination), rtMsg.destinationLength());
        return new Route(prefix, gateway == null ? null : address(gateway),
            oif == null ? 0 : request.intAttribute(RtMsg.RTA_OIF),
            table == null ? rtMsg.table() : request.intAttribute(RtMsg.RTA_TABLE),
            metric == null ? defaultMetric(prefix) : request.intAttribute(RtMsg.RTA_PRIORITY));
    }

    /** The metric the kernel gives a route added without {@code RTA_PRIORITY}: 0, or 1024 for IPv6. */
    private static int defaultMetric(LinkAddress destination) {
        return destination.isIpv6() ? IPV6_DEFAULT_METRIC : 0;
    }

    // ---------------------------------------------------------------- model changes with notifications

    private Link find(String name) {
        for (Link link : links.values()) {
            if (link.name.equals(name)) {
                return link;
            }
        }
        return null;
    }

    private Link existing(String name) {
        Link link = find(name);
        if (link == null) {
            throw new IllegalArgumentException("no link named " + name);
        }
        return link;
    }

    private void changeFlags(Link link, int flags, int change) {
        int now = (link.flags & ~change) | (flags & change);
        if (now != link.flags) {
            link.flags = now;
            notifyLink(RtmType.RTM_NEWLINK, link);
        }
    }

    private void changeMtu(Link link, int mtu) {
        if (mtu != link.mtu) {
            link.mtu = mtu;
            if (mtu < RtNetlink.MIN_IPV6_MTU) {
                dropIpv6Addresses(link);
            }
            notifyLink(RtmType.RTM_NEWLINK, link);
        }
    }

    private void removeLinkAndPeer(Link link) {
        Link peer = links.get(link.peer);
        removeLink(link);
        if (peer != null) {
            removeLink(peer);
        }
    }

    private void removeLink(Link link) {
        changeFlags(link, 0, IfInfoMsg.IFF_UP);
        neighbours.removeIf(neighbour -> neighbour.index == link.index);
        for (Link port : links.values()) {
            if (port.master == link.index) {
                port.master = 0;
            }
        }
        for (LinkAddress address : List.copyOf(link.addresses)) {
            link.addresses.remove(address);
            notifyAddress(RtmType.RTM_DELADDR, link, address);
        }
        routes.removeIf(route -> route.index == link.index);
        links.remove(link.index);
        notifyLink(RtmType.RTM_DELLINK, link);
    }

    private void dropIpv6Addresses(Link link) {
        for (LinkAddress address : List.copyOf(link.addresses)) {
            if (address.isIpv6()) {
                link.addresses.remove(address);
                routes.removeIf(route -> route.index == link.index && route.destination.isIpv6());
                notifyAddress(RtmType.RTM_DELADDR, link, address);
            }
        }
    }

    private void notifyLink(int type, Link link) {
        multicast(RtmType.RTMGRP_LINK, linkMessage(type, 0, 0, 0, link));
    }

    private void notifyAddress(int type, Link link, LinkAddress address) {
        int group = address.isIpv6() ? RtmType.RTMGRP_IPV6_IFADDR : RtmType.RTMGRP_IPV4_IFADDR;
        multicast(group, addressMessage(type, 0, 0, 0, link, address));
    }

    private void multicast(int group, byte[] message) {
        for (Channel channel : channels) {
            if ((channel.groups & group) != 0) {
                channel.queue(message);
            }
        }
    }

    // ---------------------------------------------------------------- encoding kernel messages

    private static NlMsgWriter writer(int capacity) {
        return new NlMsgWriter(ByteBuffer.allocate(capacity).order(ByteOrder.nativeOrder()));
    }

    private static byte[] finish(NlMsgWriter writer, int portId) {
        int length = writer.finish();
        new NlMsgHdr().wrap(writer.buffer(), 0).portId(portId);
        return Arrays.copyOf(writer.buffer().array(), length);
    }

    private static byte[] linkMessage(int type, int flags, int sequence, int portId, Link link) {
        NlMsgWriter writer = writer(256);
        writer.begin(type, flags, sequence);
        int body = writer.reserve(IfInfoMsg.LENGTH);
        new IfInfoMsg().wrap(writer.buffer(), body).index(link.index).flags(link.flags);
        writer.buffer().putShort(body + IfInfoMsg.TYPE_OFFSET, (short) ((link.flags & IfInfoMsg.IFF_LOOPBACK) != 0 ? 772
            : "tun".equals(link.kind) ? ARPHRD_NONE : ARPHRD_ETHER));
        writer.attribute(IfInfoMsg.IFLA_IFNAME, link.name);
        writer.attribute(IfInfoMsg.IFLA_TXQLEN, (link.flags & IfInfoMsg.IFF_LOOPBACK) != 0 ? 1000 : 500);
        writer.attribute(IfInfoMsg.IFLA_MTU, link.mtu);
        writer.attribute(IfInfoMsg.IFLA_MIN_MTU, link.minMtu);
        writer.attribute(IfInfoMsg.IFLA_MAX_MTU, link.maxMtu);
        if (link.master != 0) {
            writer.attribute(IfInfoMsg.IFLA_MASTER, link.master);
        }
        if (link.kind != null) {
            int linkInfo = writer.beginNested(IfInfoMsg.IFLA_LINKINFO);
            writer.attribute(IfInfoMsg.IFLA_INFO_KIND, link.kind);
            writer.endNested(linkInfo);
        }
        return finish(writer, portId);
    }

    private static byte[] addressMessage(int type, int flags, int sequence, int portId, Link link,
                                         LinkAddress address) {
        NlMsgWriter writer = writer(256);
        writer.begin(type, flags, sequence);
        boolean loopback = address.address().isLoopbackAddress();
        boolean linkLocal = address.address().isLinkLocalAddress();
        new IfAddrMsg().wrap(writer.buffer(), writer.reserve(IfAddrMsg.LENGTH)).family(family(address))
            .prefixLength(address.prefixLength()).flags(IFA_F_PERMANENT)
            .scope(loopback ? IfAddrMsg.RT_SCOPE_HOST : linkLocal ? IfAddrMsg.RT_SCOPE_LINK : IfAddrMsg.RT_SCOPE_UNIVERSE)
            .index(link.index);
        byte[] bytes = address.address().getAddress();
        writer.attribute(IfAddrMsg.IFA_ADDRESS, bytes);
        if (!address.isIpv6()) {
            writer.attribute(IfAddrMsg.IFA_LOCAL, bytes);
            writer.attribute(IfAddrMsg.IFA_LABEL, link.name);
        }
        return finish(writer, portId);
    }

    private static int family(LinkAddress address) {
        return address.address() instanceof Inet4Address ? IfAddrMsg.AF_INET : IfAddrMsg.AF_INET6;
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }

    /** The replies to one request, queued on the channel that sent it. */
    private static final class Replies {
        static final int SENT = -1;

        final Channel channel;
        final Request request;
        String message;

        Replies(Channel channel, Request request) {
            this.channel = channel;
            this.request = request;
        }

        void ack() {
            if ((request.flags() & NlMsgHdr.NLM_F_ACK) != 0) {
                error(0, null);
            }
        }

        void error(int errno, String text) {
            NlMsgWriter writer = writer(256);
            int flags = NlMsgHdr.NLM_F_CAPPED | (text == null ? 0 : NlMsgHdr.NLM_F_ACK_TLVS);
            writer.begin(NlMsgHdr.NLMSG_ERROR, flags, request.sequence());
            int payload = writer.reserve(NlMsgErr.LENGTH);
            writer.buffer().putInt(payload + NlMsgErr.ERROR_OFFSET, -errno);
            writer.buffer().put(payload + NlMsgErr.MSG_OFFSET, request.bytes, 0, NlMsgHdr.LENGTH);
            if (text != null) {
                writer.attribute(NlMsgErr.NLMSGERR_ATTR_MSG, text);
            }
            channel.queue(finish(writer, channel.portId));
        }

        void dump(List<byte[]> messages) {
            NlMsgWriter writer = writer(64);
            writer.begin(NlMsgHdr.NLMSG_DONE, NlMsgHdr.NLM_F_MULTI, request.sequence());
            writer.reserve(4);
            List<byte[]> all = new ArrayList<>(messages);
            all.add(finish(writer, channel.portId));
            for (int start = 0; start < all.size(); start += channel.kernel().dumpMessagesPerDatagram) {
                List<byte[]> part = all.subList(start, Math.min(all.size(),
                    start + channel.kernel().dumpMessagesPerDatagram));
                channel.queue(part.toArray(byte[][]::new));
            }
        }
    }

    // ---------------------------------------------------------------- public nested types

    /**
     * One request as a channel sent it: the header fields, the fixed body through jpair's
     * flyweights, and the attributes.
     *
     * <pre>{@code
     * Request request = kernel.lastRequest();
     * request.type();                                  // RtmType.RTM_NEWLINK
     * request.flags();                                 // NLM_F_REQUEST | NLM_F_ACK
     * request.ifInfo().index();                        // 2
     * request.intAttribute(IfInfoMsg.IFLA_MTU);        // 1400
     * }</pre>
     * The body is {@code struct ifinfomsg} for link requests, {@code struct ifaddrmsg} for
     * address requests and {@code struct rtmsg} for route requests; the attributes follow it.
     * Immutable; each accessor that returns a buffer or an array returns a fresh copy.
     */
    public static final class Request {
        private final byte[] bytes;

        Request(byte[] bytes) {
            this.bytes = bytes;
        }

        private ByteBuffer view() {
            return ByteBuffer.wrap(bytes);
        }

        /**
         * {@code nlmsg_type}.
         *
         * @return e.g. {@link RtmType#RTM_NEWADDR}
         */
        public int type() {
            return NlMsgHdr.type(view(), 0);
        }

        /**
         * {@code nlmsg_flags}.
         *
         * @return the {@code NLM_F_*} flags
         */
        public int flags() {
            return new NlMsgHdr().wrap(view(), 0).flags();
        }

        /**
         * {@code nlmsg_seq}.
         *
         * @return the sequence number the replies echo
         */
        public int sequence() {
            return new NlMsgHdr().wrap(view(), 0).sequence();
        }

        /**
         * Whether the request asks for a dump ({@code NLM_F_DUMP}).
         *
         * @return true for a dump
         */
        public boolean dump() {
            return (flags() & NlMsgHdr.NLM_F_DUMP) == NlMsgHdr.NLM_F_DUMP;
        }

        /**
         * The whole message, header included.
         *
         * @return a copy of its bytes
         */
        public byte[] bytes() {
            return bytes.clone();
        }

        /**
         * The message in a buffer for jpair's flyweights (the header at 0, the body at
         * {@link NlMsgHdr#LENGTH}).
         *
         * @return a fresh buffer over a copy
         */
        public ByteBuffer message() {
            return ByteBuffer.wrap(bytes.clone());
        }

        /**
         * The {@code struct ifinfomsg} of a link request.
         *
         * @return a flyweight over a copy
         * @throws IllegalStateException if the body is too short for one
         */
        public IfInfoMsg ifInfo() {
            requireBody(IfInfoMsg.LENGTH, "ifinfomsg");
            return new IfInfoMsg().wrap(message(), NlMsgHdr.LENGTH);
        }

        /**
         * The {@code struct ifaddrmsg} of an address request.
         *
         * @return a flyweight over a copy
         * @throws IllegalStateException if the body is too short for one
         */
        public IfAddrMsg ifAddr() {
            requireBody(IfAddrMsg.LENGTH, "ifaddrmsg");
            return new IfAddrMsg().wrap(message(), NlMsgHdr.LENGTH);
        }

        /**
         * The {@code struct rtmsg} of a route request.
         *
         * @return a flyweight over a copy
         * @throws IllegalStateException if the body is too short for one
         */
        public RtMsg rtMsg() {
            requireBody(RtMsg.LENGTH, "rtmsg");
            return new RtMsg().wrap(message(), NlMsgHdr.LENGTH);
        }

        /**
         * The {@code struct ndmsg} of a neighbour request.
         *
         * @return a flyweight over a copy
         * @throws IllegalStateException if the body is too short for one
         */
        public NdMsg ndMsg() {
            requireBody(NdMsg.LENGTH, "ndmsg");
            return new NdMsg().wrap(message(), NlMsgHdr.LENGTH);
        }

        private void requireBody(int length, String what) {
            if (bodyLength() < length) {
                throw new IllegalStateException(this + ": body too short for a struct " + what);
            }
        }

        int bodyLength() {
            return bytes.length - NlMsgHdr.LENGTH;
        }

        private int attributesOffset() {
            int type = type();
            int body = switch (type) {
                case RtmType.RTM_NEWLINK, RtmType.RTM_DELLINK, RtmType.RTM_GETLINK -> IfInfoMsg.LENGTH;
                case RtmType.RTM_NEWADDR, RtmType.RTM_DELADDR, RtmType.RTM_GETADDR -> IfAddrMsg.LENGTH;
                case RtmType.RTM_NEWROUTE, RtmType.RTM_DELROUTE, RtmType.RTM_GETROUTE -> RtMsg.LENGTH;
                case RtmType.RTM_NEWNEIGH, RtmType.RTM_DELNEIGH, RtmType.RTM_GETNEIGH -> NdMsg.LENGTH;
                default -> bodyLength();
            };
            return NlMsgHdr.LENGTH + NlMsgHdr.align(body);
        }

        /**
         * The attribute types, in order (repeats included).
         *
         * @return e.g. {@code [IFLA_EXT_MASK, IFLA_IFNAME]}
         */
        public List<Integer> attributeTypes() {
            List<Integer> types = new ArrayList<>();
            RtAttr attribute = new RtAttr();
            for (boolean more = attribute.first(view(), attributesOffset(), bytes.length); more;
                 more = attribute.next()) {
                types.add(attribute.type());
            }
            return types;
        }

        /**
         * The payload of the first attribute of a type.
         *
         * @param type e.g. {@link IfAddrMsg#IFA_LOCAL}
         * @return a copy of its payload, or {@code null} if there is none
         */
        public byte[] attribute(int type) {
            RtAttr attribute = find(type);
            return attribute == null ? null : attribute.getBytes();
        }

        /** The first attribute of a type, as a flyweight positioned on it, or null. */
        private RtAttr find(int type) {
            RtAttr attribute = new RtAttr();
            for (boolean more = attribute.first(view(), attributesOffset(), bytes.length); more;
                 more = attribute.next()) {
                if (attribute.type() == type) {
                    return attribute;
                }
            }
            return null;
        }

        /**
         * The first attribute of a type as a host-order u32.
         *
         * @param type e.g. {@link IfInfoMsg#IFLA_MTU}
         * @return the value
         * @throws IllegalStateException if there is no such attribute or it is not 4 bytes
         */
        public int intAttribute(int type) {
            byte[] payload = attribute(type);
            if (payload == null || payload.length != 4) {
                throw new IllegalStateException(this + ": no 4-byte attribute " + type);
            }
            return ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder()).getInt(0);
        }

        /**
         * The first attribute of a type as a string, up to its NUL.
         *
         * @param type e.g. {@link IfInfoMsg#IFLA_IFNAME}
         * @return the string, or {@code null} if there is no such attribute
         */
        public String stringAttribute(int type) {
            RtAttr attribute = find(type);
            return attribute == null ? null : attribute.getString();
        }

        /**
         * The first attribute of a type as an address (network order payload).
         *
         * @param type e.g. {@link IfAddrMsg#IFA_LOCAL} or {@link RtMsg#RTA_DST}
         * @return the address, or {@code null} if there is no 4- or 16-byte such attribute
         */
        public InetAddress addressAttribute(int type) {
            byte[] payload = attribute(type);
            return payload == null || (payload.length != 4 && payload.length != 16) ? null : address(payload);
        }

        /**
         * For failure messages.
         *
         * @return e.g. {@code "RTM_NEWLINK flags=0x5 seq=3 (40 bytes)"}
         */
        @Override
        public String toString() {
            return RtmType.name(type()) + " flags=0x" + Integer.toHexString(flags()) + " seq=" + sequence()
                + " (" + bytes.length + " bytes)";
        }
    }

    /**
     * One channel of this kernel: what {@link #open} returns. Replies and notifications wait in
     * a queue of datagrams until {@link #receive} takes them, one per call.
     */
    public final class Channel implements NetlinkChannel {
        private final int fd;
        private final int portId;
        private final int groups;
        private final boolean nonBlocking;
        private final Deque<byte[]> datagrams = new ArrayDeque<>();
        private boolean closed;
        private boolean overflowed;
        private int sendError;
        private int receiveError;

        Channel(int fd, int portId, int groups, boolean nonBlocking) {
            this.fd = fd;
            this.portId = portId;
            this.groups = groups;
            this.nonBlocking = nonBlocking;
        }

        MemoryNetlink kernel() {
            return MemoryNetlink.this;
        }

        @Override
        public int fileno() {
            return closed ? -1 : fd;
        }

        @Override
        public int portId() {
            return portId;
        }

        /**
         * The multicast groups it was opened with.
         *
         * @return {@code RTMGRP_*} bits
         */
        public int groups() {
            return groups;
        }

        /**
         * Whether it was opened non-blocking (receives never wait here either way).
         *
         * @return as passed to {@link MemoryNetlink#open}
         */
        public boolean nonBlocking() {
            return nonBlocking;
        }

        /**
         * Whether it was closed.
         *
         * @return true after {@link #close()}
         */
        public boolean isClosed() {
            return closed;
        }

        /**
         * How many datagrams wait to be received.
         *
         * @return the count
         */
        public int pending() {
            return datagrams.size();
        }

        /**
         * Hands the request to the kernel model, which queues its replies before this returns.
         *
         * @return {@code length}; {@code -EBADF} once closed; the errno of
         *     {@link #failNextSend(int)}, once
         */
        @Override
        public int send(ByteBuffer buffer, int length) {
            if (closed) {
                return -Errno.EBADF;
            }
            if (sendError != 0) {
                int errno = sendError;
                sendError = 0;
                return -errno;
            }
            byte[] bytes = new byte[length];
            buffer.get(0, bytes);
            received(this, bytes);
            return length;
        }

        /**
         * Takes the oldest waiting datagram, copying what fits.
         *
         * @return its full length (more than the capacity if truncated; the rest is lost, as
         *     with {@code MSG_TRUNC}); {@code -EAGAIN} if none waits; {@code -ENOBUFS} once after
         *     {@link #overflow()}; {@code -EBADF} once closed; the errno of
         *     {@link #failNextReceive(int)}, once
         */
        @Override
        public int receive(ByteBuffer buffer) {
            if (closed) {
                return -Errno.EBADF;
            }
            if (receiveError != 0) {
                int errno = receiveError;
                receiveError = 0;
                return -errno;
            }
            if (overflowed) {
                overflowed = false;
                return -Errno.ENOBUFS;
            }
            byte[] datagram = datagrams.poll();
            if (datagram == null) {
                return -Errno.EAGAIN;
            }
            buffer.put(0, datagram, 0, Math.min(datagram.length, buffer.capacity()));
            return datagram.length;
        }

        /** Closes it: it leaves {@link MemoryNetlink#openChannels()} and gets no more messages. Idempotent. */
        @Override
        public void close() {
            if (!closed) {
                closed = true;
                datagrams.clear();
                channels.remove(this);
            }
        }

        /**
         * Queues a datagram of the test's own making (e.g. from another port, malformed), as if
         * the kernel had sent it.
         *
         * @param datagram one or more netlink messages
         */
        public void deliver(byte[] datagram) {
            if (!closed) {
                datagrams.add(datagram.clone());
            }
        }

        /**
         * Overflows the receive queue: every waiting datagram is lost and the next receive
         * gives {@code -ENOBUFS}, as when notifications come faster than they are read.
         */
        public void overflow() {
            datagrams.clear();
            overflowed = true;
        }

        /**
         * Makes the next {@link #send} fail without reaching the kernel.
         *
         * @param errno the positive errno
         */
        public void failNextSend(int errno) {
            sendError = errno;
        }

        /**
         * Makes the next {@link #receive} fail (what is queued stays queued).
         *
         * @param errno the positive errno, e.g. {@link Errno#EIO}
         */
        public void failNextReceive(int errno) {
            receiveError = errno;
        }

        void queue(byte[]... messages) {
            if (closed) {
                return;
            }
            int total = 0;
            for (byte[] message : messages) {
                total += NlMsgHdr.align(message.length);
            }
            byte[] datagram = new byte[total];
            int at = 0;
            for (byte[] message : messages) {
                System.arraycopy(message, 0, datagram, at, message.length);
                at += NlMsgHdr.align(message.length);
            }
            datagrams.add(datagram);
        }

        /**
         * For failure messages.
         *
         * @return e.g. {@code "MemoryNetlink.Channel(fd 16384, port 65536, groups 0x1, 2 pending)"}
         */
        @Override
        public String toString() {
            return "MemoryNetlink.Channel(fd " + fd + ", port " + portId + ", groups 0x" + Integer.toHexString(groups)
                + ", " + datagrams.size() + " pending" + (closed ? ", closed)" : ")");
        }
    }
}

package io.jpair.netlink;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A blocking rtnetlink client: reads and configures links, addresses and routes by talking to
 * the kernel over a {@code NETLINK_ROUTE} socket (no {@code ip} subprocess).
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
    private static final int EBADMSG = 74;
    private static final int ETIMEDOUT = 110;
    private static final int IFNAMSIZ = 16;

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

    private static void checkName(String name) {
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

    /** Receives one reply message of the current request. */
    @FunctionalInterface
    private interface ReplyMessage {
        void received(int type, int offset) throws ErrnoException;
    }

    private void transact(int length, String operation, String device, boolean dump, ReplyMessage replies)
        throws ErrnoException {
        transact(length, operation, device, null, dump, replies);
    }

    /**
     * Sends the request in {@link #writer} and reads replies with its sequence number until the
     * acknowledgement (or {@code NLMSG_DONE} for a dump), passing the others to {@code replies}.
     */
    private void transact(int length, String operation, String device, String subject, boolean dump,
                          ReplyMessage replies) throws ErrnoException {
        int expected = header.wrap(request, 0).sequence();
        int sent = socket.send(request, length);
        if (sent < 0) {
            throw failure(operation, device, subject, -sent, null);
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
                throw failure(operation, device, subject, -n, null);
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
                if (header.sequence() == expected && header.portId() == socket.portId()) {
                    int type = header.type();
                    if (type == NlMsgHdr.NLMSG_ERROR) {
                        if (messageLength < NlMsgHdr.LENGTH + 4) {
                            throw new ErrnoException(operation, device, EBADMSG, "truncated NLMSG_ERROR");
                        }
                        int error = NlMsgErr.error(reply, header.payloadOffset());
                        if (error != 0) {
                            throw failure(operation, device, subject, -error, NlMsgErr.message(reply, offset));
                        }
                        return;
                    }
                    if (type == NlMsgHdr.NLMSG_DONE) {
                        int error = messageLength >= NlMsgHdr.LENGTH + 4
                            ? HostOrder.getInt(reply, header.payloadOffset()) : 0;
                        if (error < 0) {
                            throw failure(operation, device, subject, -error, null);
                        }
                        if (dump) {
                            return;
                        }
                    } else if (type != NlMsgHdr.NLMSG_NOOP && replies != null) {
                        replies.received(type, offset);
                    }
                }
                offset += NlMsgHdr.align(messageLength);
            }
        }
    }

    private static ErrnoException failure(String operation, String device, String subject, int errno,
                                          String kernelMessage) {
        String hint = hint(operation, errno, subject);
        if (kernelMessage != null) {
            hint = hint == null ? "kernel: " + kernelMessage : hint + " (kernel: " + kernelMessage + ")";
        }
        return new ErrnoException(operation, device, errno, hint);
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
            case Errno.EEXIST -> switch (operation) {
                case "RTM_NEWADDR" -> "address " + what + "is already present on the link";
                case "RTM_NEWROUTE" -> "route " + what + "already exists";
                default -> "it already exists";
            };
            case Errno.EADDRNOTAVAIL -> "address " + what + "is not assigned to the link";
            case ESRCH -> "no such route " + what.strip();
            case Errno.EINVAL -> switch (operation) {
                case "RTM_NEWLINK" -> "the device refused the value (MTU outside its limits?)";
                case "RTM_NEWADDR", "RTM_DELADDR" -> "the kernel refused address " + what.strip();
                case "RTM_NEWROUTE", "RTM_DELROUTE" -> "the kernel refused route " + what.strip();
                default -> "the kernel refused the request's arguments";
            };
            case Errno.ENETDOWN -> "the link is down";
            case Errno.EOPNOTSUPP -> "the device does not support this operation";
            case Errno.EBUSY -> "the device is busy";
            default -> null;
        };
    }
}

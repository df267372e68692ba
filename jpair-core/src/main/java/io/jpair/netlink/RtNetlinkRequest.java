package io.jpair.netlink;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Encodes the rtnetlink requests {@link RtNetlink} sends, byte for byte as {@code ip(8)} does,
 * into an {@link NlMsgWriter}. Each method returns the request's length.
 */
final class RtNetlinkRequest {
    private static final int RT_SCOPE_NOWHERE = 255;
    private static final int ACKED = NlMsgHdr.NLM_F_REQUEST | NlMsgHdr.NLM_F_ACK;
    private static final int DUMP = NlMsgHdr.NLM_F_REQUEST | NlMsgHdr.NLM_F_DUMP;
    private static final int CREATE_NEW = ACKED | NlMsgHdr.NLM_F_CREATE | NlMsgHdr.NLM_F_EXCL;

    private RtNetlinkRequest() {
    }

    /** {@code RTM_GETLINK} of one link by name, statistics left out. */
    static int getLink(NlMsgWriter writer, int sequence, String name) {
        writer.begin(RtmType.RTM_GETLINK, ACKED, sequence);
        writer.reserve(IfInfoMsg.LENGTH);
        writer.attribute(IfInfoMsg.IFLA_EXT_MASK, IfInfoMsg.RTEXT_FILTER_SKIP_STATS);
        writer.attribute(IfInfoMsg.IFLA_IFNAME, name);
        return writer.finish();
    }

    /** {@code RTM_GETLINK} dump of every link, statistics left out. */
    static int dumpLinks(NlMsgWriter writer, int sequence) {
        writer.begin(RtmType.RTM_GETLINK, DUMP, sequence);
        writer.reserve(IfInfoMsg.LENGTH);
        writer.attribute(IfInfoMsg.IFLA_EXT_MASK, IfInfoMsg.RTEXT_FILTER_SKIP_STATS);
        return writer.finish();
    }

    /** {@code RTM_GETADDR} dump of every address of every family. */
    static int dumpAddresses(NlMsgWriter writer, int sequence) {
        writer.begin(RtmType.RTM_GETADDR, DUMP, sequence);
        writer.reserve(IfAddrMsg.LENGTH);
        return writer.finish();
    }

    /** {@code RTM_NEWLINK} changing only {@code IFF_UP} ({@code ip link set dev up|down}). */
    static int setUp(NlMsgWriter writer, int sequence, int index, boolean up) {
        writer.begin(RtmType.RTM_NEWLINK, ACKED, sequence);
        new IfInfoMsg().wrap(writer.buffer(), writer.reserve(IfInfoMsg.LENGTH)).index(index)
            .flags(up ? IfInfoMsg.IFF_UP : 0).change(IfInfoMsg.IFF_UP);
        return writer.finish();
    }

    /** {@code RTM_NEWLINK} with {@code IFLA_MTU} ({@code ip link set dev mtu}). */
    static int setMtu(NlMsgWriter writer, int sequence, int index, int mtu) {
        writer.begin(RtmType.RTM_NEWLINK, ACKED, sequence);
        new IfInfoMsg().wrap(writer.buffer(), writer.reserve(IfInfoMsg.LENGTH)).index(index);
        writer.attribute(IfInfoMsg.IFLA_MTU, mtu);
        return writer.finish();
    }

    /** {@code RTM_DELLINK} ({@code ip link delete dev}). */
    static int deleteLink(NlMsgWriter writer, int sequence, int index) {
        writer.begin(RtmType.RTM_DELLINK, ACKED, sequence);
        new IfInfoMsg().wrap(writer.buffer(), writer.reserve(IfInfoMsg.LENGTH)).index(index);
        return writer.finish();
    }

    /** {@code RTM_NEWADDR}, failing if present ({@code ip addr add A/P dev}). */
    static int newAddress(NlMsgWriter writer, int sequence, int index, LinkAddress address) {
        return address(writer, RtmType.RTM_NEWADDR, CREATE_NEW, sequence, index, address);
    }

    /** {@code RTM_DELADDR} ({@code ip addr del A/P dev}). */
    static int deleteAddress(NlMsgWriter writer, int sequence, int index, LinkAddress address) {
        return address(writer, RtmType.RTM_DELADDR, ACKED, sequence, index, address);
    }

    private static int address(NlMsgWriter writer, int type, int flags, int sequence, int index,
                               LinkAddress address) {
        writer.begin(type, flags, sequence);
        new IfAddrMsg().wrap(writer.buffer(), writer.reserve(IfAddrMsg.LENGTH))
            .family(family(address.address())).prefixLength(address.prefixLength())
            .scope(IfAddrMsg.RT_SCOPE_UNIVERSE).index(index);
        byte[] bytes = address.address().getAddress();
        writer.attribute(IfAddrMsg.IFA_LOCAL, bytes);
        writer.attribute(IfAddrMsg.IFA_ADDRESS, bytes);
        return writer.finish();
    }

    /**
     * {@code RTM_NEWROUTE} of a gateway-less route in the main table, failing if present
     * ({@code ip route add P dev}): link scope for IPv4, universe for IPv6, as {@code ip} does.
     */
    static int newRoute(NlMsgWriter writer, int sequence, int index, LinkAddress prefix) {
        writer.begin(RtmType.RTM_NEWROUTE, CREATE_NEW, sequence);
        new RtMsg().wrap(writer.buffer(), writer.reserve(RtMsg.LENGTH)).family(family(prefix.address()))
            .destinationLength(prefix.prefixLength()).table(RtMsg.RT_TABLE_MAIN).protocol(RtMsg.RTPROT_BOOT)
            .scope(prefix.isIpv6() ? IfAddrMsg.RT_SCOPE_UNIVERSE : IfAddrMsg.RT_SCOPE_LINK)
            .type(RtMsg.RTN_UNICAST);
        routeAttributes(writer, index, prefix);
        return writer.finish();
    }

    /** {@code RTM_DELROUTE} of a route added by {@link #newRoute} ({@code ip route del P dev}). */
    static int deleteRoute(NlMsgWriter writer, int sequence, int index, LinkAddress prefix) {
        writer.begin(RtmType.RTM_DELROUTE, ACKED, sequence);
        new RtMsg().wrap(writer.buffer(), writer.reserve(RtMsg.LENGTH)).family(family(prefix.address()))
            .destinationLength(prefix.prefixLength()).table(RtMsg.RT_TABLE_MAIN).scope(RT_SCOPE_NOWHERE);
        routeAttributes(writer, index, prefix);
        return writer.finish();
    }

    private static void routeAttributes(NlMsgWriter writer, int index, LinkAddress prefix) {
        if (prefix.prefixLength() > 0) {
            writer.attribute(RtMsg.RTA_DST, prefix.address().getAddress());
        }
        writer.attribute(RtMsg.RTA_OIF, index);
    }

    /**
     * {@code RTM_NEWLINK} creating a link of a kind with no kind data, failing if the name is taken
     * ({@code ip link add NAME type bridge}).
     */
    static int newLink(NlMsgWriter writer, int sequence, String name, String kind) {
        writer.begin(RtmType.RTM_NEWLINK, CREATE_NEW, sequence);
        writer.reserve(IfInfoMsg.LENGTH);
        writer.attribute(IfInfoMsg.IFLA_IFNAME, name);
        int linkInfo = writer.beginNested(IfInfoMsg.IFLA_LINKINFO);
        writer.attribute(IfInfoMsg.IFLA_INFO_KIND, kind);
        writer.endNested(linkInfo);
        return writer.finish();
    }

    /**
     * {@code RTM_NEWLINK} creating a veth pair, the peer in the namespace {@code peerNamespaceFd}
     * when it is not negative ({@code ip link add NAME type veth peer name PEER [netns NS]}).
     */
    static int newVeth(NlMsgWriter writer, int sequence, String name, String peer, int peerNamespaceFd) {
        writer.begin(RtmType.RTM_NEWLINK, CREATE_NEW, sequence);
        writer.reserve(IfInfoMsg.LENGTH);
        writer.attribute(IfInfoMsg.IFLA_IFNAME, name);
        int linkInfo = writer.beginNested(IfInfoMsg.IFLA_LINKINFO);
        writer.attribute(IfInfoMsg.IFLA_INFO_KIND, "veth");
        int data = writer.beginNested(IfInfoMsg.IFLA_INFO_DATA);
        int peerInfo = writer.beginNested(IfInfoMsg.VETH_INFO_PEER);
        writer.reserve(IfInfoMsg.LENGTH);
        writer.attribute(IfInfoMsg.IFLA_IFNAME, peer);
        if (peerNamespaceFd >= 0) {
            writer.attribute(IfInfoMsg.IFLA_NET_NS_FD, peerNamespaceFd);
        }
        writer.endNested(peerInfo);
        writer.endNested(data);
        writer.endNested(linkInfo);
        return writer.finish();
    }

    /** {@code RTM_NEWLINK} with one u32 attribute ({@code IFLA_MASTER}, {@code IFLA_NET_NS_FD}). */
    static int setLinkAttribute(NlMsgWriter writer, int sequence, int index, int type, int value) {
        writer.begin(RtmType.RTM_NEWLINK, ACKED, sequence);
        new IfInfoMsg().wrap(writer.buffer(), writer.reserve(IfInfoMsg.LENGTH)).index(index);
        writer.attribute(type, value);
        return writer.finish();
    }

    /**
     * {@code RTM_NEWNEIGH}, failing if an entry for the address exists
     * ({@code ip neigh add ADDRESS lladdr MAC nud STATE dev NAME}).
     */
    static int newNeighbour(NlMsgWriter writer, int sequence, int index, InetAddress address, byte[] linkAddress,
                            NeighbourState state) {
        writer.begin(RtmType.RTM_NEWNEIGH, CREATE_NEW, sequence);
        new NdMsg().wrap(writer.buffer(), writer.reserve(NdMsg.LENGTH)).family(family(address)).index(index)
            .state(state.bits());
        writer.attribute(NdMsg.NDA_DST, address.getAddress());
        writer.attribute(NdMsg.NDA_LLADDR, linkAddress);
        return writer.finish();
    }

    /** {@code RTM_DELNEIGH} ({@code ip neigh del ADDRESS dev NAME}). */
    static int deleteNeighbour(NlMsgWriter writer, int sequence, int index, InetAddress address) {
        writer.begin(RtmType.RTM_DELNEIGH, ACKED, sequence);
        new NdMsg().wrap(writer.buffer(), writer.reserve(NdMsg.LENGTH)).family(family(address)).index(index);
        writer.attribute(NdMsg.NDA_DST, address.getAddress());
        return writer.finish();
    }

    /**
     * {@code RTM_NEWROUTE} of a {@link Route} ({@code ip route add ... [via G] [dev D] [table T]
     * [metric M]}), failing if present; {@code index} 0 leaves the link to the kernel. Scope: link
     * for an IPv4 route without a gateway, universe otherwise, as {@code ip} does. A table above 255
     * goes only in {@code RTA_TABLE}.
     */
    static int newRoute(NlMsgWriter writer, int sequence, int index, Route route) {
        writer.begin(RtmType.RTM_NEWROUTE, CREATE_NEW, sequence);
        boolean onLink = !route.isIpv6() && route.gateway() == null;
        routeBody(writer, route).protocol(RtMsg.RTPROT_BOOT)
            .scope(onLink ? IfAddrMsg.RT_SCOPE_LINK : IfAddrMsg.RT_SCOPE_UNIVERSE).type(RtMsg.RTN_UNICAST);
        routeAttributes(writer, index, route);
        return writer.finish();
    }

    /** {@code RTM_DELROUTE} of a {@link Route}: the kernel deletes the first route matching every field given. */
    static int deleteRoute(NlMsgWriter writer, int sequence, int index, Route route) {
        writer.begin(RtmType.RTM_DELROUTE, ACKED, sequence);
        routeBody(writer, route).scope(RT_SCOPE_NOWHERE);
        routeAttributes(writer, index, route);
        return writer.finish();
    }

    private static RtMsg routeBody(NlMsgWriter writer, Route route) {
        int table = route.table();
        return new RtMsg().wrap(writer.buffer(), writer.reserve(RtMsg.LENGTH))
            .family(family(route.destination().address())).destinationLength(route.destination().prefixLength())
            .table(Integer.compareUnsigned(table, 256) < 0 ? table : RtMsg.RT_TABLE_UNSPEC);
    }

    private static void routeAttributes(NlMsgWriter writer, int index, Route route) {
        if (route.destination().prefixLength() > 0) {
            writer.attribute(RtMsg.RTA_DST, route.destination().address().getAddress());
        }
        writer.attribute(RtMsg.RTA_TABLE, route.table());
        if (route.gateway() != null) {
            writer.attribute(RtMsg.RTA_GATEWAY, route.gateway().getAddress());
        }
        if (index != 0) {
            writer.attribute(RtMsg.RTA_OIF, index);
        }
        if (route.metric() != 0) {
            writer.attribute(RtMsg.RTA_PRIORITY, route.metric());
        }
    }

    private static int family(InetAddress address) {
        return address instanceof Inet4Address ? IfAddrMsg.AF_INET : IfAddrMsg.AF_INET6;
    }
}

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

    private static int family(InetAddress address) {
        return address instanceof Inet4Address ? IfAddrMsg.AF_INET : IfAddrMsg.AF_INET6;
    }
}

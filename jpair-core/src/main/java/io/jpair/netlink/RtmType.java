package io.jpair.netlink;

/**
 * rtnetlink message types ({@code nlmsg_type} values of {@code NETLINK_ROUTE}) and multicast
 * groups, from {@code include/uapi/linux/rtnetlink.h}.
 *
 * <p>See https://man7.org/linux/man-pages/man7/rtnetlink.7.html
 */
public final class RtmType {
    /** {@code RTM_NEWLINK}: create or change a link; also a link's description in replies and events. */
    public static final int RTM_NEWLINK = 16;
    /** {@code RTM_DELLINK}: delete a link; also the event when one goes away. */
    public static final int RTM_DELLINK = 17;
    /** {@code RTM_GETLINK}: get one link (by index or {@code IFLA_IFNAME}) or dump all. */
    public static final int RTM_GETLINK = 18;
    /** {@code RTM_NEWADDR}: add an address; also an address's description. */
    public static final int RTM_NEWADDR = 20;
    /** {@code RTM_DELADDR}: remove an address. */
    public static final int RTM_DELADDR = 21;
    /** {@code RTM_GETADDR}: dump addresses. */
    public static final int RTM_GETADDR = 22;
    /** {@code RTM_NEWROUTE}: add a route; also a route's description. */
    public static final int RTM_NEWROUTE = 24;
    /** {@code RTM_DELROUTE}: delete a route. */
    public static final int RTM_DELROUTE = 25;
    /** {@code RTM_GETROUTE}: get or dump routes. */
    public static final int RTM_GETROUTE = 26;
    /** {@code RTM_NEWNEIGH}: add or change a neighbour entry. */
    public static final int RTM_NEWNEIGH = 28;
    /** {@code RTM_DELNEIGH}: delete a neighbour entry. */
    public static final int RTM_DELNEIGH = 29;
    /** {@code RTM_GETNEIGH}: get or dump neighbour entries. */
    public static final int RTM_GETNEIGH = 30;

    /** {@code RTMGRP_LINK}: multicast group of link changes. */
    public static final int RTMGRP_LINK = 0x1;
    /** {@code RTMGRP_IPV4_IFADDR}: multicast group of IPv4 address changes. */
    public static final int RTMGRP_IPV4_IFADDR = 0x10;
    /** {@code RTMGRP_IPV6_IFADDR}: multicast group of IPv6 address changes. */
    public static final int RTMGRP_IPV6_IFADDR = 0x100;

    private RtmType() {
    }

    /**
     * The symbolic name of a message type, for error messages.
     *
     * @param type an {@code nlmsg_type}
     * @return e.g. {@code "RTM_NEWADDR"}, or {@code "nlmsg_type 99"} for an unknown one
     */
    public static String name(int type) {
        return switch (type) {
            case NlMsgHdr.NLMSG_NOOP -> "NLMSG_NOOP";
            case NlMsgHdr.NLMSG_ERROR -> "NLMSG_ERROR";
            case NlMsgHdr.NLMSG_DONE -> "NLMSG_DONE";
            case NlMsgHdr.NLMSG_OVERRUN -> "NLMSG_OVERRUN";
            case RTM_NEWLINK -> "RTM_NEWLINK";
            case RTM_DELLINK -> "RTM_DELLINK";
            case RTM_GETLINK -> "RTM_GETLINK";
            case RTM_NEWADDR -> "RTM_NEWADDR";
            case RTM_DELADDR -> "RTM_DELADDR";
            case RTM_GETADDR -> "RTM_GETADDR";
            case RTM_NEWROUTE -> "RTM_NEWROUTE";
            case RTM_DELROUTE -> "RTM_DELROUTE";
            case RTM_GETROUTE -> "RTM_GETROUTE";
            case RTM_NEWNEIGH -> "RTM_NEWNEIGH";
            case RTM_DELNEIGH -> "RTM_DELNEIGH";
            case RTM_GETNEIGH -> "RTM_GETNEIGH";
            default -> "nlmsg_type " + type;
        };
    }
}

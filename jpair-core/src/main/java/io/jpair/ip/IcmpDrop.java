package io.jpair.ip;

/**
 * Why {@link IcmpProtocol} or {@link Icmpv6Protocol} dropped a message: one counter per reason.
 * ICMPv6's neighbour discovery ({@code io.jpair.neighbour.NeighbourDiscovery}) counts its drops here
 * too, so each ICMPv6 message ends in one ICMPv6 counter.
 */
public enum IcmpDrop {
    /** Shorter than the message type needs. */
    TRUNCATED,
    /** Checksum wrong (ICMPv6: including the pseudo-header). */
    BAD_CHECKSUM,
    /** A type this stack does not act on (e.g. router advertisements, MLD, unreachables). */
    UNHANDLED_TYPE,
    /**
     * An echo request to a broadcast or multicast address (not answered, as Linux by default), or
     * with no local address to answer from.
     */
    NOT_ANSWERED,
    /** Neighbour discovery with a hop limit other than 255, a non-zero code or a multicast target. */
    INVALID_NEIGHBOR_DISCOVERY,
    /** Neighbour solicitation for an address that is not ours. */
    NOT_OUR_TARGET,
    /** Neighbour discovery on a link without MAC addresses (TUN). */
    NO_LINK_LAYER,
    /** An echo reply refused by the host's ICMP rate limit ({@link TokenBucket}). */
    RATE_LIMITED,
    /** A neighbour advertisement for an address we neither asked about nor know (no cache poisoning). */
    UNSOLICITED_ADVERTISEMENT,
    /** A neighbour advertisement giving a different MAC for a resolved neighbour: not taken, re-solicited. */
    NEIGHBOR_CONFLICT,
    /** A neighbour advertisement for one of our own addresses from another station (a conflict). */
    FOR_OUR_ADDRESS,
    /**
     * An ICMP error whose quote is too short (an IP header and 8 bytes) or is not an IP header
     * of the message's version.
     */
    BAD_QUOTE,
    /** An ICMP error quoting a packet that none of our addresses sent: not ours to act on. */
    NOT_OUR_PACKET,
    /** An ICMP error we would have sent, refused by the error rate limit (Linux's {@code icmp_msgs_per_sec}). */
    ERROR_RATE_LIMITED,
    /** A reply could not be sent. */
    SEND_FAILED
}

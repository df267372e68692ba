package io.jpair.ip;

/** Why {@link IPProtocol} dropped a packet (received or sent): one counter per reason. */
public enum IpDrop {
    /** Shorter than its header, or than its own length fields say (zero-length packets too). */
    TRUNCATED,
    /** A version nibble other than 4 or 6. */
    BAD_VERSION,
    /** The version nibble disagrees with the link's EtherType (e.g. 6 in an 0x0800 frame). */
    VERSION_MISMATCH,
    /** IPv4 IHL below 5. */
    BAD_HEADER_LENGTH,
    /** IPv4 total length smaller than the header. */
    BAD_TOTAL_LENGTH,
    /** IPv4 header checksum wrong. */
    BAD_CHECKSUM,
    /** A fragment, on an IP layer without a {@link Reassembler}. */
    FRAGMENT,
    /**
     * An extension header chain longer than 8, or cut short, or a fragment header inside a
     * reassembled datagram.
     */
    BAD_EXTENSION_HEADER,
    /** IPv6 "no next header" (59): nothing to deliver. */
    NO_NEXT_HEADER,
    /**
     * An IPv4 option whose length is below 2 or runs past the header (RFC 791, RFC 1122 section
     * 3.2.1.8), or an IPv6 option of unknown type whose action bits say discard (RFC 8200
     * section 4.2: 01, 10, 11), or a malformed option area.
     */
    BAD_OPTION,
    /**
     * Source-routed: an IPv4 loose or strict source route option, or an IPv6 routing header with
     * segments left (RH0 among them, RFC 5095). A host is no router (Linux's
     * {@code accept_source_route=0}).
     */
    SOURCE_ROUTED,
    /**
     * From a source no honest packet carries (multicast, broadcast, loopback, 0/8, class E, our own
     * address; IPv6 multicast, loopback, IPv4-mapped, our own), unless martians are accepted.
     */
    MARTIAN_SOURCE,
    /** Addressed to someone else while local addresses are set. */
    NOT_FOR_US,
    /** No protocol registered for the protocol number. */
    UNKNOWN_PROTOCOL,
    /** An upper protocol threw (the packet still went to the other protocols). */
    PROTOCOL_FAILED,
    /** Outbound: no link and no port to send through. */
    NO_LINK,
    /** Outbound: the link or the port refused the packet. */
    SEND_FAILED
}

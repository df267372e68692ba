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
    /** A fragment: reassembly is not implemented. */
    FRAGMENT,
    /** An extension header chain longer than 8, or cut short. */
    BAD_EXTENSION_HEADER,
    /** IPv6 "no next header" (59): nothing to deliver. */
    NO_NEXT_HEADER,
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

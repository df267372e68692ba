package io.jpair.neighbour;

/** Why {@link ArpProtocol} dropped an ARP packet or could not send one: one counter per reason. */
public enum ArpDrop {
    /** Shorter than an Ethernet/IPv4 ARP packet (28 bytes). */
    TRUNCATED,
    /** Not Ethernet hardware with IPv4 addresses. */
    UNSUPPORTED_FORMAT,
    /** An operation other than request (1) or reply (2). */
    UNKNOWN_OPERATION,
    /** A request or gratuitous announcement for an address that is not ours, from a sender we do not know. */
    NOT_FOR_US,
    /** A reply to us from an address we did not ask about (refused: no cache poisoning). */
    UNSOLICITED_REPLY,
    /** A different MAC for a resolved neighbour: not taken, the old MAC kept and probed (revalidation). */
    CONFLICTING_MAC,
    /** A sender hardware address that is multicast or broadcast. */
    GROUP_SENDER,
    /**
     * A sender no honest ARP packet carries: the all-zero MAC, or a loopback (127/8), multicast,
     * class E or limited-broadcast IPv4 address (0.0.0.0 stays allowed: RFC 5227 probes use it).
     */
    BAD_SENDER,
    /**
     * A sender outside every subnet of ours (an address with a prefix shorter than /32): nobody
     * off the link can ARP on it, so such a packet is forged or misrouted; not answered, not learned.
     */
    OFF_LINK_SENDER,
    /** A packet claiming to come from one of our own addresses or our MAC (a conflict or a loop). */
    FROM_OURSELVES,
    /**
     * A VLAN-tagged frame of a VLAN the {@link io.jpair.ethernet.EthernetProtocol} was told to
     * accept: this ARP serves the untagged link only, so it neither answers nor learns it.
     */
    VLAN_TAGGED,
    /** A reply or request could not be written (the port was stopped or the device failed). */
    WRITE_FAILED
}

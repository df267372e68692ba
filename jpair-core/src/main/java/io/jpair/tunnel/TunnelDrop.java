package io.jpair.tunnel;

/** Why a tunnel dropped a packet instead of forwarding it: one counter per reason. */
public enum TunnelDrop {
    /** Inbound: a datagram shorter than the seal's header and tag, or empty. */
    TOO_SHORT,
    /** Inbound: the authentication tag did not verify (a wrong key, a forged or damaged datagram). */
    BAD_TAG,
    /** Inbound: a counter already received, inside the replay window. */
    REPLAYED,
    /** Inbound: a counter older than the replay window can tell. */
    TOO_OLD,
    /** Inbound: a datagram sealed by this very end (sent back to it by someone on the path). */
    REFLECTED,
    /** Inbound: the payload is not an IPv4 or IPv6 packet, so it is not written into the TUN device. */
    NOT_IP,
    /** Outbound: a packet too large for one datagram once sealed. */
    TOO_BIG,
    /** Outbound: the send counter reached its limit; no more packets may be sealed with this key. */
    COUNTER_EXHAUSTED
}

package io.jpair.udp;

/** Why {@link RawUDPProtocol} dropped a datagram (received or sent): one counter per reason. */
public enum UdpDrop {
    /** Shorter than a header, or than its length field says. */
    TRUNCATED,
    /** A length field below 8. */
    BAD_LENGTH,
    /** A wrong checksum. */
    BAD_CHECKSUM,
    /** A zero checksum over IPv6, where it is mandatory (RFC 8200 section 8.1). */
    MISSING_CHECKSUM,
    /** No protocol on the destination port. */
    NO_LISTENER,
    /** A datagram protocol threw (the datagram still went to the other protocols). */
    PROTOCOL_FAILED,
    /** Outbound: the IP layer could not send (no route, no link, device refused). */
    SEND_FAILED
}

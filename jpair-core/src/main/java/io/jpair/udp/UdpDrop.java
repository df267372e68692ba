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
    SEND_FAILED,
    /**
     * Outbound: a reply to port 0 or to a well-known echo-like service port
     * ({@link ReplyGuard#SERVICE_PORTS}): two such services would answer each other forever.
     */
    REPLY_TO_SERVICE_PORT,
    /**
     * Outbound: a reply to a datagram sent to a broadcast or multicast address (amplification:
     * one spoofed datagram to the subnet would make every host answer the victim).
     */
    REPLY_TO_GROUP_DATAGRAM,
    /** Outbound: a reply whose destination would be the unspecified address (0.0.0.0 or ::). */
    REPLY_TO_UNSPECIFIED
}

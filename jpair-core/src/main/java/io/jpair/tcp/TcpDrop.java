package io.jpair.tcp;

/**
 * Why {@link TcpProtocol} dropped an inbound segment (one counter each), or failed to send.
 */
public enum TcpDrop {
    /** Shorter than a TCP header, or than its data offset. */
    TRUNCATED,
    /** Data offset below 5. */
    BAD_HEADER_LENGTH,
    /** Wrong checksum. */
    BAD_CHECKSUM,
    /** Malformed options. */
    BAD_OPTIONS,
    /** Port 0, or a SYN/RST/FIN combination no peer sends. */
    BAD_SEGMENT,
    /** No connection and no listener: answered with a RST (RFC 9293 section 3.5.2). */
    NO_LISTENER,
    /** Outside the receive window (answered with an ACK, RFC 9293 section 3.10.7.4). */
    OUT_OF_WINDOW,
    /** Timestamp older than TS.Recent (PAWS, RFC 7323 section 5), or missing once negotiated. */
    PAWS,
    /** An acknowledgment of data never sent, or too old (RFC 5961 section 5). */
    UNACCEPTABLE_ACK,
    /** An in-window RST or a SYN that got a challenge ACK instead (RFC 5961 sections 3 and 4). */
    CHALLENGED,
    /** An ACK or RST for a listener, or an invalid SYN cookie. */
    LISTENER_REFUSED,
    /** The listen backlog was full and SYN cookies are off. */
    BACKLOG_FULL,
    /** Out-of-order data beyond what the reassembly queue can hold. */
    OUT_OF_ORDER_OVERFLOW,
    /** A protocol callback threw (logged). */
    PROTOCOL_FAILED,
    /** The IP layer refused a segment we sent. */
    SEND_FAILED
}

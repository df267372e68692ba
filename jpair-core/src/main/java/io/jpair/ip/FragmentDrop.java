package io.jpair.ip;

/**
 * Why the {@link Reassembler} dropped a fragment, or a whole datagram in reassembly: one counter
 * per reason. A fragment counted here is not delivered; a datagram reason (overlap, timeout,
 * inconsistent length, too many holes) also discards every fragment held for it.
 */
public enum FragmentDrop {
    /**
     * A fragment entirely inside data already received (an exact or partial duplicate): ignored,
     * the datagram is still reassembled (RFC 5722 erratum 3089, as Linux).
     */
    DUPLICATE,
    /**
     * A fragment overlapping data already received without being inside it: the whole datagram
     * is discarded silently (RFC 5722 for IPv6; Linux does the same for IPv4 since CVE-2018-5391,
     * "FragmentSmack").
     */
    OVERLAP,
    /** A datagram incomplete when its timeout ran out (30 s for IPv4, 60 s for IPv6). */
    TIMEOUT,
    /**
     * A fragment that would make the datagram longer than 65535 bytes (IPv4 total length; IPv6
     * fragmentable part, RFC 8200 section 4.5, answered with a Parameter Problem).
     */
    TOO_BIG,
    /**
     * A fragment that is not the last but whose data is not a multiple of 8 bytes (IPv6: answered
     * with a Parameter Problem pointing at the payload length), or an empty fragment.
     */
    BAD_LENGTH,
    /**
     * A last fragment disagreeing with the length already known, or a fragment reaching past the
     * end the last one set: the datagram is discarded (as Linux's {@code ip_frag_queue}).
     */
    INCONSISTENT_LENGTH,
    /**
     * A datagram whose fragments left more than {@link Reassembler#MAX_RUNS} separate pieces:
     * discarded, so a stream of tiny interleaved fragments costs bounded memory and work.
     */
    TOO_MANY_PIECES,
    /** A fragment of a new datagram while every reassembly slot was busy (the memory bound). */
    MEMORY_LIMIT,
    /** A fragment of a new datagram from a source already holding its share of the slots. */
    SOURCE_LIMIT
}

package io.jpair.tcp;

import java.security.SecureRandom;

/**
 * SYN cookies (RFC 4987 section 3.6, in Linux's layout): a listener under a SYN flood answers a
 * SYN without keeping any state, encoding what it must remember in the SYN-ACK's initial sequence
 * number, and rebuilds the connection from the final ACK.
 *
 * <pre>{@code
 * cookie = H1(4-tuple) + client ISN + (count << 24) + ((H2(4-tuple, count) + mssIndex) mod 2^24)
 *
 * int iss = cookies.cookieV4(local, lport, remote, rport, seg.seq(), peerMss, now);   // SYN
 * int mss = cookies.mssV4(local, lport, remote, rport, seg.seq() - 1, seg.ack() - 1, now); // ACK
 * if (mss == 0) { dropOrReset(); } else { establish(mss); }
 * }</pre>
 *
 * <p>{@code count} is a clock ticking every {@value #TICK_NANOS} ns (Linux's minute counter); a
 * cookie is valid in the tick it was made and the next ({@value #MAX_AGE_TICKS} slots, Linux's
 * {@code MAX_SYNCOOKIE_AGE}), so between one and two minutes. H1 and H2 are SipHash-2-4 under two
 * independent 128-bit keys, as Linux's {@code syncookie_secret[2]}. The MSS is one of four values
 * (536, 1300, 1440, 1460 for IPv4; 1220, 1420, 1440, 8940 for IPv6: Linux's {@code msstab}): the largest not above the client's,
 * or the smallest when the client's is below them all. A forged ACK passes with probability
 * 4/2<sup>24</sup> per try. (As in Linux, an ACK whose sequence number is off by one to three from
 * the client's decodes to another table MSS; that needs the cookie, so it gains an attacker nothing.)
 *
 * <p>What a cookie loses: every other SYN option. Window scaling, SACK-permitted and timestamps
 * are not encoded (Linux hides them in the TSval's low bits when the client sent timestamps; this
 * class does not), so a connection built from a cookie runs with no window scale, no SACK and no
 * timestamps, as RFC 4987 describes. Use cookies only when the SYN backlog overflows (Linux's
 * {@code tcp_syncookies = 1}). Reactor thread only; no allocation.
 */
public final class SynCookies {
    /** The cookie clock's tick: 60 s (Linux's {@code tcp_cookie_time()}). */
    public static final long TICK_NANOS = 60_000_000_000L;
    /** Ticks a cookie stays valid: 2 (the current and the previous one). */
    public static final int MAX_AGE_TICKS = 2;
    /** The IPv4 MSS table: 536, 1300, 1440 (PPPoE and tunnels), 1460 (Ethernet). */
    static final int[] MSS_V4 = {536, 1300, 1440, 1460};
    /** The IPv6 MSS table: 1220 (minimum MTU), 1420, 1440, 8940 (jumbo frames). */
    static final int[] MSS_V6 = {1220, 1420, 1440, 8940};

    private static final int COOKIE_BITS = 24;
    private static final int COOKIE_MASK = (1 << COOKIE_BITS) - 1;

    private final long k0;
    private final long k1;
    private final long k2;
    private final long k3;
    private final SipHash hash = new SipHash();

    /** Cookies under two fresh random keys. */
    public SynCookies() {
        this(new SecureRandom());
    }

    /**
     * Cookies keyed from {@code random}.
     *
     * @param random the source of the two 128-bit keys
     */
    public SynCookies(SecureRandom random) {
        this(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
    }

    /**
     * Cookies with given keys, for tests.
     *
     * @param k0 the first key's first half
     * @param k1 the first key's second half
     * @param k2 the second key's first half
     * @param k3 the second key's second half
     */
    public SynCookies(long k0, long k1, long k2, long k3) {
        this.k0 = k0;
        this.k1 = k1;
        this.k2 = k2;
        this.k3 = k3;
    }

    /**
     * The index in {@code table} of the MSS a cookie encodes for a client's MSS.
     *
     * @param clientMss the MSS option of the SYN (536 or 1220 if it had none)
     * @param table the IPv4 or IPv6 table
     * @return 0 to 3
     */
    static int mssIndex(int clientMss, int[] table) {
        int i = table.length - 1;
        while (i > 0 && clientMss < table[i]) {
            i--;
        }
        return i;
    }

    /**
     * The ISN of a SYN-ACK answering an IPv4 SYN without keeping state.
     *
     * @param localAddress the listener's address
     * @param localPort the listener's port
     * @param remoteAddress the client's address
     * @param remotePort the client's port
     * @param clientIsn the SYN's sequence number
     * @param clientMss the SYN's MSS option (536 when absent)
     * @param nowNanos the reactor's time
     * @return the cookie, to send as the SYN-ACK's sequence number
     */
    public int cookieV4(int localAddress, int localPort, int remoteAddress, int remotePort, int clientIsn, int clientMss,
            long nowNanos) {
        long count = nowNanos / TICK_NANOS;
        int h1 = (int) hash.reset(k0, k1).addV4(localAddress, localPort, remoteAddress, remotePort).finish();
        int h2 = (int) hash.reset(k2, k3).addV4(localAddress, localPort, remoteAddress, remotePort).addLong(count).finish();
        return encode(h1, h2, clientIsn, count, mssIndex(clientMss, MSS_V4));
    }

    /**
     * Checks the final ACK of an IPv4 handshake against its cookie.
     *
     * @param localAddress the listener's address
     * @param localPort the listener's port
     * @param remoteAddress the client's address
     * @param remotePort the client's port
     * @param clientIsn the ACK's sequence number minus 1
     * @param cookie the ACK's acknowledgement number minus 1
     * @param nowNanos the reactor's time
     * @return the MSS the cookie encodes, or 0 if it is not valid (forged, or older than
     *     {@value #MAX_AGE_TICKS} ticks)
     */
    public int mssV4(int localAddress, int localPort, int remoteAddress, int remotePort, int clientIsn, int cookie,
            long nowNanos) {
        long count = nowNanos / TICK_NANOS;
        int h1 = (int) hash.reset(k0, k1).addV4(localAddress, localPort, remoteAddress, remotePort).finish();
        int rest = cookie - h1 - clientIsn;
        int age = ((int) count - (rest >>> COOKIE_BITS)) & 0xFF;
        if (age >= MAX_AGE_TICKS) {
            return 0;
        }
        int h2 = (int) hash.reset(k2, k3).addV4(localAddress, localPort, remoteAddress, remotePort)
            .addLong(count - age).finish();
        int index = (rest - h2) & COOKIE_MASK;
        return index < MSS_V4.length ? MSS_V4[index] : 0;
    }

    /**
     * The ISN of a SYN-ACK answering an IPv6 SYN without keeping state.
     *
     * @param localHigh the listener's address, first eight bytes
     * @param localLow its last eight bytes
     * @param localPort the listener's port
     * @param remoteHigh the client's address, first eight bytes
     * @param remoteLow its last eight bytes
     * @param remotePort the client's port
     * @param clientIsn the SYN's sequence number
     * @param clientMss the SYN's MSS option (1220 when absent)
     * @param nowNanos the reactor's time
     * @return the cookie
     */
    public int cookieV6(long localHigh, long localLow, int localPort, long remoteHigh, long remoteLow, int remotePort,
            int clientIsn, int clientMss, long nowNanos) {
        long count = nowNanos / TICK_NANOS;
        int h1 = (int) hash.reset(k0, k1).addV6(localHigh, localLow, localPort, remoteHigh, remoteLow, remotePort)
            .finish();
        int h2 = (int) hash.reset(k2, k3).addV6(localHigh, localLow, localPort, remoteHigh, remoteLow, remotePort)
            .addLong(count).finish();
        return encode(h1, h2, clientIsn, count, mssIndex(clientMss, MSS_V6));
    }

    /**
     * Checks the final ACK of an IPv6 handshake against its cookie.
     *
     * @param localHigh the listener's address, first eight bytes
     * @param localLow its last eight bytes
     * @param localPort the listener's port
     * @param remoteHigh the client's address, first eight bytes
     * @param remoteLow its last eight bytes
     * @param remotePort the client's port
     * @param clientIsn the ACK's sequence number minus 1
     * @param cookie the ACK's acknowledgement number minus 1
     * @param nowNanos the reactor's time
     * @return the MSS the cookie encodes, or 0 if it is not valid
     */
    public int mssV6(long localHigh, long localLow, int localPort, long remoteHigh, long remoteLow, int remotePort,
            int clientIsn, int cookie, long nowNanos) {
        long count = nowNanos / TICK_NANOS;
        int h1 = (int) hash.reset(k0, k1).addV6(localHigh, localLow, localPort, remoteHigh, remoteLow, remotePort)
            .finish();
        int rest = cookie - h1 - clientIsn;
        int age = ((int) count - (rest >>> COOKIE_BITS)) & 0xFF;
        if (age >= MAX_AGE_TICKS) {
            return 0;
        }
        int h2 = (int) hash.reset(k2, k3).addV6(localHigh, localLow, localPort, remoteHigh, remoteLow, remotePort)
            .addLong(count - age).finish();
        int index = (rest - h2) & COOKIE_MASK;
        return index < MSS_V6.length ? MSS_V6[index] : 0;
    }

    private static int encode(int h1, int h2, int clientIsn, long count, int mssIndex) {
        return h1 + clientIsn + ((int) count << COOKIE_BITS) + ((h2 + mssIndex) & COOKIE_MASK);
    }
}

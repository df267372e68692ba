package io.jpair.ip;

import io.jpair.reactor.ReactorTime;
import java.time.Duration;
import java.util.Objects;

/**
 * Path MTUs learnt from ICMP "fragmentation needed" (IPv4 type 3 code 4, RFC 1191) and "packet
 * too big" (ICMPv6 type 2, RFC 8201) messages, per destination, which {@link IPProtocol#send}
 * fragments to. Install it on the IP layer ({@code IpHost} does):
 *
 * <pre>{@code
 * ip.pathMtu(new PathMtuCache(reactor));
 * }</pre>
 *
 * <p>An entry only ever lowers a path's MTU (a message reporting a larger one is ignored), never
 * below {@link #IPV4_MIN_MTU} ({@code 552}, Linux's {@code net.ipv4.route.min_pmtu}, above RFC
 * 791's 68) or {@link #IPV6_MIN_MTU} (1280, RFC 8200), and expires after
 * {@link #DEFAULT_EXPIRY} (10 minutes, Linux's {@code mtu_expires} and RFC 1191's recommendation),
 * when the link MTU applies again (the upward "probe"). The table is bounded: {@code capacity}
 * entries in open addressing, a new destination replacing the entry that expires first among
 * its probe window. Nothing is allocated after construction; a lookup on an empty table costs
 * one comparison.
 *
 * <p>Reactor thread only.
 */
public final class PathMtuCache {
    /** Entries by default. */
    public static final int DEFAULT_CAPACITY = 256;
    /** How long a learnt MTU holds: Linux's {@code net.ipv4.route.mtu_expires} (600 s). */
    public static final Duration DEFAULT_EXPIRY = Duration.ofMinutes(10);
    /** The lowest IPv4 path MTU taken: Linux's {@code min_pmtu} (512 + 20 + 20). */
    public static final int IPV4_MIN_MTU = 552;
    /** The lowest IPv6 path MTU: the IPv6 minimum link MTU (RFC 8200 section 5). */
    public static final int IPV6_MIN_MTU = 1280;

    private static final int PROBES = 8;
    private static final long IPV4_MAPPED = 0x0000_FFFF_0000_0000L;

    private final ReactorTime clock;
    private final long expiry;
    private final long[] high;
    private final long[] low;
    private final int[] mtu;
    private final long[] expires;
    private final int mask;
    private int size;
    private long lowered;

    /**
     * A cache of {@link #DEFAULT_CAPACITY} entries expiring after {@link #DEFAULT_EXPIRY}.
     *
     * @param clock the reactor's clock
     */
    public PathMtuCache(ReactorTime clock) {
        this(clock, DEFAULT_CAPACITY, DEFAULT_EXPIRY);
    }

    /**
     * A cache of at least {@code capacity} entries (rounded up to a power of two).
     *
     * @param clock the reactor's clock
     * @param capacity entries, 1..65536
     * @param expiry how long an entry holds, positive
     */
    public PathMtuCache(ReactorTime clock, int capacity, Duration expiry) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (capacity < 1 || capacity > 65536) {
            throw new IllegalArgumentException("path MTU cache capacity must be 1..65536, not " + capacity);
        }
        if (expiry.isNegative() || expiry.isZero()) {
            throw new IllegalArgumentException("path MTU expiry must be positive, not " + expiry);
        }
        int slots = Integer.highestOneBit(capacity);
        if (slots < capacity) {
            slots <<= 1;
        }
        this.mask = slots - 1;
        this.high = new long[slots];
        this.low = new long[slots];
        this.mtu = new int[slots];
        this.expires = new long[slots];
        this.expiry = expiry.toNanos();
    }

    /**
     * The key of an IPv4 destination (as an IPv4-mapped IPv6 address, low half; the high half is 0).
     *
     * @param address the IPv4 address as an int
     * @return the low half of the key
     */
    public static long ipv4Key(int address) {
        return IPV4_MAPPED | (address & 0xFFFF_FFFFL);
    }

    /**
     * The path MTU learnt for an IPv4 destination.
     *
     * @param address as an int
     * @return the MTU, or 0 if none is known (use the link's)
     */
    public int ipv4(int address) {
        return lookup(0, ipv4Key(address));
    }

    /**
     * The path MTU learnt for an IPv6 destination.
     *
     * @param destinationHigh high 64 bits
     * @param destinationLow low 64 bits
     * @return the MTU, or 0 if none is known (use the link's)
     */
    public int ipv6(long destinationHigh, long destinationLow) {
        return lookup(destinationHigh, destinationLow);
    }

    /**
     * Lowers the path MTU of an IPv4 destination ({@link #IPV4_MIN_MTU} at least).
     *
     * @param address the destination as an int
     * @param reported the MTU a "fragmentation needed" reported
     * @return true if the path's MTU went down
     */
    public boolean lowerIpv4(int address, int reported) {
        return lower(0, ipv4Key(address), Math.max(reported, IPV4_MIN_MTU));
    }

    /**
     * Lowers the path MTU of an IPv6 destination. A report below {@link #IPV6_MIN_MTU} creates no
     * obligation (RFC 8201 section 4) and is taken as 1280.
     *
     * @param destinationHigh high 64 bits
     * @param destinationLow low 64 bits
     * @param reported the MTU a "packet too big" reported
     * @return true if the path's MTU went down
     */
    public boolean lowerIpv6(long destinationHigh, long destinationLow, int reported) {
        return lower(destinationHigh, destinationLow, Math.max(reported, IPV6_MIN_MTU));
    }

    private int lookup(long h, long l) {
        if (size == 0) {
            return 0;
        }
        long now = clock.nanoTime();
        int i = index(h, l);
        for (int n = 0; n < PROBES; n++, i = (i + 1) & mask) {
            if (mtu[i] != 0 && high[i] == h && low[i] == l) {
                if (expires[i] - now <= 0) {
                    mtu[i] = 0;
                    size--;
                    return 0;
                }
                return mtu[i];
            }
        }
        return 0;
    }

    private boolean lower(long h, long l, int value) {
        long now = clock.nanoTime();
        int i = index(h, l);
        int victim = -1;
        for (int n = 0; n < PROBES; n++, i = (i + 1) & mask) {
            boolean live = mtu[i] != 0 && expires[i] - now > 0;
            if (live && high[i] == h && low[i] == l) {
                if (value >= mtu[i]) {
                    return false;
                }
                mtu[i] = value;
                expires[i] = now + expiry;
                lowered++;
                return true;
            }
            if (!live) {
                if (mtu[i] != 0) {
                    mtu[i] = 0;
                    size--;
                }
                if (victim < 0 || mtu[victim] != 0) {
                    victim = i;
                }
            } else if (victim < 0 || (mtu[victim] != 0 && expires[i] - expires[victim] < 0)) {
                victim = i;
            }
        }
        if (mtu[victim] == 0) {
            size++;
        }
        high[victim] = h;
        low[victim] = l;
        mtu[victim] = value;
        expires[victim] = now + expiry;
        lowered++;
        return true;
    }

    private int index(long h, long l) {
        long x = (h * 0x9E37_79B9_7F4A_7C15L) ^ l;
        x ^= x >>> 29;
        x *= 0xBF58_476D_1CE4_E5B9L;
        x ^= x >>> 32;
        return (int) x & mask;
    }

    /**
     * Destinations with a learnt MTU (some may have expired and not been looked up since).
     *
     * @return the count
     */
    public int size() {
        return size;
    }

    /**
     * How many times a path's MTU was lowered.
     *
     * @return the count
     */
    public long lowered() {
        return lowered;
    }
}

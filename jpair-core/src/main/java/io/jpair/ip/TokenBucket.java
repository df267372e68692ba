package io.jpair.ip;

/**
 * A token bucket limiting how many messages are sent per second, with a burst allowance: the
 * ICMP rate limit of a host (Linux's {@code net.ipv4.icmp_msgs_per_sec} and
 * {@code icmp_msgs_burst}, 1000 and 50 by default).
 *
 * <pre>{@code
 * TokenBucket bucket = new TokenBucket(1000, 50);  // 1000 per second, 50 at once
 * if (bucket.tryTake(reactor.nanoTime())) { send(); } else { dropped++; }
 * }</pre>
 *
 * <p>Kept as one {@code long}, the time the bucket will be full again minus the burst (the
 * "theoretical arrival time" of the generic cell rate algorithm): a take succeeds while that time
 * is at most {@code burst} intervals ahead of now. Time comes from the caller (the reactor's
 * clock), so tests move it by hand. No allocation. One thread (the reactor's).
 */
public final class TokenBucket {
    /** Default rate: 1000 messages per second (Linux's {@code icmp_msgs_per_sec}). */
    public static final int DEFAULT_PER_SECOND = 1000;
    /** Default burst: 50 messages (Linux's {@code icmp_msgs_burst}). */
    public static final int DEFAULT_BURST = 50;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final int perSecond;
    private final int burst;
    private final long interval;
    private final long tolerance;
    private long theoreticalArrival = Long.MIN_VALUE;

    /**
     * A bucket refilled at {@code perSecond} tokens per second, holding at most {@code burst}.
     *
     * @param perSecond the sustained rate; 0 or less means unlimited
     * @param burst tokens available at once, at least 1 (ignored when unlimited)
     * @throws IllegalArgumentException if limited with a burst below 1
     */
    public TokenBucket(int perSecond, int burst) {
        if (perSecond > 0 && burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1, not " + burst);
        }
        this.perSecond = Math.max(perSecond, 0);
        this.burst = burst;
        this.interval = perSecond > 0 ? Math.max(1, NANOS_PER_SECOND / perSecond) : 0;
        this.tolerance = perSecond > 0 ? interval * (burst - 1L) : 0;
    }

    /**
     * A bucket that never refuses.
     *
     * @return an unlimited bucket
     */
    public static TokenBucket unlimited() {
        return new TokenBucket(0, 0);
    }

    /**
     * The Linux defaults: {@value #DEFAULT_PER_SECOND} per second, bursts of {@value #DEFAULT_BURST}.
     *
     * @return a new bucket
     */
    public static TokenBucket defaults() {
        return new TokenBucket(DEFAULT_PER_SECOND, DEFAULT_BURST);
    }

    /**
     * Takes one token if there is one.
     *
     * @param now the current time in nanoseconds (the reactor's {@code nanoTime()})
     * @return true if the message may be sent
     */
    public boolean tryTake(long now) {
        if (interval == 0) {
            return true;
        }
        long arrival = theoreticalArrival == Long.MIN_VALUE || theoreticalArrival - now < 0 ? now : theoreticalArrival;
        if (arrival - now > tolerance) {
            return false;
        }
        theoreticalArrival = arrival + interval;
        return true;
    }

    /**
     * The sustained rate.
     *
     * @return tokens per second, 0 when unlimited
     */
    public int perSecond() {
        return perSecond;
    }

    /**
     * The burst.
     *
     * @return tokens available at once
     */
    public int burst() {
        return burst;
    }

    @Override
    public String toString() {
        return perSecond == 0 ? "TokenBucket[unlimited]" : "TokenBucket[" + perSecond + "/s, burst " + burst + "]";
    }
}

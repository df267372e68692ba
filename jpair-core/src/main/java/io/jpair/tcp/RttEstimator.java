package io.jpair.tcp;

/**
 * The retransmission timeout of one connection, from its round-trip samples (RFC 6298).
 *
 * <pre>{@code
 * before any sample:   RTO = initial (1 s, section 2.1)
 * first sample R:      SRTT = R, RTTVAR = R/2                                  (2.2)
 * later sample R':     RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R'|, SRTT = 7/8 SRTT + 1/8 R'   (2.3)
 * then:                RTO = clamp(SRTT + max(G, 4 RTTVAR), min, max)          (2.4, 2.5)
 * on expiry:           RTO = min(2 RTO, max), kept until the next sample       (5.5)
 * }</pre>
 *
 * <p>The bounds are Linux's and gVisor's rather than the RFC's 1 s floor: a minimum of
 * {@value #DEFAULT_MIN_RTO_NANOS} ns (200 ms, Linux's {@code TCP_RTO_MIN}), a maximum of
 * {@value #DEFAULT_MAX_RTO_NANOS} ns (120 s, Linux's {@code TCP_RTO_MAX}), and an initial RTO of
 * {@value #DEFAULT_INITIAL_RTO_NANOS} ns (1 s). The clock granularity G defaults to
 * {@value #DEFAULT_GRANULARITY_NANOS} ns (1 ms, the timestamp clock); it only matters when the
 * variance is tiny, and keeps the RTO above SRTT on a steady path.
 *
 * <p>Karn's rule (RFC 6298 section 3) is the caller's: never {@link #sample} the round trip of a
 * segment that was retransmitted, because its ACK may belong to either transmission, unless the
 * RTT comes from a timestamp echo (RFC 7323 section 4), which names the transmission it answers.
 * Back-off persists until such a valid sample arrives (section 5.5 and Karn's algorithm), so a
 * path that keeps losing retransmissions keeps its doubled timer.
 *
 * <p>All times are nanoseconds. No allocation; reactor thread only.
 */
public final class RttEstimator {
    /** The initial RTO before any sample: 1 s (RFC 6298 section 2.1). */
    public static final long DEFAULT_INITIAL_RTO_NANOS = 1_000_000_000L;
    /** The lower bound of the RTO: 200 ms (Linux's {@code TCP_RTO_MIN}, gVisor's {@code MinRTO}). */
    public static final long DEFAULT_MIN_RTO_NANOS = 200_000_000L;
    /** The upper bound of the RTO: 120 s (Linux's {@code TCP_RTO_MAX}, gVisor's {@code MaxRTO}). */
    public static final long DEFAULT_MAX_RTO_NANOS = 120_000_000_000L;
    /** The clock granularity G: 1 ms. */
    public static final long DEFAULT_GRANULARITY_NANOS = 1_000_000L;

    private final long minRto;
    private final long maxRto;
    private final long initialRto;
    private final long granularity;
    private long srtt;
    private long rttVar;
    private boolean sampled;
    private long rto;
    private int backOffs;

    /** An estimator with the default bounds, initial RTO and granularity. */
    public RttEstimator() {
        this(DEFAULT_MIN_RTO_NANOS, DEFAULT_MAX_RTO_NANOS, DEFAULT_INITIAL_RTO_NANOS, DEFAULT_GRANULARITY_NANOS);
    }

    /**
     * An estimator with its own bounds.
     *
     * @param minRtoNanos the smallest RTO, at least 1
     * @param maxRtoNanos the largest RTO, at least {@code minRtoNanos}
     * @param initialRtoNanos the RTO before any sample, within the bounds
     * @param granularityNanos the clock granularity G, at least 0
     * @throws IllegalArgumentException if the values are not ordered that way
     */
    public RttEstimator(long minRtoNanos, long maxRtoNanos, long initialRtoNanos, long granularityNanos) {
        if (minRtoNanos < 1 || maxRtoNanos < minRtoNanos || initialRtoNanos < minRtoNanos
                || initialRtoNanos > maxRtoNanos || granularityNanos < 0) {
            throw new IllegalArgumentException("RTO bounds must satisfy 1 <= min <= initial <= max and G >= 0, not min "
                + minRtoNanos + " initial " + initialRtoNanos + " max " + maxRtoNanos + " G " + granularityNanos);
        }
        this.minRto = minRtoNanos;
        this.maxRto = maxRtoNanos;
        this.initialRto = initialRtoNanos;
        this.granularity = granularityNanos;
        this.rto = initialRtoNanos;
    }

    /**
     * Takes one round-trip measurement and recomputes the RTO, ending any back-off. A negative
     * sample (a clock that stepped back) is ignored; zero is a valid sample on a fast path.
     *
     * @param rttNanos the measured round trip of a segment that was not retransmitted (or one
     *     measured by a timestamp echo)
     */
    public void sample(long rttNanos) {
        if (rttNanos < 0) {
            return;
        }
        // Samples beyond the maximum RTO carry no more information and could overflow 4 * RTTVAR.
        long r = Math.min(rttNanos, maxRto);
        if (!sampled) {
            srtt = r;
            rttVar = r / 2;
            sampled = true;
        } else {
            rttVar = rttVar - (rttVar >> 2) + (Math.abs(srtt - r) >> 2);
            srtt = srtt - (srtt >> 3) + (r >> 3);
        }
        backOffs = 0;
        rto = clamp(srtt + Math.max(granularity, 4 * rttVar));
    }

    /**
     * The retransmission timer expired: doubles the RTO, up to the maximum (RFC 6298 section 5.5).
     * The doubled value stays until the next {@link #sample}.
     */
    public void backOff() {
        backOffs++;
        rto = rto > maxRto / 2 ? maxRto : clamp(rto * 2);
    }

    /**
     * Forgets every sample and back-off, as for a new connection: the RTO is the initial one again.
     */
    public void reset() {
        sampled = false;
        srtt = 0;
        rttVar = 0;
        backOffs = 0;
        rto = initialRto;
    }

    /**
     * Forgets every sample and back-off and starts over from {@code rtoNanos} (clamped to the
     * bounds) instead of the initial RTO: RFC 6298 section 5.7's 3 s after a SYN or SYN-ACK timed
     * out.
     *
     * @param rtoNanos the RTO to start data transmission with
     */
    public void restart(long rtoNanos) {
        reset();
        rto = clamp(rtoNanos);
    }

    /**
     * The timeout to arm the retransmission timer with.
     *
     * @return nanoseconds, always within the minimum and maximum
     */
    public long rtoNanos() {
        return rto;
    }

    /**
     * The smoothed round-trip time SRTT.
     *
     * @return nanoseconds; 0 before the first sample
     */
    public long srttNanos() {
        return srtt;
    }

    /**
     * The round-trip variation RTTVAR.
     *
     * @return nanoseconds; 0 before the first sample
     */
    public long rttVarNanos() {
        return rttVar;
    }

    /**
     * Whether any sample was taken since creation or {@link #reset}.
     *
     * @return true once {@link #sample} accepted a value
     */
    public boolean hasSample() {
        return sampled;
    }

    /**
     * How many times the timer was backed off since the last sample: the consecutive timeouts,
     * for the caller's retry limit (Linux's {@code tcp_retries2}).
     *
     * @return 0 after a sample
     */
    public int backOffs() {
        return backOffs;
    }

    private long clamp(long value) {
        return Math.max(minRto, Math.min(maxRto, value));
    }

    @Override
    public String toString() {
        return "RttEstimator[srtt=" + srtt + "ns, rttvar=" + rttVar + "ns, rto=" + rto + "ns, backOffs=" + backOffs + "]";
    }
}

package io.jpair.tcp;

/**
 * What NewReno and CUBIC share: the initial window (RFC 6928), slow start with appropriate byte
 * counting (RFC 3465, L = 2 MSS, 1 MSS right after a timeout), fast recovery with partial ACKs
 * (RFC 6582, or RFC 6675 with SACK) and the timeout. The algorithms differ only in congestion
 * avoidance and in the reduced {@code ssthresh}.
 */
abstract sealed class LossBasedControl implements CongestionControl permits NewReno, Cubic {
    /** RFC 6928's byte cap on the initial window: 14600. */
    private static final long INITIAL_WINDOW_CAP = 14_600;

    int mss;
    long cwnd;
    long ssthresh = Long.MAX_VALUE;
    private boolean inRecovery;
    private boolean sackRecovery;
    private int recover;
    private boolean started;
    /** Set by a timeout until the next ACK: a backed-off retransmission does not halve again. */
    private boolean timedOut;
    /** Slow start after a timeout counts at most one MSS per ACK (RFC 3465 section 2.3). */
    private boolean slowStartAfterTimeout;

    LossBasedControl(int mss) {
        if (mss < 1) {
            throw new IllegalArgumentException("MSS must be at least 1, not " + mss);
        }
        this.mss = mss;
        this.cwnd = initialWindow(mss);
    }

    /**
     * RFC 6928's initial window: {@code min(10 MSS, max(2 MSS, 14600))}.
     *
     * @param mss the segment size
     * @return bytes
     */
    static long initialWindow(int mss) {
        return Math.min((long) INITIAL_WINDOW_SEGMENTS * mss, Math.max(2L * mss, INITIAL_WINDOW_CAP));
    }

    /**
     * Grows the window in congestion avoidance ({@code cwnd >= ssthresh}).
     *
     * @param ackedBytes bytes newly acknowledged
     * @param nowNanos the time
     * @param rttNanos the smoothed round trip, 0 if unknown
     */
    abstract void congestionAvoidance(long ackedBytes, long nowNanos, long rttNanos);

    /**
     * The {@code ssthresh} after a congestion event, updating the algorithm's own state.
     *
     * @param flightSize bytes outstanding
     * @return bytes, at least 2 MSS
     */
    abstract long reducedSsthresh(long flightSize);

    /** {@code cwnd} was set from outside congestion avoidance (recovery, timeout, idle, MSS). */
    abstract void windowReset();

    @Override
    public final void onAck(long ackedBytes, long nowNanos, long rttNanos) {
        if (ackedBytes <= 0) {
            return;
        }
        started = true;
        timedOut = false;
        if (cwnd < ssthresh) {
            long limit = slowStartAfterTimeout ? mss : 2L * mss;
            cwnd = Math.min(cwnd + Math.min(ackedBytes, limit), Math.min(ssthresh, MAX_CWND));
        } else {
            slowStartAfterTimeout = false;
            congestionAvoidance(ackedBytes, nowNanos, rttNanos);
        }
    }

    @Override
    public final void enterRecovery(long flightSize, int recoverSeq, boolean sack, long nowNanos) {
        started = true;
        ssthresh = reducedSsthresh(flightSize);
        cwnd = Math.min(MAX_CWND, sack ? ssthresh : ssthresh + 3L * mss);
        inRecovery = true;
        sackRecovery = sack;
        recover = recoverSeq;
        timedOut = false;
        windowReset();
    }

    @Override
    public final void onDuplicateAck() {
        if (inRecovery && !sackRecovery) {
            cwnd = Math.min(MAX_CWND, cwnd + mss);
        }
    }

    @Override
    public final void onPartialAck(long ackedBytes) {
        if (!inRecovery || sackRecovery || ackedBytes <= 0) {
            return;
        }
        long deflated = cwnd - ackedBytes;
        if (ackedBytes >= mss) {
            deflated += mss;
        }
        cwnd = Math.max(mss, deflated);
    }

    @Override
    public final void exitRecovery(long flightSize) {
        if (!inRecovery) {
            return;
        }
        inRecovery = false;
        long full = Math.max(Math.max(flightSize, 0), mss) + mss;
        cwnd = Math.max(mss, sackRecovery ? ssthresh : Math.min(ssthresh, full));
        windowReset();
    }

    @Override
    public final void onRetransmitTimeout(long flightSize, long nowNanos) {
        started = true;
        if (!timedOut) {
            ssthresh = reducedSsthresh(flightSize);
        }
        timedOut = true;
        slowStartAfterTimeout = true;
        inRecovery = false;
        cwnd = mss;
        windowReset();
    }

    @Override
    public final void onIdleRestart(long nowNanos) {
        cwnd = Math.max(mss, Math.min(cwnd, initialWindow(mss)));
        windowReset();
    }

    @Override
    public final void setMss(int newMss) {
        if (newMss < 1) {
            throw new IllegalArgumentException("MSS must be at least 1, not " + newMss);
        }
        mss = newMss;
        cwnd = started ? Math.max(cwnd, newMss) : initialWindow(newMss);
        windowReset();
    }

    @Override
    public final long cwnd() {
        return cwnd;
    }

    @Override
    public final long ssthresh() {
        return ssthresh;
    }

    @Override
    public final boolean inRecovery() {
        return inRecovery;
    }

    @Override
    public final int recoveryPoint() {
        return recover;
    }

    @Override
    public String toString() {
        return algorithm() + "[cwnd=" + cwnd + ", ssthresh=" + (ssthresh == Long.MAX_VALUE ? "inf" : Long.toString(ssthresh))
            + ", mss=" + mss + (inRecovery ? ", recovering to " + Integer.toUnsignedString(recover) : "") + "]";
    }
}

package io.jpair.tcp;

/**
 * The congestion window of one connection's sender: how many bytes may be in flight (RFC 5681).
 * Loss <em>detection</em> (duplicate ACKs, SACK, the retransmission timer) is the connection's;
 * this only moves {@code cwnd} and {@code ssthresh} in answer to the events it reports.
 *
 * <p>The contract, event by event (all sizes in bytes, times in nanoseconds of the reactor's
 * clock):
 * <ul>
 *   <li>{@link #onAck}: an ACK advanced SND.UNA by {@code ackedBytes} while <em>not</em> in
 *       recovery. Call it only when the sender was limited by {@code cwnd} (it had more to send,
 *       RFC 7661), otherwise an application-limited flow inflates the window it never used.
 *   <li>{@link #enterRecovery}: the third duplicate ACK (or RFC 6675's {@code IsLost(HighACK+1)})
 *       while not in recovery and, per RFC 6582 section 3.2 step 2, only if the cumulative ACK
 *       covers more than {@link #recoveryPoint()} of the previous recovery. The caller then
 *       retransmits the first unacknowledged segment.
 *   <li>{@link #onDuplicateAck}: each further duplicate ACK during recovery (inflates the window by
 *       one MSS without SACK; nothing with SACK, where the caller's pipe estimate does the work).
 *   <li>{@link #onPartialAck}: during recovery, an ACK of new data below {@link #recoveryPoint()}.
 *       The caller retransmits the next unacknowledged segment (and re-arms the RTO on the first).
 *   <li>{@link #exitRecovery}: during recovery, an ACK at or beyond {@link #recoveryPoint()}.
 *   <li>{@link #onRetransmitTimeout}: the retransmission timer expired (RFC 5681 section 3.1 and
 *       RFC 6582 section 4): ends any recovery, {@code cwnd} drops to one MSS.
 *   <li>{@link #onIdleRestart}: sending resumes after more than an RTO without traffic
 *       (RFC 5681 section 4.1).
 * </ul>
 * {@code cwnd} never falls below one MSS and never exceeds {@link #MAX_CWND}. Create one with
 * {@link CongestionAlgorithm#create(int)}. Reactor thread only; no allocation in any event.
 */
public interface CongestionControl {
    /** The largest window: 2<sup>30</sup> bytes, the most window scaling can advertise (RFC 7323). */
    long MAX_CWND = 1L << 30;

    /** The initial segment count: 10 (RFC 6928, as Linux and gVisor). */
    int INITIAL_WINDOW_SEGMENTS = 10;

    /**
     * New data was acknowledged outside recovery: slow start or congestion avoidance.
     *
     * @param ackedBytes the bytes SND.UNA advanced by, at least 1
     * @param nowNanos the reactor's time
     * @param rttNanos the connection's smoothed round trip ({@link RttEstimator#srttNanos()}), 0 if unknown
     */
    void onAck(long ackedBytes, long nowNanos, long rttNanos);

    /**
     * A loss was detected by duplicate ACKs (fast retransmit, RFC 5681 section 3.2 and
     * RFC 6582): sets {@code ssthresh} from {@code flightSize} and enters fast recovery.
     *
     * @param flightSize the bytes outstanding (SND.NXT - SND.UNA) when the loss was detected
     * @param recoverSeq RFC 6582's {@code recover}: the highest sequence number sent (SND.NXT)
     * @param sack whether the connection recovers with SACK (RFC 6675: {@code cwnd = ssthresh},
     *     no inflation) or without it (RFC 6582: {@code cwnd = ssthresh + 3 MSS}, then inflation)
     * @param nowNanos the reactor's time
     */
    void enterRecovery(long flightSize, int recoverSeq, boolean sack, long nowNanos);

    /** A further duplicate ACK arrived during recovery. */
    void onDuplicateAck();

    /**
     * A partial ACK during recovery (RFC 6582 section 3.2 step 5): deflates the window by the
     * newly acknowledged bytes, adding one MSS back if at least one MSS was acknowledged.
     *
     * @param ackedBytes the bytes SND.UNA advanced by
     */
    void onPartialAck(long ackedBytes);

    /**
     * A full ACK ended recovery (RFC 6582 section 3.2 step 3):
     * {@code cwnd = min(ssthresh, max(flightSize, MSS) + MSS)}.
     *
     * @param flightSize the bytes still outstanding after this ACK
     */
    void exitRecovery(long flightSize);

    /**
     * The retransmission timer expired: {@code ssthresh = max(flightSize / 2, 2 MSS)} (or the
     * algorithm's own reduction) unless already backed off, {@code cwnd = 1 MSS}, recovery ends.
     *
     * @param flightSize the bytes outstanding when the timer fired
     * @param nowNanos the reactor's time
     */
    void onRetransmitTimeout(long flightSize, long nowNanos);

    /**
     * Sending resumes after an idle period longer than the RTO: {@code cwnd = min(cwnd, IW)}
     * (RFC 5681 section 4.1).
     *
     * @param nowNanos the reactor's time
     */
    void onIdleRestart(long nowNanos);

    /**
     * Changes the sender's maximum segment size (after the handshake, or a lower path MTU).
     *
     * @param mss the new MSS in bytes, at least 1
     */
    void setMss(int mss);

    /**
     * The congestion window.
     *
     * @return bytes, between one MSS and {@link #MAX_CWND}
     */
    long cwnd();

    /**
     * The slow start threshold.
     *
     * @return bytes; {@link Long#MAX_VALUE} until the first congestion event
     */
    long ssthresh();

    /**
     * Whether fast recovery is in progress.
     *
     * @return true between {@link #enterRecovery} and {@link #exitRecovery} (or a timeout)
     */
    boolean inRecovery();

    /**
     * RFC 6582's {@code recover}: the {@code recoverSeq} of the last {@link #enterRecovery}, kept
     * after recovery ends so the caller can refuse a second fast retransmit for the same window.
     *
     * @return a sequence number; meaningful once recovery was entered
     */
    int recoveryPoint();

    /**
     * The algorithm.
     *
     * @return which one this is
     */
    CongestionAlgorithm algorithm();
}

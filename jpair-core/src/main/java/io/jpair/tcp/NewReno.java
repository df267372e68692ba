package io.jpair.tcp;

/**
 * TCP's standard congestion control: RFC 5681 slow start and congestion avoidance with
 * appropriate byte counting (RFC 3465: slow start adds {@code min(acked, 2 MSS)} per ACK;
 * congestion avoidance adds one MSS each time a window's worth of bytes was acknowledged), and
 * NewReno fast recovery (RFC 6582) with {@code ssthresh = max(FlightSize / 2, 2 MSS)}
 * (RFC 5681 equation 4). See {@link CongestionControl} for the events.
 */
public final class NewReno extends LossBasedControl {
    private long bytesAcked;

    /**
     * NewReno state with RFC 6928's initial window.
     *
     * @param mss the sender's maximum segment size, at least 1
     * @throws IllegalArgumentException if {@code mss} is below 1
     */
    public NewReno(int mss) {
        super(mss);
    }

    @Override
    void congestionAvoidance(long ackedBytes, long nowNanos, long rttNanos) {
        bytesAcked += ackedBytes;
        if (bytesAcked >= cwnd) {
            bytesAcked -= cwnd;
            cwnd = Math.min(MAX_CWND, cwnd + mss);
        }
    }

    @Override
    long reducedSsthresh(long flightSize) {
        return Math.max(Math.max(flightSize, 0) / 2, 2L * mss);
    }

    @Override
    void windowReset() {
        bytesAcked = 0;
    }

    @Override
    public CongestionAlgorithm algorithm() {
        return CongestionAlgorithm.NEW_RENO;
    }
}

package io.jpair.tcp;

/**
 * CUBIC congestion control (RFC 9438), Linux's default: after a loss the window grows along a
 * cubic curve that is concave up to the window where the loss happened ({@code W_max}) and convex
 * beyond it, independent of the round-trip time.
 *
 * <pre>{@code
 * K       = cbrt((W_max - cwnd_epoch) / C)                  (section 4.2, eq. 2)
 * W_cubic = C (t - K)^3 + W_max                             (eq. 1)
 * target  = clamp(W_cubic(t + RTT), cwnd, 1.5 cwnd)         (section 4.2)
 * cwnd   += (target - cwnd) / cwnd per acknowledged segment
 * W_est  += alpha_cubic * segments_acked / cwnd             (Reno-friendly region, section 4.3)
 * cwnd    = W_est when W_cubic(t) < W_est
 * on loss: W_max = cwnd, or cwnd (1 + beta) / 2 when below the previous W_max
 *          (fast convergence, section 4.7); ssthresh = max(FlightSize * beta, 2 MSS) (section 4.6)
 * }</pre>
 * with {@code C = 0.4}, {@code beta_cubic = 0.7} and {@code alpha_cubic = 3 (1 - beta) / (1 + beta)}
 * until {@code W_est} reaches the window before the last reduction, then 1. Windows are counted in
 * segments in floating point, as the RFC writes them (the integer arithmetic of google/gvisor#11632
 * overflowed), and the clamp keeps {@code cwnd} from ever shrinking on an ACK (gVisor's bug fixed by
 * its PR #13958). Slow start, fast recovery and the timeout are NewReno's (section 4.8, 4.9).
 * HyStart++ (RFC 9406), which RFC 9438 recommends but does not require, is not implemented: slow
 * start ends at the first loss, as in RFC 5681.
 */
public final class Cubic extends LossBasedControl {
    /** RFC 9438's {@code C}: 0.4. */
    public static final double C = 0.4;
    /** RFC 9438's {@code beta_cubic}: 0.7. */
    public static final double BETA = 0.7;
    /** RFC 9438's {@code alpha_cubic} in the Reno-friendly region: {@code 3 (1 - beta) / (1 + beta)}. */
    public static final double ALPHA = 3 * (1 - BETA) / (1 + BETA);

    private static final double NANOS_PER_SECOND = 1e9;

    private boolean epochStarted;
    private long epochStart;
    private double k;
    /** W_max in segments; 0 until the first congestion event. */
    private double wMax;
    /** The window before the last reduction, in segments. */
    private double cwndPrior;
    /** W_est in segments. */
    private double wEst;
    /** cwnd in segments with its fraction; valid while {@code (long) (exact * mss) == cwnd}. */
    private double exact;

    /**
     * CUBIC state with RFC 6928's initial window.
     *
     * @param mss the sender's maximum segment size, at least 1
     * @throws IllegalArgumentException if {@code mss} is below 1
     */
    public Cubic(int mss) {
        super(mss);
    }

    @Override
    void congestionAvoidance(long ackedBytes, long nowNanos, long rttNanos) {
        if (!epochStarted || (long) (exact * mss) != cwnd) {
            startEpoch(nowNanos);
        }
        double segmentsAcked = (double) ackedBytes / mss;
        double t = (nowNanos - epochStart) / NANOS_PER_SECOND;
        double rtt = Math.max(rttNanos, 0) / NANOS_PER_SECOND;
        double alpha = wEst >= cwndPrior ? 1.0 : ALPHA;
        wEst += alpha * segmentsAcked / exact;
        double cubic = cubicWindow(t);
        double next;
        if (cubic < wEst) {
            next = Math.max(exact, wEst);
        } else {
            double target = Math.min(Math.max(cubicWindow(t + rtt), exact), 1.5 * exact);
            next = exact + (target - exact) / exact * segmentsAcked;
        }
        exact = Math.min(next, (double) MAX_CWND / mss);
        cwnd = Math.max(cwnd, Math.min(MAX_CWND, (long) (exact * mss)));
    }

    private double cubicWindow(double t) {
        double d = t - k;
        return C * d * d * d + wMax;
    }

    private void startEpoch(long nowNanos) {
        epochStarted = true;
        epochStart = nowNanos;
        exact = (double) cwnd / mss;
        if (wMax <= exact) {
            // No loss yet, or the window already passed W_max: the curve starts at its plateau.
            wMax = exact;
            k = 0;
        } else {
            k = Math.cbrt((wMax - exact) / C);
        }
        wEst = exact;
    }

    @Override
    long reducedSsthresh(long flightSize) {
        double window = (double) cwnd / mss;
        wMax = window < wMax ? window * (1 + BETA) / 2 : window;
        cwndPrior = window;
        epochStarted = false;
        return Math.max((long) (Math.max(flightSize, 0) * BETA), 2L * mss);
    }

    @Override
    void windowReset() {
        epochStarted = false;
    }

    /**
     * RFC 9438's {@code W_max}: the window at the last congestion event (after fast convergence).
     *
     * @return bytes; 0 before the first congestion event
     */
    public long wMax() {
        return (long) (wMax * mss);
    }

    @Override
    public CongestionAlgorithm algorithm() {
        return CongestionAlgorithm.CUBIC;
    }
}

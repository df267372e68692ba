package io.jpair.tcp;

/**
 * The congestion control algorithms a connection can use, and the factory of their state.
 *
 * <pre>{@code
 * CongestionControl cc = CongestionAlgorithm.CUBIC.create(mss);
 * }</pre>
 */
public enum CongestionAlgorithm {
    /** RFC 5681 with appropriate byte counting (RFC 3465) and NewReno fast recovery (RFC 6582). */
    NEW_RENO,
    /** CUBIC (RFC 9438), Linux's default; its slow start and recovery are NewReno's. */
    CUBIC;

    /**
     * New congestion state for one connection, with the initial window of RFC 6928.
     *
     * @param mss the sender's maximum segment size in bytes, at least 1
     * @return fresh state
     * @throws IllegalArgumentException if {@code mss} is below 1
     */
    public CongestionControl create(int mss) {
        return switch (this) {
            case NEW_RENO -> new NewReno(mss);
            case CUBIC -> new Cubic(mss);
        };
    }
}

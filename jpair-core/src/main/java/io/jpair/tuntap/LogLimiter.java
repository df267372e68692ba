package io.jpair.tuntap;

/**
 * Lets one report through per interval of reactor time and counts the ones it held back, so a
 * flood of failures costs a counter increment each, not a log line each.
 */
final class LogLimiter {
    private static final long INTERVAL_NANOS = 1_000_000_000L;

    private long lastNanos = Long.MIN_VALUE;
    private long suppressed;

    /**
     * Whether to report now.
     *
     * @param now the reactor's clock
     * @return true at most once a second; false counts one suppressed report
     */
    boolean allow(long now) {
        if (lastNanos == Long.MIN_VALUE || now - lastNanos >= INTERVAL_NANOS) {
            lastNanos = now;
            return true;
        }
        suppressed++;
        return false;
    }

    /**
     * The reports held back since the last one let through, then zero.
     *
     * @return the count
     */
    long takeSuppressed() {
        long n = suppressed;
        suppressed = 0;
        return n;
    }
}

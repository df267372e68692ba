package io.jpair.cli;

import java.util.List;
import java.util.Locale;

/**
 * The outcome of a bounded series of request/reply exchanges (pings, UDP echoes).
 *
 * @param sent requests sent
 * @param received matching replies received
 * @param rttMillis the round-trip time of each reply, in milliseconds
 * @param problem why the series could not run or went wrong, or {@code null}
 */
record RoundTrips(int sent, int received, List<Double> rttMillis, String problem) {
    /**
     * Copies the list.
     *
     * @param sent requests sent
     * @param received replies received
     * @param rttMillis round-trip times
     * @param problem what went wrong, or {@code null}
     */
    RoundTrips {
        rttMillis = List.copyOf(rttMillis);
    }

    /**
     * A series that could not run at all.
     *
     * @param problem why
     * @return the outcome
     */
    static RoundTrips failed(String problem) {
        return new RoundTrips(0, 0, List.of(), problem);
    }

    /**
     * Whether every request got its reply (and at least one was sent).
     *
     * @return true on full success
     */
    boolean complete() {
        return problem == null && sent > 0 && received == sent;
    }

    /**
     * One line: counts and min/avg/max round-trip time.
     *
     * @return e.g. {@code "3 sent, 3 received, rtt min/avg/max 0.041/0.060/0.089 ms"}
     */
    String summary() {
        StringBuilder text = new StringBuilder().append(sent).append(" sent, ").append(received).append(" received");
        if (!rttMillis.isEmpty()) {
            double min = Double.MAX_VALUE;
            double max = 0;
            double sum = 0;
            for (double rtt : rttMillis) {
                min = Math.min(min, rtt);
                max = Math.max(max, rtt);
                sum += rtt;
            }
            text.append(String.format(Locale.ROOT, ", rtt min/avg/max %.3f/%.3f/%.3f ms", min,
                sum / rttMillis.size(), max));
        }
        if (problem != null) {
            text.append(" (").append(problem).append(')');
        }
        return text.toString();
    }
}

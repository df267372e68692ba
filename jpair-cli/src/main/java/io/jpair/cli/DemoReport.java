package io.jpair.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The demo's report, printed as it goes: a section per device, a {@code PASS}/{@code FAIL} line
 * per check, counter lines, and a closing verdict.
 * <pre>
 * TUN jpdemo-tun0: kernel 10.77.1.1/24, jpair host 10.77.1.2
 *   PASS  ping 10.77.1.2              3 sent, 3 received, rtt min/avg/max 0.041/0.060/0.089 ms
 *         jpair counters: 6 packets in (504 B), 6 out (504 B), 0 dropped
 * all 6 checks passed in 1.3 s
 * </pre>
 */
final class DemoReport {
    private static final int NAME_WIDTH = 36;

    private final PrintWriter out;
    private int passed;
    private int failed;

    DemoReport(PrintWriter out) {
        this.out = out;
    }

    /**
     * A plain line.
     *
     * @param text the line
     */
    void line(String text) {
        out.println(text);
        out.flush();
    }

    /**
     * One check's outcome.
     *
     * @param name what was checked, e.g. {@code "ping 10.77.1.2"}
     * @param ok whether it passed
     * @param detail what was sent and received
     */
    void check(String name, boolean ok, String detail) {
        if (ok) {
            passed++;
        } else {
            failed++;
        }
        line("  " + (ok ? "PASS" : "FAIL") + "  " + String.format(Locale.ROOT, "%-" + NAME_WIDTH + "s", name) + " "
            + detail);
    }

    /**
     * An indented note under the checks (counters, hints).
     *
     * @param text the note
     */
    void note(String text) {
        line("        " + text);
    }

    /**
     * Prints the verdict.
     *
     * @param elapsedNanos how long the demo ran
     * @return the exit code: 0 when every check passed (and there was at least one), else 1
     */
    int finish(long elapsedNanos) {
        String time = String.format(Locale.ROOT, "%.1f s", elapsedNanos / 1e9);
        if (failed == 0 && passed > 0) {
            line("all " + passed + " checks passed in " + time);
            return 0;
        }
        line(failed + " of " + (passed + failed) + " checks FAILED (" + time + ")");
        return 1;
    }

    /**
     * Checks that passed so far.
     *
     * @return the count
     */
    int passed() {
        return passed;
    }

    /**
     * Checks that failed so far.
     *
     * @return the count
     */
    int failed() {
        return failed;
    }
}

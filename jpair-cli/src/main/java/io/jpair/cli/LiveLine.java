package io.jpair.cli;

import java.io.PrintWriter;
import java.util.function.Supplier;

/**
 * A status line that rewrites itself ten times a second on a terminal ({@code \r}, then the
 * text, then erase-to-end-of-line), e.g. the demo's packet counters while a check runs. Off the
 * terminal it prints nothing, so logs and tests see only the final lines.
 */
final class LiveLine implements AutoCloseable {
    private static final String CLEAR = "\r\033[K";

    private final PrintWriter out;
    private final Thread ticker;
    private volatile boolean running = true;

    private LiveLine(PrintWriter out, Supplier<String> text) {
        this.out = out;
        this.ticker = Thread.ofPlatform().daemon().name("jpair-live-line").start(() -> {
            while (running) {
                synchronized (out) {
                    out.print(CLEAR + text.get());
                    out.flush();
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /**
     * Starts a live line if {@code enabled}.
     *
     * @param enabled whether the output is a terminal
     * @param out where to write
     * @param text the current text, asked for on each refresh (any thread)
     * @return the line; close it before printing anything else
     */
    static AutoCloseable start(boolean enabled, PrintWriter out, Supplier<String> text) {
        return enabled ? new LiveLine(out, text) : () -> { };
    }

    /** Stops refreshing and erases the line. */
    @Override
    public void close() {
        running = false;
        ticker.interrupt();
        try {
            ticker.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (out) {
            out.print(CLEAR);
            out.flush();
        }
    }
}

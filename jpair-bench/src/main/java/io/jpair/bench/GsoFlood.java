package io.jpair.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The {@code offload} scenario's own traffic ({@code --traffic self}): a UDP flood from
 * {@code LOCAL} to {@code PEER:9} whose every send is one GSO super-packet of
 * {@link #segments(int)} segments of {@code segment} bytes ({@code UDP_SEGMENT}, as
 * {@code tunbench send SECS 1400 1400} does), so the TUN queue receives super-packets.
 *
 * <p>{@code DatagramChannel} cannot set {@code UDP_SEGMENT} and jpair-core exports no socket
 * bindings, so the sender is a child process: {@code python3} running the resource
 * {@code gso-flood.py} with {@code -c} (in this JVM's network namespace). It reports its running totals every
 * 50 ms, so {@link #sends} lags by at most that; it stops on {@link #close()}, when this JVM dies
 * (its stdin closes), or after ten minutes.
 */
final class GsoFlood implements AutoCloseable {
    /** The kernel's limit is {@code UDP_MAX_SEGMENTS}; 64 keeps every split within one read batch. */
    private static final int MAX_SEGMENTS = 64;
    /** Bytes of payload per super-send, at most (tunbench's 60,000). */
    private static final int MAX_SEND = 60_000;
    private static final int MAX_SECONDS = 600;
    /** {@code python3}, or the interpreter named by {@code -Djpair.bench.python=...}. */
    private static final String PYTHON = System.getProperty("jpair.bench.python", "python3");

    private final Process process;
    private final Thread reader;
    volatile long sends;
    volatile long errors;

    private GsoFlood(Process process) {
        this.process = process;
        this.reader = new Thread(this::readReports, "gso-flood-reports");
        reader.setDaemon(true);
    }

    /**
     * Segments per super-send for a segment size: as many as fit in 60,000 bytes, at most 64.
     *
     * @param segment the segment (UDP payload) size
     * @return the segment count
     */
    static int segments(int segment) {
        return Math.max(1, Math.min(MAX_SEGMENTS, MAX_SEND / segment));
    }

    /**
     * Starts the sender ({@code LOCAL} to {@code PEER:9}, {@code UDP_SEGMENT = segment}) and waits
     * until its socket is set up.
     *
     * @param segment the segment (UDP payload) size, at least 1
     * @return the running flood
     * @throws IOException if python3 cannot be started or the socket cannot be set up
     */
    static GsoFlood start(int segment) throws IOException {
        String script;
        try (InputStream in = GsoFlood.class.getResourceAsStream("gso-flood.py")) {
            if (in == null) {
                throw new IOException("gso-flood: resource gso-flood.py missing from the jar");
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Process process;
        try {
            process = new ProcessBuilder(PYTHON, "-c", script, Generator.LOCAL, Generator.PEER, "9",
                Integer.toString(segment), Integer.toString(segment * segments(segment)), Integer.toString(MAX_SECONDS))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        } catch (IOException e) {
            throw new IOException("gso-flood: cannot start " + PYTHON + " (the offload scenario's sender needs"
                + " python3; -Djpair.bench.python=PATH names another): " + e.getMessage(), e);
        }
        GsoFlood flood = new GsoFlood(process);
        BufferedReader lines = flood.lines();
        String first = lines.readLine();
        if (!"ready".equals(first)) {
            flood.close();
            throw new IOException("gso-flood: bind/connect/UDP_SEGMENT " + segment + " failed (exit "
                + exitValue(process) + "; its error is on stderr above)");
        }
        flood.reader.start();
        return flood;
    }

    private BufferedReader lines() {
        return process.inputReader(StandardCharsets.US_ASCII);
    }

    private static String exitValue(Process process) {
        try {
            return process.waitFor(1, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "none";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "none";
        }
    }

    /** Parses "sends=N errors=M" lines until the sender exits. */
    private void readReports() {
        BufferedReader lines = lines();
        try {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                String[] words = line.split(" ");
                if (words.length == 2 && words[0].startsWith("sends=") && words[1].startsWith("errors=")) {
                    sends = Long.parseLong(words[0].substring("sends=".length()));
                    errors = Long.parseLong(words[1].substring("errors=".length()));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // The sender is gone or garbled: the counts stay where they were.
        }
    }

    /**
     * Stops the sender by closing its stdin and waits for its last report, at most a second; then
     * kills it if it is still there ({@code destroy} also closes its stdout).
     */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // Already gone.
        }
        try {
            if (process.waitFor(1, TimeUnit.SECONDS)) {
                reader.join(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
    }
}

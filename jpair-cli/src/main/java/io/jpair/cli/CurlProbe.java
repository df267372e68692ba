package io.jpair.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Runs the system's {@code curl} against a host's HTTP service, bounded in time: the kernel's own
 * TCP client fetching the status page {@code /}, which must be a {@code 200} that names the host.
 */
final class CurlProbe implements Probe {
    /** curl's own limit for the whole transfer. */
    static final int MAX_SECONDS = 5;

    private volatile Process process;
    private volatile boolean cancelled;

    /**
     * What one fetch found.
     *
     * @param ok a 200 whose body starts with {@code jpair host}
     * @param detail the status, size and time, or what went wrong
     */
    record Result(boolean ok, String detail) {
    }

    /**
     * Fetches {@code http://target:port/}.
     *
     * @param target the host
     * @param port the HTTP port
     * @return the outcome
     */
    Result run(InetAddress target, int port) {
        String literal = PacketSummary.format(target.getAddress());
        String url = "http://" + (target instanceof Inet6Address ? "[" + literal + "]" : literal) + ":" + port + "/";
        List<String> command = List.of("curl", "-sS", "--max-time", Integer.toString(MAX_SECONDS), "-w",
            "\\n%{http_code} %{size_download} %{time_total}", url);
        Process started;
        try {
            started = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Result(false, "cannot run curl: install curl (" + e.getMessage() + ")");
        }
        process = started;
        if (cancelled) {
            started.destroyForcibly();
        }
        String output;
        try (InputStream in = started.getInputStream()) {
            started.getOutputStream().close();
            output = new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
            if (!started.waitFor(MAX_SECONDS + 3, TimeUnit.SECONDS)) {
                started.destroyForcibly();
                return new Result(false, "curl did not finish in time");
            }
        } catch (IOException e) {
            started.destroyForcibly();
            return new Result(false, "reading curl's output: " + e.getMessage());
        } catch (InterruptedException e) {
            started.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(false, "interrupted");
        }
        if (cancelled) {
            return new Result(false, "stopped");
        }
        int last = output.lastIndexOf('\n');
        String[] trailer = output.substring(last + 1).strip().split(" ");
        String body = last < 0 ? "" : output.substring(0, last);
        if (started.exitValue() != 0 || trailer.length != 3) {
            return new Result(false, "curl " + url + " failed: " + output.strip().replace('\n', ' '));
        }
        boolean ok = trailer[0].equals("200") && body.startsWith("jpair host");
        double millis = Double.parseDouble(trailer[2]) * 1000;
        return new Result(ok, "HTTP " + trailer[0] + ", " + trailer[1] + " B in "
            + String.format(Locale.ROOT, "%.1f", millis) + " ms" + (ok ? " (the status page)" : ", unexpected body"));
    }

    /** Stops a running curl. */
    @Override
    public void cancel() {
        cancelled = true;
        Process running = process;
        if (running != null) {
            running.destroyForcibly();
        }
    }
}

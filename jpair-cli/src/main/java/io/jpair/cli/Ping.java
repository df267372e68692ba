package io.jpair.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the system's {@code ping} (iputils) against an address, bounded in count and time, and
 * reads its replies: the kernel's own ICMP echo, not ours.
 */
final class Ping implements Probe {
    private static final Pattern REPLY = Pattern.compile("bytes from .*time[=<]([0-9.]+) ms");

    private volatile Process process;
    private volatile boolean cancelled;

    /**
     * Pings {@code target} {@code count} times, 0.2 s apart, each reply awaited at most 1 s.
     *
     * @param target the address
     * @param count how many echo requests
     * @return the replies and their round-trip times; a problem when ping is missing or hangs
     */
    RoundTrips run(InetAddress target, int count) {
        return run(target, count, 56);
    }

    /**
     * Pings with {@code size} bytes of data per request ({@code ping -s}; above the MTU the kernel
     * sends each request in fragments).
     *
     * @param target the address
     * @param count how many echo requests
     * @param size data bytes per request (56 is ping's default)
     * @return the replies and their round-trip times
     */
    RoundTrips run(InetAddress target, int count, int size) {
        long deadlineSeconds = 2L + count;
        List<String> command = List.of("ping", target instanceof Inet6Address ? "-6" : "-4", "-n", "-c",
            Integer.toString(count), "-i", "0.2", "-W", "1", "-w", Long.toString(deadlineSeconds), "-s",
            Integer.toString(size), PacketSummary.format(target.getAddress()));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return RoundTrips.failed("cannot run ping: install iputils-ping (" + e.getMessage() + ")");
        }
        this.process = process;
        if (cancelled) {
            process.destroyForcibly();
        }
        List<Double> rtts = new ArrayList<>();
        StringBuilder other = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            process.getOutputStream().close();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                Matcher reply = REPLY.matcher(line);
                if (reply.find()) {
                    rtts.add(Double.parseDouble(reply.group(1)));
                } else if (line.startsWith("ping:")) {
                    other.append(line.substring(5).strip());
                }
            }
            if (!process.waitFor(deadlineSeconds + 3, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new RoundTrips(count, rtts.size(), rtts, "ping did not finish in time");
            }
        } catch (IOException e) {
            process.destroyForcibly();
            return new RoundTrips(count, rtts.size(), rtts, "reading ping's output: " + e.getMessage());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new RoundTrips(count, rtts.size(), rtts, "interrupted");
        }
        String problem = cancelled ? "stopped" : other.isEmpty() ? null : other.toString();
        return new RoundTrips(count, Math.min(count, rtts.size()), rtts, problem);
    }

    /** Stops a running ping (it is killed; its replies so far count). */
    @Override
    public void cancel() {
        cancelled = true;
        Process running = process;
        if (running != null) {
            running.destroyForcibly();
        }
    }
}

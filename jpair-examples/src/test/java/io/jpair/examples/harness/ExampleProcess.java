package io.jpair.examples.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * An example's {@code main} running as a user runs it: in its own JVM ({@code java
 * --enable-native-access=ALL-UNNAMED -cp ... CLASS ARGS}, on this test JVM's class path), in this
 * test JVM's network namespace, with its output (stdout and stderr, merged) read line by line.
 * {@link #close()} stops it as Ctrl-C would end it by a signal: {@code SIGTERM}, then
 * {@code SIGKILL} after {@value #STOP_SECONDS} s.
 */
public final class ExampleProcess implements AutoCloseable {
    /** How long {@link #stop()} waits for the example to exit after {@code SIGTERM}. */
    public static final int STOP_SECONDS = 10;

    /** Queued after the last line; compared by identity, so no line of output can be mistaken for it. */
    private static final String END = new String("end of output");

    private final String name;
    private final Process process;
    private final BlockingQueue<String> unread = new LinkedBlockingQueue<>();
    private final List<String> transcript = new ArrayList<>();

    private ExampleProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        Thread reader = new Thread(this::readOutput, name + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts an example.
     *
     * @param mainClass the example's class, e.g. {@code io.jpair.examples.Sniffer}
     * @param args its arguments
     * @return the running example
     * @throws IOException if the JVM cannot be started
     */
    public static ExampleProcess start(String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"),
            mainClass));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        return new ExampleProcess(mainClass.substring(mainClass.lastIndexOf('.') + 1), process);
    }

    private void readOutput() {
        try (BufferedReader output = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                synchronized (transcript) {
                    transcript.add(line);
                }
                unread.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            unread.add(END);
        }
    }

    /**
     * Waits for the next line of output that matches, skipping the others (they stay in the
     * {@link #transcript()}).
     *
     * @param matching what the line must satisfy
     * @param timeout how long to wait
     * @return the line
     * @throws AssertionError with the transcript if the example ends or the time runs out first
     * @throws InterruptedException if interrupted while waiting
     */
    public String awaitLine(Predicate<String> matching, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = unread.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError(name + ": no matching line within " + timeout + "; output so far:\n"
                    + transcript());
            }
            if (line == END) {
                unread.add(END);
                throw new AssertionError(name + " ended (" + exitStatus() + ") before a matching line; output:\n"
                    + transcript());
            }
            if (matching.test(line)) {
                return line;
            }
        }
    }

    private String exitStatus() throws InterruptedException {
        return process.waitFor(STOP_SECONDS, TimeUnit.SECONDS) ? "exit status " + process.exitValue() : "still running";
    }

    /**
     * Everything the example printed so far.
     *
     * @return the lines, joined by newlines
     */
    public String transcript() {
        synchronized (transcript) {
            return String.join("\n", transcript);
        }
    }

    /**
     * Stops the example ({@code SIGTERM}, then {@code SIGKILL}) and waits for it to exit.
     *
     * @return its exit status (143 after {@code SIGTERM})
     * @throws InterruptedException if interrupted while waiting
     */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        return process.exitValue();
    }

    /** Stops the example if it still runs; if interrupted meanwhile, kills it at once. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        try {
            stop();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

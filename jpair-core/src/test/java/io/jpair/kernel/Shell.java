package io.jpair.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs commands (e.g. {@code ip}, {@code ping}) from kernel tests: bounded in time, output
 * captured, failures reported with the command's own words. The test JVM is already in its private
 * namespace, so every command is too.
 */
public final class Shell {
    private Shell() {
    }

    /**
     * The outcome of a command.
     *
     * @param exitCode the exit status (-1 on timeout)
     * @param output stdout and stderr, merged
     */
    public record Result(int exitCode, String output) {
        /**
         * Whether the command exited with 0.
         *
         * @return true on success
         */
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /**
     * Runs a command, up to 30 seconds.
     *
     * @param command the program and its arguments
     * @return the result
     */
    public static Result run(String... command) {
        return run(30, command);
    }

    /**
     * Runs a command, bounded in time.
     *
     * @param timeoutSeconds the limit; the process is killed after it
     * @param command the program and its arguments
     * @return the result
     */
    public static Result run(long timeoutSeconds, String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                String partial = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                return new Result(-1, partial + "\n(timed out after " + timeoutSeconds + " s)");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            return new Result(-1, "cannot run " + Arrays.toString(command) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    /**
     * Runs a command that must succeed.
     *
     * @param command the program and its arguments
     * @return its output
     * @throws AssertionError with the command and its output when it fails
     */
    public static String check(String... command) {
        Result result = run(command);
        if (!result.ok()) {
            throw new AssertionError(String.join(" ", command) + " exited " + result.exitCode() + ": "
                + result.output().strip());
        }
        return result.output();
    }

    /**
     * Runs {@code ip} with the given arguments; it must succeed.
     *
     * @param args e.g. {@code "link", "set", "tun0", "up"}
     * @return its output
     */
    public static String ip(String... args) {
        List<String> command = new ArrayList<>();
        command.add("ip");
        command.addAll(Arrays.asList(args));
        return check(command.toArray(String[]::new));
    }
}

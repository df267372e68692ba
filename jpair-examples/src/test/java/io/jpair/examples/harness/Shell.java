package io.jpair.examples.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Runs the commands a user would type beside an example ({@code ip}, {@code ping}): bounded in
 * time, output captured. The test JVM is in its private namespace, so every command is too.
 */
public final class Shell {
    private Shell() {
    }

    /**
     * The outcome of a command.
     *
     * @param exitCode the exit status (-1 when it could not run or timed out)
     * @param output stdout and stderr, merged
     */
    public record Result(int exitCode, String output) {
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
            return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, "cannot run " + Arrays.toString(command) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    /**
     * Runs a command that must succeed within 30 seconds.
     *
     * @param command the program and its arguments
     * @return its output
     * @throws AssertionError with the command and its output when it fails
     */
    public static String check(String... command) {
        Result result = run(30, command);
        if (result.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited with " + result.exitCode() + ": "
                + result.output().strip());
        }
        return result.output();
    }
}

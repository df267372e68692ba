package io.jpair.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code ./jpair} launcher as a user would, bounded in time, capturing stdout and
 * stderr. The first use makes sure the jar is built (the launcher builds it when it is missing or
 * stale, which may take a minute on a fresh clone).
 */
final class Launcher {
    /** How long a launcher run that builds the jar may take. */
    static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);

    private static boolean built;

    private Launcher() {
    }

    /**
     * The launcher script.
     *
     * @return {@code <repository>/jpair}
     */
    static Path path() {
        return Path.of(System.getProperty("jpair.launcher", "../jpair")).toAbsolutePath().normalize();
    }

    /**
     * Builds the jar through the launcher if needed ({@code ./jpair --version}).
     */
    static synchronized void ensureBuilt() {
        if (!built) {
            Result result = run(BUILD_TIMEOUT, "--version");
            assertThat(result.exitCode()).as("./jpair --version (building the jar if needed): %s", result).isZero();
            built = true;
        }
    }

    /**
     * Runs the launcher to completion.
     *
     * @param timeout the bound; the process is killed after it
     * @param args the command line after {@code ./jpair}
     * @return exit code and output
     */
    static Result run(Duration timeout, String... args) {
        Running running = start(args);
        return running.await(timeout);
    }

    /**
     * Starts the launcher without waiting.
     *
     * @param args the command line after {@code ./jpair}
     * @return the running command
     */
    static Running start(String... args) {
        return start(Map.of(), args);
    }

    /**
     * Runs the launcher to completion with extra environment variables.
     *
     * @param timeout the bound; the process is killed after it
     * @param environment added to this JVM's environment, e.g. {@code JPAIR_JAVA_OPTS}
     * @param args the command line after {@code ./jpair}
     * @return exit code and output
     */
    static Result run(Duration timeout, Map<String, String> environment, String... args) {
        return start(environment, args).await(timeout);
    }

    /**
     * Starts the launcher as this user (root in the tests) with no capabilities at all: empty
     * bounding, inheritable and ambient sets ({@code setpriv}), so the kernel treats it like the
     * unprivileged owner of a device made with {@code jpair mkdev --user}: it may attach to the
     * device, and every netlink change answers {@code EPERM}.
     *
     * @param args the command line after {@code ./jpair}
     * @return the running command
     */
    static Running startWithoutCapabilities(String... args) {
        return start(List.of("setpriv", "--bounding-set=-all", "--inh-caps=-all", "--ambient-caps=-all", "--"),
            Map.of(), args);
    }

    /**
     * Starts the launcher in another network namespace ({@code ip netns exec NAME}).
     *
     * @param namespace the namespace's name (made with {@code ip netns add})
     * @param args the command line after {@code ./jpair}
     * @return the running command (the pid is the JVM's: both {@code ip netns exec} and the
     *     launcher exec)
     */
    static Running startIn(String namespace, String... args) {
        return start(List.of("ip", "netns", "exec", namespace), Map.of(), args);
    }

    private static Running start(Map<String, String> environment, String... args) {
        return start(List.of(), environment, args);
    }

    /**
     * Starts the launcher with its stdout sent to a file (e.g. a FIFO that nobody reads); stderr
     * is collected as usual.
     *
     * @param stdout where stdout goes
     * @param args the command line after {@code ./jpair}
     * @return the running command
     */
    static Running startWithStdoutTo(Path stdout, String... args) {
        List<String> command = new ArrayList<>();
        command.add(path().toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile());
        try {
            return new Running(builder.start());
        } catch (IOException e) {
            throw new AssertionError("cannot start " + command + ": " + e.getMessage(), e);
        }
    }

    private static Running start(List<String> prefix, Map<String, String> environment, String... args) {
        List<String> command = new ArrayList<>(prefix);
        command.add(path().toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        try {
            return new Running(builder.start());
        } catch (IOException e) {
            throw new AssertionError("cannot start " + command + ": " + e.getMessage(), e);
        }
    }

    /**
     * A finished run.
     *
     * @param exitCode the exit status, -1 if it had to be killed
     * @param out stdout
     * @param err stderr
     */
    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
        }
    }

    /** A launcher process with its output collected as it comes. */
    static final class Running {
        private final Process process;
        private final StringBuffer out = new StringBuffer();
        private final StringBuffer err = new StringBuffer();
        private final Thread outReader;
        private final Thread errReader;

        Running(Process process) {
            this.process = process;
            this.outReader = collect(process.getInputStream(), out);
            this.errReader = collect(process.getErrorStream(), err);
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                // Nothing to send.
            }
        }

        /** The process id (the launcher execs java, so this is the JVM's). */
        long pid() {
            return process.pid();
        }

        private static Thread collect(InputStream stream, StringBuffer into) {
            return Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        into.append(line).append('\n');
                    }
                } catch (IOException e) {
                    // The process is gone.
                }
            });
        }

        /**
         * Waits until stdout or stderr contains a text.
         *
         * @param text what to wait for
         * @param timeout the bound
         * @return true if it appeared in time
         */
        boolean awaitOutput(String text, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (out.indexOf(text) >= 0 || err.indexOf(text) >= 0) {
                    return true;
                }
                if (!process.isAlive()) {
                    outReader.join(1000);
                    errReader.join(1000);
                    return out.indexOf(text) >= 0 || err.indexOf(text) >= 0;
                }
                Thread.sleep(20);
            }
            return false;
        }

        /** Sends SIGTERM (keeping the pipes open, so the last lines are kept). */
        void terminate() {
            process.toHandle().destroy();
        }

        /** Sends SIGINT, as Ctrl-C would. */
        void interrupt() {
            try {
                new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
            } catch (IOException e) {
                throw new AssertionError(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /**
         * The process (for its pid and descendants).
         *
         * @return the process
         */
        Process process() {
            return process;
        }

        /**
         * Output so far.
         *
         * @return the current result, exit code -1 while running
         */
        Result snapshot() {
            return new Result(process.isAlive() ? -1 : process.exitValue(), out.toString(), err.toString());
        }

        /**
         * Waits for the process to end; kills it (and reports exit -1) after the timeout.
         *
         * @param timeout the bound
         * @return exit code and output
         */
        Result await(Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    outReader.join(2000);
                    errReader.join(2000);
                    return new Result(-1, out.toString(), err + "\n(killed after " + timeout + ")");
                }
                outReader.join(5000);
                errReader.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
            return new Result(process.exitValue(), out.toString(), err.toString());
        }
    }
}

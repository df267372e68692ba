package io.jpair.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace of its own for a kernel test, nested in the test JVM's private one: a
 * {@code sleep} child started under {@code unshare --net}, whose {@code /proc/PID/ns/net} is the
 * namespace. {@code ip netns add} is not used because it bind-mounts into the shared
 * {@code /run/netns} of the host's mount namespace. The namespace lives until {@link #close()}
 * kills the child (or at most {@value #LIFETIME_SECONDS} s); its links go with it.
 */
public final class ChildNetns implements AutoCloseable {
    /** The child's lifetime bound, should a test forget to close it. */
    public static final int LIFETIME_SECONDS = 120;

    private final Process process;
    private final Path path;

    private ChildNetns(Process process) {
        this.process = process;
        this.path = Path.of("/proc/" + process.pid() + "/ns/net");
    }

    /**
     * Starts the child and waits (up to 5 s) until it is in its own namespace.
     *
     * @return the namespace
     */
    public static ChildNetns start() {
        try {
            Process process = new ProcessBuilder("unshare", "--net", "--", "sleep", String.valueOf(LIFETIME_SECONDS))
                .redirectErrorStream(true).start();
            process.getOutputStream().close();
            ChildNetns child = new ChildNetns(process);
            String own = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new AssertionError("unshare --net exited " + process.exitValue() + ": "
                        + new String(process.getInputStream().readAllBytes()).strip());
                }
                try {
                    if (!Files.readSymbolicLink(child.path).toString().equals(own)) {
                        return child;
                    }
                } catch (IOException notYet) {
                    // /proc entry not there yet
                }
                Thread.sleep(5);
            }
            process.destroyForcibly();
            throw new AssertionError("the unshare --net child did not enter its own namespace within 5 s");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * The namespace file.
     *
     * @return {@code /proc/PID/ns/net}
     */
    public Path path() {
        return path;
    }

    /**
     * Runs a command inside the namespace ({@code nsenter --net=PATH ...}); it must succeed.
     *
     * @param command the program and its arguments
     * @return its output
     */
    public String check(String... command) {
        return Shell.check(nsenter(command));
    }

    /**
     * Runs a command inside the namespace; it may fail.
     *
     * @param command the program and its arguments
     * @return the result
     */
    public Shell.Result run(String... command) {
        return Shell.run(nsenter(command));
    }

    private String[] nsenter(String... command) {
        List<String> all = new ArrayList<>(List.of("nsenter", "--net=" + path, "--"));
        all.addAll(Arrays.asList(command));
        return all.toArray(String[]::new);
    }

    /** Kills the child; the namespace and its links go away with it. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

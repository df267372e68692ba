package io.jpair.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The outer half of {@code jpair demo}: re-runs the demo in a child JVM started under
 * {@code unshare --net}, so that everything the demo creates (devices, addresses, routes, neighbour
 * entries) lives in a network namespace that exists only as long as that child. Nothing needs
 * undoing afterwards and nothing can leak into the caller's namespace: when the child exits, for
 * whatever reason (done, Ctrl-C, SIGTERM, a crash, {@code kill -9}), the kernel destroys the
 * namespace and its devices with it. (The alternative, {@code ip netns add}, leaves a mount under
 * {@code /run/netns} behind when the process dies before its cleanup.)
 *
 * <p>Ctrl-C reaches both JVMs (same process group); SIGTERM to this one is forwarded to the child
 * (with {@code ProcessHandle.destroy}: {@code Process.destroy} would also close the pipes and lose
 * the child's last lines).
 * The child watches this process too and ends itself if this one disappears.
 */
final class DemoNamespace {
    /** Environment variable that passes this process's namespace to the child, which refuses to run in it. */
    static final String PARENT_NETNS_ENV = "JPAIR_DEMO_PARENT_NETNS";
    /** The longest the demo may take before it is stopped. */
    static final int TIMEOUT_SECONDS = 60;

    private final List<String> demoArgs;

    /**
     * Creates the launcher.
     *
     * @param demoArgs the options to pass to the inner demo (besides {@code --in-namespace})
     */
    DemoNamespace(List<String> demoArgs) {
        this.demoArgs = List.copyOf(demoArgs);
    }

    /**
     * Runs the demo in its namespace and returns its exit code.
     *
     * @param out where the child's report goes
     * @param err where the child's diagnostics go
     * @return the child's exit code (0 when every check passed)
     * @throws CommandException when the demo cannot start (not root, no TUN driver, no unshare)
     */
    int run(PrintWriter out, PrintWriter err) throws CommandException {
        if (!ProcessIdentity.isRoot()) {
            throw new CommandException("the demo creates a network namespace and TUN/TAP devices, which needs root:"
                + " run it as sudo ./jpair demo");
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            throw new CommandException("/dev/net/tun is missing: load the TUN/TAP driver with 'modprobe tun'");
        }
        String namespace = ProcessIdentity.networkNamespace();
        if (namespace == null) {
            throw new CommandException("cannot read /proc/self/ns/net: the demo needs Linux network namespaces");
        }
        List<String> command = new ArrayList<>(List.of("unshare", "--net", "--",
            Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(sameLaunch());
        command.addAll(List.of("demo", "--in-namespace"));
        command.addAll(demoArgs);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put(PARENT_NETNS_ENV, namespace);
        Process child;
        try {
            child = builder.start();
        } catch (IOException e) {
            throw new CommandException("cannot run unshare (util-linux) to create the demo's network namespace: "
                + e.getMessage(), e);
        }
        Thread stdout = pump(child.getInputStream(), out, "jpair-demo-out");
        Thread stderr = pump(child.getErrorStream(), err, "jpair-demo-err");
        try (SignalStop signals = new SignalStop(child.toHandle()::destroy, SignalStop.GRACE_SECONDS + 3)) {
            try {
                child.getOutputStream().close();
                if (!child.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    err.println("jpair demo: did not finish in " + TIMEOUT_SECONDS + " s; stopping it");
                    child.toHandle().destroy();
                    if (!child.waitFor(SignalStop.GRACE_SECONDS, TimeUnit.SECONDS)) {
                        child.destroyForcibly().waitFor();
                    }
                    return 1;
                }
                stdout.join(TimeUnit.SECONDS.toMillis(2));
                stderr.join(TimeUnit.SECONDS.toMillis(2));
            } catch (IOException | InterruptedException e) {
                child.destroyForcibly();
                Thread.currentThread().interrupt();
                return 1;
            }
            int status = child.exitValue();
            if (status > 128 && !signals.signalled()) {
                err.println("jpair demo: the demo process ended by signal " + (status - 128));
            }
            return status == 0 ? 0 : 1;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static Thread pump(InputStream from, PrintWriter to, String name) {
        return Thread.ofPlatform().name(name).daemon().start(() -> {
            char[] chunk = new char[4096];
            try (Reader reader = new InputStreamReader(from, StandardCharsets.UTF_8)) {
                for (int n = reader.read(chunk); n >= 0; n = reader.read(chunk)) {
                    to.write(chunk, 0, n);
                    to.flush();
                }
            } catch (IOException e) {
                // The child is gone: nothing more to copy.
            }
        });
    }
    /**
     * The JVM options and main class that start this command again the way this JVM was started:
     * on the module path ({@code ./jpair}) with native access for {@code io.jpair.core}, or on the
     * class path (tests, {@code java -jar}) with native access for the unnamed module.
     */
    private static List<String> sameLaunch() {
        List<String> launch = new ArrayList<>();
        Module module = Main.class.getModule();
        if (module.isNamed()) {
            launch.addAll(List.of("--enable-native-access=io.jpair.core", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "--module-path", System.getProperty("jdk.module.path"),
                "--module", module.getName() + "/" + Main.class.getName()));
        } else {
            launch.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        }
        return launch;
    }
}

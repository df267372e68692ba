package io.jpair.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.netlink.RtNetlink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Running without root: {@code jpair mkdev --user U} leaves a persistent device that U owns, and
 * {@code jpair host --user U} drops to U with no capabilities (read from {@code /proc/PID/status})
 * before reading a packet, and keeps answering ping.
 */
@KernelTest
class LeastPrivilegeKernelTest {
    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration STOP = Duration.ofSeconds(15);

    @BeforeAll
    static void build() {
        Launcher.ensureBuilt();
    }

    @Test
    void mkdevCreatesAPersistentDeviceOwnedByTheUser() throws Exception {
        try {
            Launcher.Result result = Launcher.run(START, "mkdev", "--dev", "jpmk0", "--user", "nobody");
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.out()).contains("jpmk0 (TUN, persistent) owned by nobody (uid 65534)");
            String details = Commands.run(Duration.ofSeconds(10), "ip", "-d", "link", "show", "jpmk0").out();
            assertThat(details).contains("persist on").containsPattern("user (nobody|65534) ");
        } finally {
            deleteIfPresent("jpmk0");
        }
    }

    @Test
    void mkdevSetsTheGroupToo() throws Exception {
        try {
            Launcher.Result result = Launcher.run(START, "mkdev", "--dev", "jpmk1", "--tap", "--user", "65534:65533");
            assertThat(result.exitCode()).as(result.toString()).isZero();
            String details = Commands.run(Duration.ofSeconds(10), "ip", "-d", "link", "show", "jpmk1").out();
            assertThat(details).contains("type tap").containsPattern("user (nobody|65534) group 65533 ");
        } finally {
            deleteIfPresent("jpmk1");
        }
    }

    @Test
    void mkdevForAnUnknownUserIsOneClearLine() throws Exception {
        Launcher.Result result = Launcher.run(START, "mkdev", "--dev", "jpmk2", "--user", "no-such-user-here");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("no such user 'no-such-user-here'");
        assertThat(ExistingDevice.exists("jpmk2")).isFalse();
    }

    @Test
    void hostDropsToTheUserWithNoCapabilitiesAndKeepsAnsweringPing() throws Exception {
        Launcher.Running host = Launcher.start("host", "--dev", "jphost7", "--address", "10.55.7.2/24", "--user",
            "nobody");
        assertThat(host.awaitOutput("Ctrl-C to stop", START)).as(host.snapshot().toString()).isTrue();
        assertThat(host.snapshot().out()).contains("running as nobody (uid 65534, gid 65534), capabilities "
            + "CapEff=0000000000000000 CapPrm=0000000000000000 CapInh=0000000000000000 CapAmb=0000000000000000"
            + " CapBnd=0000000000000000, NoNewPrivs 1");
        String status = Files.readString(Path.of("/proc/" + host.pid() + "/status"));
        assertThat(status).containsPattern("Uid:\\s+65534\\s+65534\\s+65534\\s+65534")
            .containsPattern("CapEff:\\s+0000000000000000").containsPattern("CapPrm:\\s+0000000000000000");

        Launcher.Result ping = Commands.run(Duration.ofSeconds(15), "ping", "-n", "-c", "3", "-i", "0.2", "-W", "2",
            "10.55.7.2");
        assertThat(ping.exitCode()).as(ping.toString()).isZero();

        host.terminate();
        Launcher.Result result = host.await(STOP);
        assertThat(result.out()).as(result.toString()).contains("jphost7 removed");
        assertThat(ExistingDevice.exists("jphost7")).isFalse();
    }

    @Test
    void hostAsNobodyHasAnEmptyBoundingSetNoNewPrivsAndNoSocketOnTheReactorThread() throws Exception {
        Launcher.Running host = Launcher.start("host", "--dev", "jphost13", "--address", "10.55.13.2/24", "--user",
            "nobody");
        assertThat(host.awaitOutput("Ctrl-C to stop", START)).as(host.snapshot().toString()).isTrue();

        // The bounding set and no_new_privs are per thread: look at the thread running main and the reactor,
        // the first one the java launcher starts (the lowest thread id after the process's own).
        String status = null;
        try (var tasks = Files.list(Path.of("/proc/" + host.pid() + "/task"))) {
            long main = tasks.mapToLong(task -> Long.parseLong(task.getFileName().toString()))
                .filter(tid -> tid != host.pid()).min().orElseThrow();
            status = Files.readString(Path.of("/proc/" + host.pid() + "/task/" + main + "/status"));
        }
        assertThat(status).as("the main thread's status").isNotNull()
            .containsPattern("CapBnd:\\s+0000000000000000").containsPattern("NoNewPrivs:\\s+1")
            .containsPattern("CapEff:\\s+0000000000000000");
        // No socket left (the rtnetlink one was closed before the drop; a TUN host watches no link events).
        try (var fds = Files.list(Path.of("/proc/" + host.pid() + "/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    assertThat(Files.readSymbolicLink(fd).toString()).as(fd.toString()).doesNotStartWith("socket:");
                } catch (java.nio.file.NoSuchFileException gone) {
                    // Closed while listing.
                }
            }
        }
        Launcher.Result ping = Commands.run(Duration.ofSeconds(15), "ping", "-n", "-c", "3", "-i", "0.2", "-W", "2",
            "10.55.13.2");
        assertThat(ping.exitCode()).as(ping.toString()).isZero();

        host.terminate();
        assertThat(host.await(STOP).out()).contains("jphost13 removed");
    }

    @Test
    void ownerWithoutCapabilitiesRunsHostOnADeviceRootBroughtUp() throws Exception {
        try {
            Launcher.Result made = Launcher.run(START, "mkdev", "--dev", "jpnr0", "--user", "0");
            assertThat(made.exitCode()).as(made.toString()).isZero();
            Commands.run(Duration.ofSeconds(10), "ip", "addr", "add", "10.55.20.1/24", "dev", "jpnr0");
            Commands.run(Duration.ofSeconds(10), "ip", "link", "set", "jpnr0", "up");

            Launcher.Running host = Launcher.startWithoutCapabilities("host", "--dev", "jpnr0", "--address",
                "10.55.20.2/24", "--no-kernel-address");
            assertThat(host.awaitOutput("Ctrl-C to stop", START)).as(host.snapshot().toString()).isTrue();
            assertThat(Files.readString(Path.of("/proc/" + host.pid() + "/status")))
                .containsPattern("CapEff:\\s+0000000000000000");
            Launcher.Result ping = Commands.run(Duration.ofSeconds(15), "ping", "-n", "-c", "3", "-i", "0.2", "-W",
                "2", "10.55.20.2");
            assertThat(ping.exitCode()).as(ping.toString()).isZero();

            host.terminate();
            Launcher.Result result = host.await(STOP);
            assertThat(result.out()).as(result.toString()).contains("jpnr0 left as it was");
            assertThat(result.err()).as(result.toString()).doesNotContain("EPERM");
        } finally {
            deleteIfPresent("jpnr0");
        }
    }

    @Test
    void ownerWithoutCapabilitiesIsToldWhatToAskRootFor() throws Exception {
        try {
            Launcher.Result made = Launcher.run(START, "mkdev", "--dev", "jpnr1", "--user", "0");
            assertThat(made.exitCode()).as(made.toString()).isZero();

            Launcher.Result result = Launcher.startWithoutCapabilities("host", "--dev", "jpnr1", "--address",
                "10.55.21.2/24", "--no-kernel-address").await(START);

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
            assertThat(result.err()).as(result.toString()).hasLineCount(1)
                .startsWith("jpair host: not permitted to bring jpnr1 up (")
                .contains("EPERM", "ask root to run 'ip link set jpnr1 up'");
            assertThat(ExistingDevice.exists("jpnr1")).as("the owner's device stays").isTrue();
        } finally {
            deleteIfPresent("jpnr1");
        }
    }

    @Test
    void ownerWithoutCapabilitiesSkipsAnMtuAndAddressAlreadySet() throws Exception {
        try {
            Launcher.Result made = Launcher.run(START, "mkdev", "--dev", "jpnr2", "--user", "0");
            assertThat(made.exitCode()).as(made.toString()).isZero();
            Commands.run(Duration.ofSeconds(10), "ip", "link", "set", "jpnr2", "mtu", "1400", "up");
            Commands.run(Duration.ofSeconds(10), "ip", "addr", "add", "10.55.22.1/24", "dev", "jpnr2");

            Launcher.Running host = Launcher.startWithoutCapabilities("host", "--dev", "jpnr2", "--address",
                "10.55.22.2/24", "--mtu", "1400");
            assertThat(host.awaitOutput("Ctrl-C to stop", START)).as(host.snapshot().toString()).isTrue();
            assertThat(host.snapshot().err()).contains("jpnr2 already has 10.55.22.1/24 on the kernel side");

            host.terminate();
            assertThat(host.await(STOP).out()).contains("jpnr2 left as it was");
        } finally {
            deleteIfPresent("jpnr2");
        }
    }

    private static void deleteIfPresent(String name) throws Exception {
        if (ExistingDevice.exists(name)) {
            try (RtNetlink rtnl = RtNetlink.open()) {
                rtnl.deleteLink(name);
            }
        }
    }
}

package io.jpair.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code sudo ./jpair demo}, exactly as the README runs it: the demo makes its own throwaway
 * namespace, so this test runs in the caller's namespace and checks that nothing is left there.
 */
@KernelTest(ownNamespace = true)
class DemoKernelTest {
    private static final Duration DEMO_TIMEOUT = Duration.ofSeconds(90);

    @BeforeAll
    static void build() {
        Launcher.ensureBuilt();
    }

    private static List<String> demoDevices() throws Exception {
        try (Stream<Path> links = Files.list(Path.of("/sys/class/net"))) {
            return links.map(path -> path.getFileName().toString()).filter(name -> name.startsWith("jpdemo")).toList();
        }
    }

    private static List<ProcessHandle> innerDemos() {
        return ProcessHandle.allProcesses()
            .filter(p -> p.info().arguments().map(args -> List.of(args).contains("--in-namespace")).orElse(false))
            .toList();
    }

    @Test
    void demoPassesEveryCheckAndLeavesNothingBehind() throws Exception {
        Launcher.Result result = Launcher.run(DEMO_TIMEOUT, "demo");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<String> checks = result.out().lines().filter(line -> line.matches("  (PASS|FAIL)  .*")).toList();
        assertThat(checks).as(result.toString()).hasSizeGreaterThanOrEqualTo(5).allMatch(line -> line.startsWith("  PASS"));
        assertThat(result.out()).contains("ping 10.77.1.2", "UDP echo 10.77.1.2:7", "ping 10.77.2.2", "ARP 10.77.2.2",
            "UDP echo 10.77.2.2:7", "ping -s 3000 10.77.1.2", "ping -s 3000 10.77.2.2", "UDP 10.77.1.2:33434 refused",
            "UDP 10.77.2.2:33434 refused", "TCP echo 10.77.1.2:7", "TCP echo 10.77.2.2:7", "curl http://10.77.1.2/",
            "curl http://10.77.2.2/", "curl http://[fd00:77:2::2]/", "rtt min/avg/max", "jpair counters",
            "all " + checks.size() + " checks passed");
        assertThat(demoDevices()).as("demo devices in the caller's namespace").isEmpty();
        assertThat(innerDemos()).as("demo processes left running").isEmpty();
    }

    @Test
    void sigtermStopsTheDemoEarlyAndLeavesNothingBehind() throws Exception {
        Launcher.Running demo = Launcher.start("demo", "--count", "20");
        assertThat(demo.awaitOutput("TUN jpdemo-tun0", Duration.ofSeconds(60))).as(demo.snapshot().toString()).isTrue();
        Thread.sleep(500);

        demo.terminate();

        Launcher.Result result = demo.await(Duration.ofSeconds(15));
        assertThat(result.exitCode()).as(result.toString()).isNotZero().isNotEqualTo(-1);
        assertThat(result.out()).contains("stopped early");
        assertThat(demoDevices()).isEmpty();
        assertThat(innerDemos()).isEmpty();
    }
}

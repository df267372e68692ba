package io.jpair.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.kernel.ChildNetns;
import io.jpair.kernel.KernelTest;
import io.jpair.kernel.Shell;
import io.jpair.reactor.EpollReactor;
import io.jpair.tuntap.TuntapPort;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Conformance of fragments, ICMP errors and path MTU, the way a conformance suite checks a stack:
 * one scapy program ({@code fragconf.py}: reordered, overlapping, duplicate and lone fragments, UDP
 * to a closed port, a "fragmentation needed") is run first against the Linux kernel of a child
 * namespace over a veth pair, the reference host, and then against a jpair host on a TUN device;
 * every observation must be the same. Both hosts get a 2 s reassembly timeout so the Time
 * Exceeded case stays short. Needs scapy ({@code python3-scapy}), required under CI=true.
 */
@KernelTest
class FragmentConformanceKernelTest {
    private static final String PYTHON = "/usr/bin/python3";

    private EpollReactor reactor;
    private Thread loop;
    private TuntapPort port;
    private ChildNetns child;

    @AfterEach
    void stop() throws Exception {
        if (child != null) {
            child.close();
        }
        if (reactor == null) {
            return;
        }
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        reactor.callFromThread(() -> port.stopListening().whenComplete((v, e) -> {
            reactor.stop();
            stopped.complete(null);
        }));
        stopped.get(5, TimeUnit.SECONDS);
        loop.join(5000);
        reactor.close();
    }

    private static Path script() throws Exception {
        Path file = Files.createTempFile("fragconf", ".py");
        file.toFile().deleteOnExit();
        try (InputStream in = FragmentConformanceKernelTest.class.getResourceAsStream("fragconf.py")) {
            Files.write(file, in.readAllBytes());
        }
        return file;
    }

    private static String observe(String device, String target) throws Exception {
        Shell.Result result = Shell.run(60, PYTHON, script().toString(), device, target, "2");
        assertThat(result.exitCode()).as(result.output()).isZero();
        // one line per case (scapy may print warnings around them)
        return String.join("\n", result.output().lines().filter(line -> line.matches("[a-z][a-zA-Z0-9 ]+: .*"))
            .toList());
    }

    @Test
    void jpairAnswersFragmentsErrorsAndPathMtuAsLinuxDoes() throws Exception {
        Shell.Result probe = Shell.run(30, PYTHON, "-c", "import scapy.all");
        if ("true".equals(System.getenv("CI"))) {
            assertThat(probe.ok()).as("scapy is required under CI=true (apt-get install python3-scapy): "
                + probe.output()).isTrue();
        }
        Assumptions.assumeTrue(probe.ok(), "scapy is missing (apt-get install python3-scapy)");

        // The reference: Linux in a child namespace behind a veth pair.
        child = ChildNetns.start();
        Shell.ip("link", "add", "jv0", "type", "veth", "peer", "name", "jv1");
        Shell.ip("link", "set", "jv1", "netns", child.path().toString());
        Shell.ip("addr", "add", "10.77.5.1/24", "dev", "jv0");
        Shell.ip("link", "set", "jv0", "up");
        child.check("ip", "addr", "add", "10.77.5.2/24", "dev", "jv1");
        child.check("ip", "link", "set", "jv1", "up");
        child.check("sysctl", "-q", "-w", "net.ipv4.ipfrag_time=2");
        Shell.run(10, "ping", "-c", "1", "-W", "2", "-n", "10.77.5.2");
        String linux = observe("jv0", "10.77.5.2");

        // jpair on a TUN device.
        IpHost host = IpHost.onTun().address("10.77.0.2/24");
        host.ip().reassembler().timeouts(Duration.ofSeconds(2), Duration.ofSeconds(2));
        reactor = new EpollReactor();
        port = host.listen("jt0", reactor);
        loop = new Thread(reactor::run, "jpair-reactor");
        loop.setDaemon(true);
        loop.start();
        Shell.ip("addr", "add", "10.77.0.1/24", "dev", "jt0");
        Shell.ip("link", "set", "jt0", "up");
        String jpair = observe("jt0", "10.77.0.2");

        System.out.println("Linux:\n" + linux + "\njpair:\n" + jpair);
        assertThat(linux).as("the reference answers as the RFCs say").contains(
            "reordered fragments: answered", "overlapping fragments: not answered", "duplicate fragment: answered",
            "first fragment only: time exceeded code 1 quoting it", "later fragment only: nothing",
            "closed UDP port: port unreachable quoting the datagram",
            "fragmentation needed 1000: reply in fragments of at most 1000");
        assertThat(jpair).isEqualTo(linux);
    }
}

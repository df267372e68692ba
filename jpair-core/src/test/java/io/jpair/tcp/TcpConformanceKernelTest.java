package io.jpair.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.host.IpHost;
import io.jpair.kernel.ChildNetns;
import io.jpair.kernel.KernelTest;
import io.jpair.kernel.Shell;
import io.jpair.reactor.EpollReactor;
import io.jpair.services.TcpEcho;
import io.jpair.tuntap.TuntapPort;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * TCP conformance the way a conformance suite checks a stack: one scapy program
 * ({@code tcpconf.py}) plays the peer of an echo service on port 7, first against the Linux kernel
 * of a child namespace over a veth pair (the reference host, a python echo listener), then
 * against a jpair {@link IpHost} on a TUN device. Cases: the SYN-ACK's options for a SYN with and
 * without options, the RST for a closed port, RFC 5961's challenge ACK, the immediate duplicate
 * ACK with a SACK block for out-of-order data, the SYN-ACK retransmission after 1 s, the zero
 * window probe, a SYN in two IP fragments, the peer's MSS bounding every segment, and a
 * "fragmentation needed" quoting a segment in flight (resent in segments that fit). Observable fields are compared (flags, ACK numbers,
 * the presence of options, SACK edges), never ISNs or windows.
 *
 * <p>Where the two legitimately differ the script normalises the RFC requirement: a zero window
 * probe is Linux's SND.UNA - 1 with no data or jpair's one new byte (both are probes, RFC 9293
 * section 3.8.6.1). Needs scapy ({@code python3-scapy}), required under CI=true.
 */
@KernelTest
class TcpConformanceKernelTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final String ECHO = String.join("\n",
        "import socket, threading, signal",
        "signal.alarm(80)",
        "s = socket.create_server(('0.0.0.0', 7))",
        "print('ready', flush=True)",
        "def serve(c):",
        "    with c:",
        "        while True:",
        "            d = c.recv(65536)",
        "            if not d:",
        "                return",
        "            c.sendall(d)",
        "while True:",
        "    c, _ = s.accept()",
        "    threading.Thread(target=serve, args=(c,), daemon=True).start()");

    private EpollReactor reactor;
    private Thread loop;
    private TuntapPort port;
    private ChildNetns child;
    private Process kernelEcho;

    @AfterEach
    void stop() throws Exception {
        if (kernelEcho != null) {
            kernelEcho.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
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
        Path file = Files.createTempFile("tcpconf", ".py");
        file.toFile().deleteOnExit();
        try (InputStream in = TcpConformanceKernelTest.class.getResourceAsStream("tcpconf.py")) {
            Files.write(file, in.readAllBytes());
        }
        return file;
    }

    private static String observe(String device, String target, String source) throws Exception {
        Shell.Result result = Shell.run(40, PYTHON, script().toString(), device, target, source, "1500");
        assertThat(result.exitCode()).as(result.output()).isZero();
        return String.join("\n", result.output().lines().filter(line -> line.matches("[a-z][a-zA-Z0-9 -]+: .*"))
            .toList());
    }

    /** What both hosts must show: the RFC requirement of each case. */
    private static void assertConforms(String name, String observed) {
        assertThat(observed).as(name + " answers as the RFCs say").contains(
            "syn with options: syn-ack ack=seq+1 mss<=mtu-40 ws sack-permitted ts-echo",
            "syn without options: syn-ack without ws or ts",
            "closed port: rst ack=seq+1",
            "in-window rst: challenge ack",
            "out-of-order data: duplicate ack with sack block",
            "syn-ack retransmission: after about 1 s",
            "zero window: probed",
            "fragmented syn: 2 fragments, syn-ack",
            "peer mss 536: echo in segments of at most 536",
            "fragmentation needed 1000: resent in segments of at most 1000");
    }

    @Test
    void jpairAnswersTheTcpCasesAsLinuxDoes() throws Exception {
        Shell.Result probe = Shell.run(30, PYTHON, "-c", "import scapy.all");
        if ("true".equals(System.getenv("CI"))) {
            assertThat(probe.ok()).as("scapy is required under CI=true (apt-get install python3-scapy): "
                + probe.output()).isTrue();
        }
        Assumptions.assumeTrue(probe.ok(), "scapy is missing (apt-get install python3-scapy)");

        // The reference: Linux in a child namespace behind a veth pair, a python echo on port 7.
        child = ChildNetns.start();
        Shell.ip("link", "add", "jw0", "type", "veth", "peer", "name", "jw1");
        Shell.ip("link", "set", "jw1", "netns", child.path().toString());
        Shell.ip("addr", "add", "10.77.6.1/24", "dev", "jw0");
        Shell.ip("link", "set", "jw0", "up");
        child.check("ip", "addr", "add", "10.77.6.2/24", "dev", "jw1");
        // one segment per packet on the veth, as on a wire: no TSO super-packets for scapy to sniff
        child.check("ip", "link", "set", "jw1", "gso_max_segs", "1");
        child.check("ip", "link", "set", "jw1", "up");
        // the scripted peer's address 10.77.6.3 is owned by nobody: the child sends it to jw0's MAC
        java.util.regex.Matcher ether = java.util.regex.Pattern.compile("link/ether ([0-9a-f:]{17})")
            .matcher(Shell.check("ip", "-o", "link", "show", "jw0"));
        assertThat(ether.find()).isTrue();
        String mac = ether.group(1);
        child.check("ip", "neigh", "replace", "10.77.6.3", "lladdr", mac, "dev", "jw1", "nud", "permanent");
        kernelEcho = new ProcessBuilder("nsenter", "--net=" + child.path(), "--", PYTHON, "-c", ECHO)
            .redirectErrorStream(true).start();
        String ready = new BufferedReader(new InputStreamReader(kernelEcho.getInputStream(), StandardCharsets.UTF_8))
            .readLine();
        assertThat(ready).isEqualTo("ready");
        String linux = observe("jw0", "10.77.6.2", "10.77.6.3");

        // jpair on a TUN device, its echo service on port 7.
        IpHost host = IpHost.onTun().address("10.77.0.2/24").listenTcp(7, peer -> new TcpEcho());
        reactor = new EpollReactor();
        port = host.listen("jt0", reactor);
        loop = new Thread(reactor::run, "jpair-reactor");
        loop.setDaemon(true);
        loop.start();
        Shell.ip("addr", "add", "10.77.0.1/24", "dev", "jt0");
        Shell.ip("link", "set", "jt0", "up");
        String jpair = observe("jt0", "10.77.0.2", "10.77.0.3");

        System.out.println("Linux:\n" + linux + "\njpair:\n" + jpair);
        assertConforms("Linux", linux);
        assertConforms("jpair", jpair);
        assertThat(jpair).isEqualTo(linux);
    }
}

package io.jpair.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./jpair tunnel} between the test run's private namespace (end A: the tunnel creates
 * {@code jta0} itself) and a namespace made per test (end B: a {@code jtun0} made with
 * {@code ip tuntap}, as {@code peer-bench/tunnel/run.sh} does), joined by a veth: ping and a
 * 100 MB TCP transfer, byte-exact, plain, with offload, sealed, and sealed with offload; and a
 * sealed end facing an independent implementation of the format (Python's {@code cryptography})
 * that replays and forges datagrams, which are counted and never written into the device.
 */
@KernelTest
class TunnelKernelTest {
    private static final Duration START = Duration.ofSeconds(40);
    private static final Duration STOP = Duration.ofSeconds(15);
    private static final int TRANSFER_BYTES = 100 << 20;
    private static final String A = "10.98.1.1:5555";
    private static final String B = "10.98.1.2:5555";
    private static int namespaces;

    @TempDir
    static Path dir;

    private static Path data;
    private static String dataSha256;
    private static Path key;
    private static byte[] keyBytes;

    private String ns;
    private final List<Launcher.Running> running = new ArrayList<>();

    @BeforeAll
    static void prepare() throws IOException, NoSuchAlgorithmException {
        Launcher.ensureBuilt();
        byte[] chunk = new byte[1 << 20];
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        Random random = new Random(12);
        data = dir.resolve("transfer.bin");
        try (var out = Files.newOutputStream(data)) {
            for (int i = 0; i < TRANSFER_BYTES / chunk.length; i++) {
                random.nextBytes(chunk);
                sha.update(chunk);
                out.write(chunk);
            }
        }
        dataSha256 = HexFormat.of().formatHex(sha.digest());
        keyBytes = new byte[32];
        random.nextBytes(keyBytes);
        key = dir.resolve("tunnel.key");
        Files.writeString(key, HexFormat.of().formatHex(keyBytes) + "\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    }

    private static void sh(String... command) {
        Launcher.Result result = Commands.run(Duration.ofSeconds(20), command);
        assertThat(result.exitCode()).as(String.join(" ", command) + ": " + result).isZero();
    }

    @BeforeEach
    void twoEnds() {
        ns = "jptun" + ProcessHandle.current().pid() + "-" + namespaces++;
        sh("ip", "netns", "add", ns);
        sh("ip", "link", "add", "jtv0", "type", "veth", "peer", "name", "jtv1", "netns", ns);
        sh("ip", "addr", "add", "10.98.1.1/24", "dev", "jtv0");
        sh("ip", "link", "set", "jtv0", "up");
        sh("ip", "-n", ns, "link", "set", "lo", "up");
        sh("ip", "-n", ns, "addr", "add", "10.98.1.2/24", "dev", "jtv1");
        sh("ip", "-n", ns, "link", "set", "jtv1", "up");
        sh("ip", "-n", ns, "tuntap", "add", "dev", "jtun0", "mode", "tun");
        sh("ip", "-n", ns, "link", "set", "jtun0", "mtu", "1400");
        sh("ip", "-n", ns, "addr", "add", "10.98.10.2/24", "dev", "jtun0");
        sh("ip", "-n", ns, "link", "set", "jtun0", "up");
    }

    @AfterEach
    void cleanUp() {
        for (Launcher.Running process : running) {
            if (process.process().isAlive()) {
                process.terminate();
                process.await(STOP);
            }
        }
        Commands.run(Duration.ofSeconds(20), "ip", "netns", "del", ns);
        Commands.run(Duration.ofSeconds(20), "ip", "link", "del", "jtv0");
    }

    private Launcher.Running endA(String... extra) throws InterruptedException {
        List<String> args = new ArrayList<>(List.of("tunnel", "--dev", "jta0", "--address", "10.98.10.1/24", "--mtu",
            "1400", "--local", A, "--peer", B, "--stats"));
        args.addAll(List.of(extra));
        Launcher.Running tunnel = Launcher.start(args.toArray(String[]::new));
        running.add(tunnel);
        assertThat(tunnel.awaitOutput("Ctrl-C to stop", START)).as(tunnel.snapshot().toString()).isTrue();
        return tunnel;
    }

    private Launcher.Running endB(String... extra) throws InterruptedException {
        List<String> args = new ArrayList<>(List.of("tunnel", "--dev", "jtun0", "--local", B, "--peer", A));
        args.addAll(List.of(extra));
        Launcher.Running tunnel = Launcher.startIn(ns, args.toArray(String[]::new));
        running.add(tunnel);
        assertThat(tunnel.awaitOutput("Ctrl-C to stop", START)).as(tunnel.snapshot().toString()).isTrue();
        return tunnel;
    }

    private static Path resource(String name) {
        try {
            return Path.of(TunnelKernelTest.class.getResource("/tunnel/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private void assertPingAndTransferThrough(String... options) throws Exception {
        Launcher.Running a = endA(options);
        endB(options);

        Launcher.Result ping = Commands.run(Duration.ofSeconds(30), "ping", "-n", "-c", "3", "-i", "0.2", "-W", "2",
            "-w", "20", "10.98.10.2");
        assertThat(ping.exitCode()).as(ping.toString()).isZero();

        Launcher.Running server = new Launcher.Running(new ProcessBuilder("ip", "netns", "exec", ns, "/usr/bin/python3",
            resource("transfer.py").toString(), "serve", "10.98.10.2", "5201").start());
        Launcher.Result sent = Commands.run(Duration.ofSeconds(90), "/usr/bin/python3", resource("transfer.py").toString(),
            "send", "10.98.10.2", "5201", data.toString());
        Launcher.Result received = server.await(Duration.ofSeconds(30));
        assertThat(sent.out()).as(sent.toString()).isEqualTo("sent " + TRANSFER_BYTES + "\n");
        assertThat(received.out()).as(received.toString())
            .isEqualTo("received " + TRANSFER_BYTES + " sha256 " + dataSha256 + "\n");

        a.terminate();
        Launcher.Result stopped = a.await(STOP);
        assertThat(stopped.out()).as(stopped.toString()).contains("jpair tunnel: stopped by signal")
            .containsPattern("dropped: too_short=0 bad_tag=0 replayed=0 too_old=0 reflected=0 not_ip=0"
                + " too_big=0 counter_exhausted=0");
        assertThat(ExistingDevice.exists("jta0")).as("the device the tunnel created is removed").isFalse();
    }

    @Test
    void plainTunnelCarriesPingAndAHundredMegabytesByteExact() throws Exception {
        assertPingAndTransferThrough();
    }

    @Test
    void offloadedTunnelCarriesPingAndAHundredMegabytesByteExact() throws Exception {
        assertPingAndTransferThrough("--offload");
    }

    @Test
    void sealedTunnelCarriesPingAndAHundredMegabytesByteExact() throws Exception {
        assertPingAndTransferThrough("--key", key.toString());
    }

    @Test
    void sealedOffloadedTunnelCarriesPingAndAHundredMegabytesByteExact() throws Exception {
        assertPingAndTransferThrough("--key", key.toString(), "--offload");
    }

    @Test
    void replayedAndForgedDatagramsAreCountedAndNeverWrittenIntoTheDevice() throws Exception {
        Launcher.Running a = endA("--key", key.toString());

        Launcher.Result forge = Commands.run(Duration.ofSeconds(60), "ip", "netns", "exec", ns, "/usr/bin/python3",
            resource("forge.py").toString(), HexFormat.of().formatHex(keyBytes), "10.98.1.2", "5555", "10.98.1.1",
            "5555", "10.98.10.2", "10.98.10.1");
        assertThat(forge.out()).as(forge.toString()).isEqualTo("reply ok\nsent replay\nsent forgery\n");

        assertThat(a.awaitOutput("bad_tag=1 replayed=1", Duration.ofSeconds(10))).as(a.snapshot().toString()).isTrue();
        Launcher.Result link = Commands.run(Duration.ofSeconds(10), "ip", "-s", "-j", "link", "show", "jta0");
        Matcher rx = Pattern.compile("\"rx\":\\{\"bytes\":\\d+,\"packets\":(\\d+)").matcher(link.out());
        assertThat(rx.find()).as(link.toString()).isTrue();
        a.terminate();
        Launcher.Result stopped = a.await(STOP);
        Matcher last = Pattern.compile("jta0: out \\d+ packets \\(\\d+ B\\), in (\\d+) .*bad_tag=(\\d+) replayed=(\\d+)")
            .matcher(stopped.out());
        String inbound = null;
        String lastStats = null;
        while (last.find()) {
            inbound = last.group(1);
            lastStats = last.group();
        }
        assertThat(lastStats).as(stopped.toString()).contains("bad_tag=1 replayed=1");
        // The kernel counts every packet written into jta0 as received on it: exactly the genuine
        // echo requests the tunnel let in (one per try forge.py needed), not the replay or the forgery.
        assertThat(Long.parseLong(inbound)).isPositive();
        assertThat(rx.group(1)).as("packets written into jta0").isEqualTo(inbound);
        assertThat(stopped.out()).contains("jpair tunnel: stopped by signal");
    }
}

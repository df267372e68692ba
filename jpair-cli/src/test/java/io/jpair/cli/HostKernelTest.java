package io.jpair.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.netlink.RtNetlink;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./jpair host} on real devices in the test run's private namespace, driven by the kernel's
 * {@code ping} and a {@code socat} UDP client.
 */
@KernelTest
class HostKernelTest {
    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration STOP = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    @BeforeAll
    static void build() {
        Launcher.ensureBuilt();
    }

    private static Launcher.Running startHost(String device, String... more) throws Exception {
        String[] args = new String[3 + more.length];
        args[0] = "host";
        args[1] = "--dev";
        args[2] = device;
        System.arraycopy(more, 0, args, 3, more.length);
        Launcher.Running host = Launcher.start(args);
        assertThat(host.awaitOutput("Ctrl-C to stop", START)).as(host.snapshot().toString()).isTrue();
        return host;
    }

    private static void assertPingAnswered(String address) {
        // Let neighbour discovery finish first: on a loaded machine the kernel may retransmit its
        // first solicitation a second later, which is kernel timing, not the host's answer.
        Commands.run(Duration.ofSeconds(10), "ping", "-n", "-c", "1", "-w", "5", address);
        Launcher.Result ping = Commands.run(Duration.ofSeconds(15), "ping", "-n", "-c", "3", "-i", "0.2", "-W", "2",
            "-w", "10", address);
        assertThat(ping.exitCode()).as(ping.toString()).isZero();
        assertThat(ping.out()).contains("3 packets transmitted, 3 received");
    }

    private static void assertUdpEchoed(String address, int port) {
        String target = address.contains(":") ? "UDP6:[" + address + "]:" + port : "UDP4:" + address + ":" + port;
        Launcher.Result socat = Commands.runWithInput(Duration.ofSeconds(15), "hello jpair\n", "socat", "-t", "1",
            "-T", "3", "-", target);
        assertThat(socat.exitCode()).as(socat.toString()).isZero();
        assertThat(socat.out()).isEqualTo("hello jpair\n");
    }

    @Test
    void tunHostAnswersPingAndSocatThenRemovesItsDevice() throws Exception {
        Launcher.Running host = startHost("jphost0", "--address", "10.55.0.2/24", "--udp-echo", "7");
        assertThat(host.snapshot().out()).contains("jphost0 (TUN, created) is up: jpair 10.55.0.2/24, kernel 10.55.0.1/24");

        assertPingAnswered("10.55.0.2");
        assertUdpEchoed("10.55.0.2", 7);

        host.terminate();
        Launcher.Result result = host.await(STOP);
        assertThat(result.out()).as(result.toString()).contains("jpair host: stopped by signal; jphost0 removed");
        assertThat(ExistingDevice.exists("jphost0")).isFalse();
    }

    @Test
    void tunHostWithOffloadAnswersPingAndSocat() throws Exception {
        Launcher.Running host = startHost("jphost9", "--offload", "--address", "10.55.9.2/24", "--udp-echo", "7");
        assertThat(host.snapshot().out()).contains("jphost9 (TUN, created, offload CSUM|TSO4|TSO6");

        assertPingAnswered("10.55.9.2");
        assertUdpEchoed("10.55.9.2", 7);

        host.terminate();
        Launcher.Result result = host.await(STOP);
        assertThat(result.out()).as(result.toString()).contains("jpair host: stopped by signal; jphost9 removed");
    }

    @Test
    void tapHostAnswersArpPingAndSocat() throws Exception {
        Launcher.Running host = startHost("jphost1", "--tap", "--mac", "02:6a:70:00:55:02", "--address",
            "10.55.1.2/24", "--udp-echo", "7", "--udp-echo", "9000");

        assertPingAnswered("10.55.1.2");
        assertUdpEchoed("10.55.1.2", 9000);
        assertThat(ArpTable.resolved("10.55.1.2", "jphost1")).isEqualTo("02:6a:70:00:55:02");

        host.interrupt();
        Launcher.Result result = host.await(STOP);
        assertThat(result.out()).as(result.toString()).contains("jpair host: stopped by signal; jphost1 removed");
        assertThat(ExistingDevice.exists("jphost1")).isFalse();
    }

    @Test
    void ipv6HostAnswersPing6AndSocat() throws Exception {
        Launcher.Running host = startHost("jphost2", "--tap", "--address", "fd00:55:2::2/64", "--udp-echo", "7");
        assertThat(host.snapshot().out()).contains("kernel fd00:55:2::1/64");

        assertPingAnswered("fd00:55:2::2");
        assertUdpEchoed("fd00:55:2::2", 7);

        host.terminate();
        assertThat(host.await(STOP).out()).contains("jphost2 removed");
    }

    @Test
    void statsPrintsCountersEverySecond() throws Exception {
        Launcher.Running host = startHost("jphost3", "--address", "10.55.3.2/24", "--stats");
        assertPingAnswered("10.55.3.2");

        assertThat(host.awaitOutput("jphost3: in ", Duration.ofSeconds(5))).as(host.snapshot().toString()).isTrue();
        host.terminate();
        Launcher.Result result = host.await(STOP);
        assertThat(result.out()).containsPattern("jphost3: in \\d+ packets \\(\\d+ B\\), out \\d+ \\(\\d+ B\\), 0 dropped");
    }

    @Test
    void loopbackDeviceGetsOneHintWhateverTheType() {
        String line = "jpair host: lo exists and is neither a TUN nor a TAP device (a loopback, Ethernet or other link):"
            + " pick another name";

        Launcher.Result tun = Launcher.run(START, "host", "--dev", "lo", "--address", "10.55.30.2/24");
        Launcher.Result tap = Launcher.run(START, "host", "--dev", "lo", "--tap", "--address", "10.55.30.2/24");

        assertThat(tun.exitCode()).as(tun.toString()).isEqualTo(1);
        assertThat(tun.err().strip()).isEqualTo(line);
        assertThat(tap.exitCode()).as(tap.toString()).isEqualTo(1);
        assertThat(tap.err().strip()).isEqualTo(line);
    }

    @Test
    void tapHostAnnouncesItselfWhenItsNewDeviceComesUp() throws Exception {
        // arp_accept for devices created from now on: the kernel makes an entry from a gratuitous ARP.
        Files.writeString(Path.of("/proc/sys/net/ipv4/conf/default/arp_accept"), "1");
        try {
            Launcher.Running host = startHost("jphost8", "--tap", "--mac", "02:6a:70:00:55:08", "--address",
                "10.55.8.2/24");

            // Nothing has been sent to the host, so only its announcement can make this entry (bounded: 5 s).
            String entry = "";
            for (int i = 0; i < 50 && !entry.contains("02:6a:70:00:55:08"); i++) {
                Thread.sleep(100);
                entry = Commands.run(Duration.ofSeconds(5), "ip", "neigh", "show", "10.55.8.2", "dev", "jphost8").out();
            }
            assertThat(entry).contains("10.55.8.2 lladdr 02:6a:70:00:55:08");
            host.terminate();
            host.await(STOP);
        } finally {
            Files.writeString(Path.of("/proc/sys/net/ipv4/conf/default/arp_accept"), "0");
        }
    }

    @Test
    void persistKeepsTheDeviceAfterExit() throws Exception {
        Launcher.Running host = startHost("jphost4", "--address", "10.55.4.2/24", "--persist");
        host.terminate();
        Launcher.Result result = host.await(STOP);

        assertThat(result.out()).as(result.toString()).contains("jphost4 kept (--persist)");
        assertThat(ExistingDevice.exists("jphost4")).isTrue();
        try (RtNetlink rtnl = RtNetlink.open()) {
            rtnl.deleteLink("jphost4");
        }
    }

    @Test
    void wrongDeviceTypeIsOneClearLine() throws Exception {
        Launcher.Running tap = startHost("jphost5", "--tap", "--address", "10.55.5.2/24", "--persist");
        tap.terminate();
        tap.await(STOP);

        Launcher.Result result = Launcher.run(START, "host", "--dev", "jphost5", "--address", "10.55.5.2/24");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err().strip())
            .isEqualTo("jpair host: jphost5 exists and is a TAP device, not TUN: add --tap or pick another name");
        try (RtNetlink rtnl = RtNetlink.open()) {
            rtnl.deleteLink("jphost5");
        }
    }

    @Test
    void statsToAPipeNobodyReadsLosesNoPing() throws Exception {
        // A FIFO this test holds open for reading (O_RDWR never blocks on open) and never reads, filled
        // up first (bounded: at most 1 MiB, from a daemon thread that blocks once the pipe is full).
        Path fifo = dir.resolve("stdout.fifo");
        assertThat(Commands.run(Duration.ofSeconds(5), "mkfifo", fifo.toString()).exitCode()).isZero();
        try (FileChannel pipe = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            Thread filler = Thread.ofPlatform().daemon().start(() -> {
                try {
                    for (int i = 0; i < 256; i++) {
                        pipe.write(ByteBuffer.allocate(4096));
                    }
                } catch (java.io.IOException closed) {
                    // The test is over.
                }
            });
            filler.join(1000);
            assertThat(filler.isAlive()).as("the pipe is full").isTrue();
            Launcher.Running host = Launcher.startWithStdoutTo(fifo, "host", "--dev", "jphost10", "--address",
                "10.55.10.2/24", "--stats");
            try {
                // Its stdout is never read, so only the device tells that it started (bounded: 30 s).
                boolean answered = false;
                for (int i = 0; i < 30 && !answered; i++) {
                    Thread.sleep(1000);
                    answered = Commands.run(Duration.ofSeconds(5), "ping", "-n", "-c", "1", "-W", "1", "10.55.10.2")
                        .exitCode() == 0;
                }
                assertThat(answered).as("jpair host answers at all: %s", host.snapshot()).isTrue();

                // About 3 s of once-a-second stats lines into the full pipe, while pinging.
                Launcher.Result ping = Commands.run(Duration.ofSeconds(20), "ping", "-n", "-c", "15", "-i", "0.2", "-W",
                    "2", "10.55.10.2");
                assertThat(ping.out()).as(ping.toString()).contains("15 packets transmitted, 15 received, 0% packet loss");
            } finally {
                host.terminate();
                Launcher.Result result = host.await(STOP);
                assertThat(result.exitCode()).as(result.toString()).isEqualTo(143);
            }
        }
        assertThat(ExistingDevice.exists("jphost10")).isFalse();
    }

    @Test
    void deletingTheDeviceEndsTheHostWithinASecondInOneLine() throws Exception {
        Launcher.Running host = startHost("jphost11", "--tap", "--address", "10.55.11.2/24");
        assertPingAnswered("10.55.11.2");

        long start = System.nanoTime();
        try (RtNetlink rtnl = RtNetlink.open()) {
            rtnl.deleteLink("jphost11");
        }
        Launcher.Result result = host.await(STOP);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(took).as(result.toString()).isLessThan(Duration.ofSeconds(1));
        assertThat(result.err()).as(result.toString()).isEqualTo("jpair host: jphost11 was deleted (read: EBADFD)\n");
    }

    @Test
    void tapMtuAtTheDriversLimitIsSet() throws Exception {
        Launcher.Running host = startHost("jphost12", "--tap", "--address", "10.55.12.2/24", "--mtu", "65521");
        assertThat(Commands.run(Duration.ofSeconds(5), "ip", "link", "show", "jphost12").out()).contains("mtu 65521");
        assertPingAnswered("10.55.12.2");
        host.terminate();
        assertThat(host.await(STOP).out()).contains("jphost12 removed");
    }
}

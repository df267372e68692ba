package io.jpair.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.netlink.RtNetlink;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./jpair capture} on real devices in the test run's private namespace: the files it writes
 * are read back with {@code tshark -r}.
 */
@KernelTest
class CaptureKernelTest {
    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration FINISH = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @BeforeAll
    static void build() {
        Launcher.ensureBuilt();
    }

    /** Waits for the capture to create its device, then gives the kernel side an address and brings it up. */
    private static void configureWhenCreated(Launcher.Running capture, String device, String kernelCidr)
            throws Exception {
        assertThat(capture.awaitOutput("jpair capture: reading " + device, START)).as(capture.snapshot().toString())
            .isTrue();
        try (DeviceSetup setup = new DeviceSetup()) {
            // No IPv6 chatter (router solicitations, MLD reports): the capture counts only what the test sends.
            setup.ipv6Setting(device, "disable_ipv6", "1");
            String[] parts = kernelCidr.split("/");
            setup.addAddress(device, InetAddress.getByName(parts[0]), Integer.parseInt(parts[1]));
            setup.up(device);
        }
    }

    private static void sendUdp(String from, String to, int port, int count) throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(from, 0))) {
            for (int i = 0; i < count; i++) {
                byte[] payload = ("datagram " + i).getBytes();
                socket.send(new DatagramPacket(payload, payload.length, InetAddress.getByName(to), port));
            }
        }
    }

    private static List<String> tshark(Path file, String... fields) {
        String[] command = new String[4 + 2 * fields.length];
        command[0] = "tshark";
        command[1] = "-r";
        command[2] = file.toString();
        command[3] = "-Tfields";
        for (int i = 0; i < fields.length; i++) {
            command[4 + 2 * i] = "-e";
            command[5 + 2 * i] = fields[i];
        }
        Launcher.Result result = Commands.run(Duration.ofSeconds(30), command);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result.out().lines().toList();
    }

    private static int linkType(Path file) throws Exception {
        return ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN).getInt(20);
    }

    @Test
    void tunCaptureWritesRawIpPcapThatTsharkDecodes() throws Exception {
        Path file = dir.resolve("tun.pcap");
        Launcher.Running capture = Launcher.start("capture", "--dev", "jpcap0", "-w", file.toString(), "-c", "3");
        configureWhenCreated(capture, "jpcap0", "10.66.0.1/24");

        sendUdp("10.66.0.1", "10.66.0.2", 9999, 3);

        Launcher.Result result = capture.await(FINISH);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.err()).contains("3 packets captured on jpcap0");
        assertThat(linkType(file)).isEqualTo(101);
        assertThat(tshark(file, "ip.dst", "udp.dstport", "data.len"))
            .containsExactly("10.66.0.2\t9999\t10", "10.66.0.2\t9999\t10", "10.66.0.2\t9999\t10");
        assertThat(ExistingDevice.exists("jpcap0")).as("the device the capture created is removed").isFalse();
    }

    @Test
    void tapCaptureWritesEthernetPcapWithTheKernelsArpRequest() throws Exception {
        Path file = dir.resolve("tap.pcap");
        Launcher.Running capture = Launcher.start("capture", "--dev", "jpcap1", "--tap", "-w", file.toString(),
            "-c", "1");
        configureWhenCreated(capture, "jpcap1", "10.66.1.1/24");

        sendUdp("10.66.1.1", "10.66.1.2", 9999, 1);

        Launcher.Result result = capture.await(FINISH);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(linkType(file)).isEqualTo(1);
        assertThat(tshark(file, "eth.dst", "arp.opcode", "arp.dst.proto_ipv4"))
            .containsExactly("ff:ff:ff:ff:ff:ff\t1\t10.66.1.2");
    }

    @Test
    void captureAttachesToAnExistingTapDeviceWithoutBeingTold() throws Exception {
        Launcher.Result made = Commands.run(Duration.ofSeconds(10), "ip", "tuntap", "add", "dev", "jpcap4", "mode", "tap");
        assertThat(made.exitCode()).as(made.toString()).isZero();
        try {
            Path file = dir.resolve("attached.pcap");
            Launcher.Running capture = Launcher.start("capture", "--dev", "jpcap4", "-w", file.toString(), "-c", "1");
            assertThat(capture.awaitOutput("jpair capture: reading jpcap4 (TAP, attached), link type ETHERNET (1)", START))
                .as(capture.snapshot().toString()).isTrue();
            try (DeviceSetup setup = new DeviceSetup()) {
                setup.ipv6Setting("jpcap4", "disable_ipv6", "1");
                setup.addAddress("jpcap4", InetAddress.getByName("10.66.4.1"), 24);
                setup.up("jpcap4");
            }
            sendUdp("10.66.4.1", "10.66.4.2", 9999, 1);

            Launcher.Result result = capture.await(FINISH);
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(tshark(file, "arp.opcode")).containsExactly("1");
            assertThat(ExistingDevice.exists("jpcap4")).as("an attached device stays").isTrue();
        } finally {
            try (RtNetlink rtnl = RtNetlink.open()) {
                rtnl.deleteLink("jpcap4");
            }
        }
    }

    @Test
    void captureWithoutAFilePrintsOneLinePerPacket() throws Exception {
        Launcher.Running capture = Launcher.start("capture", "--dev", "jpcap2", "-c", "2");
        configureWhenCreated(capture, "jpcap2", "10.66.2.1/24");

        sendUdp("10.66.2.1", "10.66.2.2", 5353, 2);

        Launcher.Result result = capture.await(FINISH);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out().lines())
            .hasSize(2)
            .allMatch(line -> line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{6} IPv4 10\\.66\\.2\\.1 > 10\\.66\\.2\\.2: UDP \\d+ > 5353,"
                + " payload 10, 38 bytes"));
    }

    @Test
    void sigtermStopsTheCaptureAndKeepsWhatItRecorded() throws Exception {
        Path file = dir.resolve("stopped.pcap");
        Launcher.Running capture = Launcher.start("capture", "--dev", "jpcap3", "-w", file.toString());
        configureWhenCreated(capture, "jpcap3", "10.66.3.1/24");
        sendUdp("10.66.3.1", "10.66.3.2", 9999, 2);
        Thread.sleep(300);

        capture.terminate();

        Launcher.Result result = capture.await(FINISH);
        assertThat(result.err()).contains("2 packets captured on jpcap3 (stopped by signal)");
        assertThat(tshark(file, "udp.dstport")).containsExactly("9999", "9999");
        assertThat(ExistingDevice.exists("jpcap3")).isFalse();
    }

    @Test
    void deletingTheDeviceEndsTheCaptureWithinASecondInOneLine() throws Exception {
        Launcher.Running capture = Launcher.start("capture", "--dev", "jpcap9");
        assertThat(capture.awaitOutput("jpair capture: reading jpcap9", START)).as(capture.snapshot().toString())
            .isTrue();

        long start = System.nanoTime();
        try (RtNetlink rtnl = RtNetlink.open()) {
            rtnl.deleteLink("jpcap9");
        }
        Launcher.Result result = capture.await(FINISH);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(took).as(result.toString()).isLessThan(Duration.ofSeconds(1));
        assertThat(result.err()).as(result.toString())
            .endsWith("\njpair capture: jpcap9 was deleted (read: EBADFD); 0 packets captured before\n");
    }
}

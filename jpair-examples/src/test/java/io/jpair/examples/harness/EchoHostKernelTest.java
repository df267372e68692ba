package io.jpair.examples.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.kernel.KernelTest;
import io.jpair.kernel.Shell;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * README "A whole host: ARP, ping, UDP, IPv6": EchoHost, started once for the class as the README
 * says, answers the kernel's {@code ping} and {@code ping -6} and echoes UDP in both IP versions.
 * Bounded: three pings and ten datagrams per test, each wait seconds at most.
 */
@KernelTest
class EchoHostKernelTest {
    private static final String DEVICE = "jtap0";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static ExampleProcess host;

    @BeforeAll
    static void startEchoHost() throws Exception {
        host = ExampleProcess.start("io.jpair.examples.EchoHost", DEVICE);
        host.awaitLine(line -> line.startsWith("listening on <TunnelAddress type=IFF_TAP name='" + DEVICE + "'>"), WAIT);
        awaitDuplicateAddressDetection();
    }

    @AfterAll
    static void stopEchoHost() throws Exception {
        if (host != null) {
            host.close();
        }
    }

    /** The kernel's fd00:77::1 is tentative (unusable as a source) until DAD ends, about a second. */
    private static void awaitDuplicateAddressDetection() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Shell.check("ip", "-6", "addr", "show", "dev", DEVICE, "tentative").isBlank()) {
            assertThat(System.nanoTime()).as("fd00:77::1 still tentative after " + WAIT).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static void assertThreeReplies(Shell.Result ping) {
        assertThat(ping.exitCode()).as(ping.output()).isZero();
        assertThat(ping.output()).contains("3 packets transmitted, 3 received");
    }

    @Test
    void echoHostAnswersPing() {
        assertThreeReplies(Shell.run(15, "ping", "-c", "3", "-i", "0.2", "-W", "2", "-n", "10.77.1.2"));
    }

    @Test
    void echoHostAnswersPing6() {
        assertThreeReplies(Shell.run(15, "ping", "-6", "-c", "3", "-i", "0.2", "-W", "2", "-n", "fd00:77::2"));
    }

    @Test
    void echoHostEchoesUdpOverIpv4() throws Exception {
        exchange(new InetSocketAddress(InetAddress.ofLiteral("10.77.1.1"), 0),
            new InetSocketAddress(InetAddress.ofLiteral("10.77.1.2"), 7));
    }

    @Test
    void echoHostEchoesUdpOverIpv6() throws Exception {
        exchange(new InetSocketAddress(InetAddress.ofLiteral("fd00:77::1"), 0),
            new InetSocketAddress(InetAddress.ofLiteral("fd00:77::2"), 7));
    }

    /**
     * Ten datagrams, each answered by the same bytes from the host's port 7. The first may wait
     * for ARP or neighbour discovery (the host queues it meanwhile), so it may be sent again.
     */
    private static void exchange(InetSocketAddress local, InetSocketAddress remote) throws Exception {
        try (DatagramSocket socket = new DatagramSocket(local)) {
            socket.setSoTimeout(2000);
            for (int i = 0; i < 10; i++) {
                byte[] out = ("datagram " + i + " to " + remote).getBytes(StandardCharsets.US_ASCII);
                DatagramPacket reply = new DatagramPacket(new byte[2048], 2048);
                for (int attempt = 1; ; attempt++) {
                    socket.send(new DatagramPacket(out, out.length, remote));
                    try {
                        do {
                            socket.receive(reply);
                        } while (i > 0 && text(reply).startsWith("datagram 0 "));   // a late echo of a resent first
                        break;
                    } catch (SocketTimeoutException e) {
                        if (i > 0 || attempt == 3) {
                            throw new AssertionError("no echo of datagram " + i + " from " + remote + "; host output:\n"
                                + host.transcript(), e);
                        }
                    }
                }
                assertThat(reply.getSocketAddress()).isEqualTo(remote);
                assertThat(text(reply)).isEqualTo(new String(out, StandardCharsets.US_ASCII));
            }
        }
    }

    private static String text(DatagramPacket packet) {
        return new String(packet.getData(), packet.getOffset(), packet.getLength(), StandardCharsets.US_ASCII);
    }
}

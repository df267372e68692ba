package io.jpair.examples.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.kernel.KernelTest;
import io.jpair.kernel.Shell;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * README "A tunnel": the PlainTunnel example on a TUN device, with this test as its peer (a UDP
 * socket on loopback): a ping routed into the device arrives as a datagram holding the packet, and
 * an echo request sent as a datagram enters the kernel, whose reply comes back the same way.
 * Bounded: every wait 10 s at most.
 */
@KernelTest
class PlainTunnelKernelTest {
    private static final String DEVICE = "jptex0";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static int checksum(byte[] b, int from, int to) {
        int sum = 0;
        for (int i = from; i < to; i += 2) {
            sum += (b[i] & 0xFF) << 8 | (i + 1 < to ? b[i + 1] & 0xFF : 0);
        }
        sum = (sum >>> 16) + (sum & 0xFFFF);
        return ~(sum + (sum >>> 16)) & 0xFFFF;
    }

    /** An ICMP echo request from 10.99.1.2 to 10.99.1.1 (the kernel's side of the device). */
    private static byte[] echoRequest() {
        byte[] p = new byte[28 + 8];
        p[0] = 0x45;
        p[3] = (byte) p.length;
        p[8] = 64;
        p[9] = 1;
        System.arraycopy(new byte[] {10, 99, 1, 2, 10, 99, 1, 1}, 0, p, 12, 8);
        int ip = checksum(p, 0, 20);
        p[10] = (byte) (ip >>> 8);
        p[11] = (byte) ip;
        p[20] = 8;
        p[24] = 0x4a;
        p[27] = 1;
        int icmp = checksum(p, 20, p.length);
        p[22] = (byte) (icmp >>> 8);
        p[23] = (byte) icmp;
        return p;
    }

    private static ByteBuffer receive(DatagramChannel peer) throws Exception {
        ByteBuffer datagram = ByteBuffer.allocate(65536);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (peer.receive(datagram) == null) {
            assertThat(System.nanoTime()).as("a datagram within %s", WAIT).isLessThan(deadline);
            Thread.sleep(10);
        }
        return datagram.flip();
    }

    @Test
    void pingsBecomeDatagramsAndDatagramsBecomePackets() throws Exception {
        try (DatagramChannel peer = DatagramChannel.open();
                ExampleProcess tunnel = ExampleProcess.start("io.jpair.examples.PlainTunnel", DEVICE, "127.0.0.1",
                    "6000", "127.0.0.1", "6001")) {
            peer.bind(new InetSocketAddress("127.0.0.1", 6001)).configureBlocking(false);
            Shell.check("ip", "link", "set", "lo", "up");
            tunnel.awaitLine(line -> line.startsWith("tunnel <TunnelAddress type=IFF_TUN name='" + DEVICE + "'>"),
                WAIT);
            Shell.check("ip", "addr", "add", "10.99.1.1/24", "dev", DEVICE);
            Shell.check("ip", "link", "set", DEVICE, "up");

            Shell.run(10, "ping", "-c", "1", "-W", "1", "-n", "10.99.1.2");   // nobody answers it
            ByteBuffer ping = receive(peer);
            while (ping.get(0) >> 4 != 4) {                                    // skip the kernel's IPv6 chatter
                ping = receive(peer);
            }
            assertThat(ping.remaining()).isEqualTo(84);
            assertThat(ping.get(9)).as("ICMP").isEqualTo((byte) 1);

            peer.send(ByteBuffer.wrap(echoRequest()), new InetSocketAddress("127.0.0.1", 6000));
            ByteBuffer reply = receive(peer);
            while (reply.get(0) >> 4 != 4 || reply.get(20) != 0) {
                reply = receive(peer);
            }
            assertThat(reply.remaining()).isEqualTo(36);
            assertThat(reply.get(19)).as("to 10.99.1.2").isEqualTo((byte) 2);
        }
    }
}

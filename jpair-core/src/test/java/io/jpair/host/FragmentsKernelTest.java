package io.jpair.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpair.ethernet.MacAddress;
import io.jpair.kernel.KernelTest;
import io.jpair.kernel.Shell;
import io.jpair.reactor.EpollReactor;
import io.jpair.tuntap.TuntapPort;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fragments and ICMP errors between a jpair host and the kernel in the test run's private network
 * namespace: {@code ping -s 3000} (the kernel fragments the request, jpair reassembles it and
 * fragments its reply, the kernel reassembles that) over TUN and TAP, IPv4 and IPv6; a 3000-byte
 * UDP echo; and a kernel UDP socket connected to a closed port seeing ECONNREFUSED from jpair's
 * port unreachable. Every loop is bounded in count and time.
 */
@KernelTest
class FragmentsKernelTest {
    private static final MacAddress MAC = MacAddress.parse("02:00:00:77:00:02");

    private EpollReactor reactor;
    private Thread loop;
    private TuntapPort port;

    private void run(IpHost host, String device) throws Exception {
        reactor = new EpollReactor();
        port = host.listen(device, reactor);
        loop = new Thread(reactor::run, "jpair-reactor");
        loop.setDaemon(true);
        loop.start();
    }

    @AfterEach
    void stop() throws Exception {
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

    private static void up(String device, String address) {
        if (address.contains(":")) {
            Shell.ip("-6", "addr", "add", address, "dev", device, "nodad");
        } else {
            Shell.ip("addr", "add", address, "dev", device);
        }
        Shell.ip("link", "set", device, "up");
    }

    private <T> T onReactor(java.util.function.Supplier<T> read) throws Exception {
        CompletableFuture<T> value = new CompletableFuture<>();
        reactor.callFromThread(() -> value.complete(read.get()));
        return value.get(5, TimeUnit.SECONDS);
    }

    private static void assertLargePingsAnswered(String... ping) {
        Shell.Result result = Shell.run(30, ping);
        System.out.println(result.output().strip().lines().reduce((a, b) -> b).orElse(""));
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("20 packets transmitted, 20 received", "3008 bytes from");
    }

    @Test
    void ping3000OverTunIsAnswered() throws Exception {
        IpHost host = IpHost.onTun().address("10.77.0.2/24");
        run(host, "jt0");
        up("jt0", "10.77.0.1/24");
        assertLargePingsAnswered("ping", "-c", "20", "-i", "0.05", "-W", "2", "-s", "3000", "-n", "10.77.0.2");
        assertThat(onReactor(() -> host.ip().reassembler().datagramsReassembled())).isGreaterThanOrEqualTo(20);
        assertThat(onReactor(() -> host.ip().fragmentsSent())).as("three fragments per reply").isGreaterThanOrEqualTo(60);
    }

    @Test
    void ping3000OverTapIsAnswered() throws Exception {
        IpHost host = IpHost.onTap(MAC).address("10.77.1.2/24");
        run(host, "jtap0");
        up("jtap0", "10.77.1.1/24");
        assertLargePingsAnswered("ping", "-c", "20", "-i", "0.05", "-W", "2", "-s", "3000", "-n", "10.77.1.2");
    }

    @Test
    void ping6Of3000OverTunIsAnswered() throws Exception {
        IpHost host = IpHost.onTun().address("fd00:77::2/64");
        run(host, "jt0");
        up("jt0", "fd00:77::1/64");
        assertLargePingsAnswered("ping", "-6", "-c", "20", "-i", "0.05", "-W", "2", "-s", "3000", "-n", "fd00:77::2");
    }

    @Test
    void ping6Of3000OverTapIsAnswered() throws Exception {
        IpHost host = IpHost.onTap(MAC).address("fd00:77::2/64");
        run(host, "jtap0");
        up("jtap0", "fd00:77::1/64");
        Shell.run(10, "ping", "-6", "-c", "1", "-W", "3", "-n", "fd00:77::2");  // neighbour discovery first
        assertLargePingsAnswered("ping", "-6", "-c", "20", "-i", "0.05", "-W", "2", "-s", "3000", "-n", "fd00:77::2");
    }

    @Test
    void a3000ByteUdpDatagramIsEchoedWhole() throws Exception {
        IpHost host = IpHost.onTun().address("10.77.0.2/24").udp(7, new IpHostTest.Echo());
        run(host, "jt0");
        up("jt0", "10.77.0.1/24");
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("10.77.0.1", 0))) {
            socket.setSoTimeout(2000);
            byte[] out = new byte[3000];
            for (int i = 0; i < out.length; i++) {
                out[i] = (byte) (i * 13);
            }
            socket.send(new DatagramPacket(out, out.length, new InetSocketAddress("10.77.0.2", 7)));
            DatagramPacket reply = new DatagramPacket(new byte[4000], 4000);
            socket.receive(reply);
            assertThat(Arrays.copyOf(reply.getData(), reply.getLength())).isEqualTo(out);
        }
    }

    private static void assertRefused(String local, String remote) throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.ofLiteral(local), 0))) {
            socket.setSoTimeout(2000);
            socket.connect(new InetSocketAddress(InetAddress.ofLiteral(remote), 9999));
            socket.send(new DatagramPacket(new byte[] {'?'}, 1));
            assertThatThrownBy(() -> socket.receive(new DatagramPacket(new byte[16], 16)))
                .as("ECONNREFUSED from the ICMP port unreachable").isInstanceOf(PortUnreachableException.class);
        }
    }

    @Test
    void aClosedUdpPortIsRefusedOverTun() throws Exception {
        IpHost host = IpHost.onTun().address("10.77.0.2/24").address("fd00:77::2/64");
        run(host, "jt0");
        up("jt0", "10.77.0.1/24");
        up("jt0", "fd00:77::1/64");
        assertRefused("10.77.0.1", "10.77.0.2");
        assertRefused("fd00:77::1", "fd00:77::2");
        assertThat(onReactor(() -> host.udp().portUnreachablesSent())).isEqualTo(2);
    }

    @Test
    void aClosedUdpPortIsRefusedOverTap() throws Exception {
        IpHost host = IpHost.onTap(MAC).address("10.77.1.2/24");
        run(host, "jtap0");
        up("jtap0", "10.77.1.1/24");
        Shell.run(10, "ping", "-c", "1", "-W", "3", "-n", "10.77.1.2");  // ARP first
        assertRefused("10.77.1.1", "10.77.1.2");
    }
}

package io.jpair.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.ethernet.MacAddress;
import io.jpair.kernel.KernelTest;
import io.jpair.kernel.Shell;
import io.jpair.netlink.LinkMonitor;
import io.jpair.reactor.EpollReactor;
import io.jpair.tuntap.TuntapPort;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A jpair host on real TUN and TAP devices in the test run's private network namespace, talking
 * to the kernel's own tools: {@code ping}, a UDP socket, the neighbour table. Every loop is
 * bounded in count and time; addresses are 10.77.x.y and fd00:77::/64, inside the namespace.
 */
@KernelTest
class IpHostKernelTest {
    private static final MacAddress MAC = MacAddress.parse("02:00:00:77:00:02");

    private EpollReactor reactor;
    private Thread loop;
    private TuntapPort port;
    private LinkMonitor monitor;

    private void run(IpHost host, String device) throws Exception {
        reactor = new EpollReactor();
        port = host.listen(device, reactor);
        loop = new Thread(reactor::run, "jpair-reactor");
        loop.setDaemon(true);
        loop.start();
    }

    /** Like {@link #run}, with a {@link LinkMonitor} giving the host its link's events. */
    private void runWatchingTheLink(IpHost host, String device) throws Exception {
        reactor = new EpollReactor();
        port = host.listen(device, reactor);
        monitor = new LinkMonitor(reactor, host);
        monitor.start();
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
        reactor.callFromThread(() -> {
            if (monitor != null) {
                monitor.stop();
            }
        });
        reactor.callFromThread(() -> port.stopListening().whenComplete((v, e) -> {
            reactor.stop();
            stopped.complete(null);
        }));
        stopped.get(5, TimeUnit.SECONDS);
        loop.join(5000);
        reactor.close();
    }

    private static void up(String device, String... addresses) {
        for (String address : addresses) {
            if (address.contains(":")) {
                Shell.ip("-6", "addr", "add", address, "dev", device, "nodad");
            } else {
                Shell.ip("addr", "add", address, "dev", device);
            }
        }
        Shell.ip("link", "set", device, "up");
    }

    private static void assertNoLoss(Shell.Result ping) {
        System.out.println(ping.output().strip().lines().reduce((a, b) -> b).orElse(""));
        assertThat(ping.exitCode()).as(ping.output()).isZero();
        assertThat(ping.output()).contains("100 packets transmitted, 100 received", " 0% packet loss");
    }

    @Test
    void gratuitousArpReachesTheKernelWhenTheLinkComesUpAfterListen() throws Exception {
        IpHost host = IpHost.onTap(MAC).address("10.77.9.2/24");
        runWatchingTheLink(host, "jtap9");   // the new device is down: the announcement at start cannot leave
        // arp_accept=1: the kernel makes a neighbour entry from a gratuitous ARP for an on-link address.
        Files.writeString(Path.of("/proc/sys/net/ipv4/conf/jtap9/arp_accept"), "1");
        Shell.ip("addr", "add", "10.77.9.1/24", "dev", "jtap9");
        // Outlast the series that started with the port, so only the link-up series can answer.
        Thread.sleep(IpHost.ANNOUNCEMENT_INTERVAL.toMillis() * IpHost.ANNOUNCEMENTS + 200);
        assertThat(Files.readString(Path.of("/proc/net/arp"))).doesNotContain("10.77.9.2 ");

        Shell.ip("link", "set", "jtap9", "up");

        // Nothing sent to the host: only its announcement can make this entry. Bounded: 5 s.
        String entry = "";
        for (int i = 0; i < 50 && !entry.contains("02:00:00:77:00:02"); i++) {
            Thread.sleep(100);
            entry = Shell.ip("neigh", "show", "10.77.9.2", "dev", "jtap9");
        }
        assertThat(entry).as("kernel neighbour entry for the host").contains("10.77.9.2 lladdr 02:00:00:77:00:02");
    }

    @Test
    void kernelPingOverTunGetsEveryReply() throws Exception {
        IpHost host = IpHost.onTun().address("10.77.0.2/24");
        run(host, "jt0");
        up("jt0", "10.77.0.1/24");
        assertNoLoss(Shell.run(15, "ping", "-c", "100", "-i", "0.01", "-W", "1", "-n", "10.77.0.2"));
        CompletableFuture<Long> replies = new CompletableFuture<>();
        reactor.callFromThread(() -> replies.complete(host.icmp().echoReplies()));
        assertThat(replies.get(5, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(100);
    }

    @Test
    void kernelPingOverTapGetsEveryReplyAndLearnsOurMac() throws Exception {
        IpHost host = IpHost.onTap(MAC).address("10.77.1.2/24");
        run(host, "jtap0");
        up("jtap0", "10.77.1.1/24");
        assertNoLoss(Shell.run(15, "ping", "-c", "100", "-i", "0.01", "-W", "1", "-n", "10.77.1.2"));
        assertThat(Shell.ip("neigh", "show", "dev", "jtap0")).contains("10.77.1.2 lladdr 02:00:00:77:00:02");
    }

    @Test
    void kernelPing6OverTapGetsEveryReplyAndLearnsOurMac() throws Exception {
        IpHost host = IpHost.onTap(MAC).address("fd00:77::2/64");
        run(host, "jtap0");
        up("jtap0", "fd00:77::1/64");
        assertNoLoss(Shell.run(15, "ping", "-6", "-c", "100", "-i", "0.01", "-W", "1", "-n", "fd00:77::2"));
        assertThat(Shell.ip("-6", "neigh", "show", "dev", "jtap0")).contains("fd00:77::2 lladdr 02:00:00:77:00:02");
    }

    @Test
    void kernelUdpSocketExchanges1000DatagramsOverTun() throws Exception {
        IpHost host = IpHost.onTun().address("10.77.0.2/24").udp(7, new IpHostTest.Echo());
        run(host, "jt0");
        up("jt0", "10.77.0.1/24");
        exchange(new InetSocketAddress("10.77.0.1", 0), new InetSocketAddress("10.77.0.2", 7));
        CompletableFuture<Long> sent = new CompletableFuture<>();
        reactor.callFromThread(() -> sent.complete(host.udp().datagramsSent())); // counters belong to the reactor
        assertThat(sent.get(5, TimeUnit.SECONDS)).as("1,000 echoes plus the warm-up probe").isGreaterThanOrEqualTo(1001);
    }

    @Test
    void kernelUdpSocketExchanges1000DatagramsOverTapIpv6() throws Exception {
        IpHost host = IpHost.onTap(MAC).address("fd00:77::2/64").udp(7, new IpHostTest.Echo());
        run(host, "jtap0");
        up("jtap0", "fd00:77::1/64");
        exchange(new InetSocketAddress(InetAddress.ofLiteral("fd00:77::1"), 0),
            new InetSocketAddress(InetAddress.ofLiteral("fd00:77::2"), 7));
    }

    /**
     * Neighbour discovery (or ARP) must finish before the first reply can go out; on a loaded
     * machine the kernel's first solicitation can be retransmitted a second later. One probe,
     * retried, is not counted among the 1,000.
     */
    private static void warmUp(DatagramSocket socket, InetSocketAddress remote, byte[] in) throws Exception {
        for (int attempt = 0; ; attempt++) {
            socket.send(new DatagramPacket(new byte[] {'w'}, 1, remote));
            try {
                socket.receive(new DatagramPacket(in, in.length));
                return;
            } catch (java.net.SocketTimeoutException e) {
                if (attempt == 4) {
                    throw e;
                }
            }
        }
    }

    /** 1,000 request/response pairs of varying size and content, each checked byte for byte. */
    private static void exchange(InetSocketAddress local, InetSocketAddress remote) throws Exception {
        try (DatagramSocket socket = new DatagramSocket(local)) {
            socket.setSoTimeout(1000);
            byte[] in = new byte[2048];
            warmUp(socket, remote, in);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            for (int i = 0; i < 1000; i++) {
                byte[] out = new byte[5 + (i * 37) % 1400];
                ByteBuffer.wrap(out).putInt(0, i).put(out.length - 1, (byte) i);
                for (int j = 4; j < out.length - 1; j++) {
                    out[j] = (byte) (i + j);
                }
                socket.send(new DatagramPacket(out, out.length, remote));
                DatagramPacket reply = new DatagramPacket(in, in.length);
                do {  // a retried warm-up probe's late echo may still arrive: it is not one of the 1,000
                    socket.receive(reply);
                } while (reply.getLength() == 1 && in[0] == 'w');
                assertThat(reply.getSocketAddress()).isEqualTo(remote);
                assertThat(Arrays.copyOf(reply.getData(), reply.getLength())).as("datagram %d", i).isEqualTo(out);
                assertThat(System.nanoTime()).as("time limit").isLessThan(deadline);
            }
        }
    }
}

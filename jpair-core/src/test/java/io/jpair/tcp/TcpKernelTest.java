package io.jpair.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpair.ethernet.MacAddress;
import io.jpair.host.IpHost;
import io.jpair.kernel.KernelTest;
import io.jpair.kernel.Shell;
import io.jpair.reactor.EpollReactor;
import io.jpair.stream.Protocol;
import io.jpair.tuntap.TunnelOptions;
import io.jpair.tuntap.TuntapPort;
import io.jpair.tuntap.offload.OffloadOptions;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * jpair's userspace TCP on real TUN and TAP devices in the test run's private network namespace,
 * against the kernel's own TCP (java.net sockets of this JVM): echo of 1 MiB over IPv4 and IPv6,
 * 100 concurrent connections, "Connection refused" from a closed port, and a connection jpair
 * opens to a kernel listener. Every transfer is bounded in size and time.
 */
@KernelTest
class TcpKernelTest {
    private EpollReactor reactor;
    private Thread loop;
    private TuntapPort port;

    /** Echoes; closes after the peer's FIN (the default readConnectionLost). */
    static final class Echo extends Protocol {
        @Override
        public void dataReceived(ByteBuffer data) {
            transport().write(data);
        }
    }

    private void run(IpHost host, String device, String... kernelAddresses) throws Exception {
        run(host, device, OffloadOptions.disabled(), kernelAddresses);
    }

    private void run(IpHost host, String device, OffloadOptions offload, String... kernelAddresses) throws Exception {
        reactor = new EpollReactor();
        port = host.listen(device, reactor, TunnelOptions.defaults(), offload, null);
        for (String address : kernelAddresses) {
            if (address.contains(":")) {
                Shell.ip("-6", "addr", "add", address, "dev", device, "nodad");
            } else {
                Shell.ip("addr", "add", address, "dev", device);
            }
        }
        Shell.ip("link", "set", device, "up");
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

    /** Sends {@code data} and reads the echo, on a kernel socket, within 30 s. */
    private static byte[] echoThrough(InetSocketAddress server, byte[] data) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(server, 5000);
            socket.setSoTimeout(30_000);
            byte[] back = new byte[data.length];
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(data);
                    out.flush();
                    socket.shutdownOutput();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            new DataInputStream(socket.getInputStream()).readFully(back);
            assertThat(socket.getInputStream().read()).as("the echo ends with a FIN").isEqualTo(-1);
            writer.join(30_000);
            return back;
        }
    }

    @Test
    void kernelClientEchoesOneMebibyteOverTunIpv4AndIpv6() throws Exception {
        IpHost host = IpHost.onTun().address("10.77.20.2/24").address("fd00:77:20::2/64").listenTcp(7, p -> new Echo());
        run(host, "jtcp0", "10.77.20.1/24", "fd00:77:20::1/64");
        byte[] data = TcpConnectionTest.randomBytes(1 << 20, 1);
        assertThat(echoThrough(new InetSocketAddress(InetAddress.ofLiteral("10.77.20.2"), 7), data)).isEqualTo(data);
        assertThat(echoThrough(new InetSocketAddress(InetAddress.ofLiteral("fd00:77:20::2"), 7), data)).isEqualTo(data);
        System.out.println(host.counters().entrySet().stream().filter(e -> e.getKey().startsWith("tcp.")
            && e.getValue() != 0).toList());
    }

    @Test
    void withTcpSuperPacketsTheEchoTakesAndSendsTsoSuperPackets() throws Exception {
        IpHost host = IpHost.onTun().address("10.77.26.2/24").address("fd00:77:26::2/64").listenTcp(7, p -> new Echo());
        run(host, "jtcp6", OffloadOptions.enabled().withTcpSuperPackets(true), "10.77.26.1/24", "fd00:77:26::1/64");
        byte[] data = TcpConnectionTest.randomBytes(4 << 20, 6);
        assertThat(echoThrough(new InetSocketAddress(InetAddress.ofLiteral("10.77.26.2"), 7), data)).isEqualTo(data);
        assertThat(echoThrough(new InetSocketAddress(InetAddress.ofLiteral("fd00:77:26::2"), 7), data)).isEqualTo(data);
        CompletableFuture<Long> superPackets = new CompletableFuture<>();
        reactor.callFromThread(() -> superPackets.complete(host.tcp().superPacketsSent()));
        assertThat(superPackets.get(5, TimeUnit.SECONDS)).isPositive();
        System.out.println(host.counters().entrySet().stream().filter(e -> e.getKey().startsWith("tcp.")
            && e.getValue() != 0).toList());
    }

    @Test
    void kernelClientEchoesOverTap() throws Exception {
        IpHost host = IpHost.onTap(MacAddress.parse("02:00:00:77:20:02")).address("10.77.21.2/24")
            .listenTcp(7, p -> new Echo());
        run(host, "jtcptap0", "10.77.21.1/24");
        byte[] data = TcpConnectionTest.randomBytes(256 * 1024, 2);
        assertThat(echoThrough(new InetSocketAddress(InetAddress.ofLiteral("10.77.21.2"), 7), data)).isEqualTo(data);
    }

    @Test
    void hundredConcurrentKernelConnectionsAreEachEchoed() throws Exception {
        IpHost host = IpHost.onTun().address("10.77.22.2/24").listenTcp(7, p -> new Echo());
        run(host, "jtcp2", "10.77.22.1/24");
        InetSocketAddress server = new InetSocketAddress(InetAddress.ofLiteral("10.77.22.2"), 7);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                byte[] data = TcpConnectionTest.randomBytes(20_000, i);
                results.add(pool.submit(() -> Arrays.equals(echoThrough(server, data), data)));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    @Test
    void kernelConnectToAClosedPortIsRefused() throws Exception {
        IpHost host = IpHost.onTun().address("10.77.23.2/24");
        run(host, "jtcp3", "10.77.23.1/24");
        try (Socket socket = new Socket()) {
            InetSocketAddress closed = new InetSocketAddress(InetAddress.ofLiteral("10.77.23.2"), 22);
            assertThatThrownBy(() -> socket.connect(closed, 5000))
                .isInstanceOf(ConnectException.class).hasMessageContaining("refused");
        }
    }

    @Test
    void jpairConnectsToAKernelListener() throws Exception {
        IpHost host = IpHost.onTun().address("10.77.24.2/24");
        run(host, "jtcp4", "10.77.24.1/24");
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress(InetAddress.ofLiteral("10.77.24.1"), 8080));
            listener.setSoTimeout(10_000);
            CompletableFuture<Protocol> connected = new CompletableFuture<>();
            InetSocketAddress kernel = new InetSocketAddress(InetAddress.ofLiteral("10.77.24.1"), 8080);
            reactor.callFromThread(() -> host.connectTcp(kernel,
                peer -> new Protocol() {
                    @Override
                    protected void connectionMade() {
                        transport().write("hello kernel".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                        transport().loseConnection();
                    }

                    @Override
                    public void dataReceived(ByteBuffer data) {
                    }
                }).whenComplete((p, e) -> {
                    if (e != null) {
                        connected.completeExceptionally(e);
                    } else {
                        connected.complete(p);
                    }
                }));
            try (Socket accepted = listener.accept()) {
                accepted.setSoTimeout(10_000);
                InputStream in = accepted.getInputStream();
                assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII))
                    .isEqualTo("hello kernel");
            }
            assertThat(connected.get(10, TimeUnit.SECONDS)).isNotNull();
        }
    }

    @Test
    void jpairConnectToAClosedKernelPortFailsWithConnectException() throws Exception {
        IpHost host = IpHost.onTun().address("10.77.25.2/24");
        run(host, "jtcp5", "10.77.25.1/24");
        CompletableFuture<Protocol> connected = new CompletableFuture<>();
        reactor.callFromThread(() -> host.connectTcp(new InetSocketAddress(InetAddress.ofLiteral("10.77.25.1"), 8081),
            peer -> new Echo()).whenComplete((p, e) -> connected.completeExceptionally(
                e != null ? e : new AssertionError("connected to a closed port"))));
        assertThatThrownBy(() -> connected.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ConnectException.class);
    }
}

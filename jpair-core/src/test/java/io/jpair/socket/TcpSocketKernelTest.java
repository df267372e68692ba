package io.jpair.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpair.kernel.KernelTest;
import io.jpair.kernel.Shell;
import io.jpair.reactor.ConnectionDone;
import io.jpair.stream.ConnectionAborted;
import io.jpair.stream.Protocol;
import io.jpair.transport.PushProducer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TcpPort}, {@link TcpConnector} and {@link TcpSocketTransport} against kernel peers (CPython
 * sockets, the JDK's blocking sockets) over 127.0.0.1 and ::1 in this run's private namespace.
 */
@KernelTest
class TcpSocketKernelTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;
    private ReactorThread loop;

    @BeforeAll
    static void loopbackUp() {
        Shell.ip("link", "set", "lo", "up");
    }

    @BeforeEach
    void startReactor() throws Exception {
        loop = new ReactorThread();
    }

    @AfterEach
    void stopReactor() throws Exception {
        loop.close();
        assertThat(loop.errors).as("errors the reactor caught").isEmpty();
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static String peerScript() throws Exception {
        return Path.of(TcpSocketKernelTest.class.getResource("tcppeer.py").toURI()).toString();
    }

    private static Process python(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("python3", peerScript()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static String output(Process process) throws Exception {
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("peer finished").isTrue();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.exitValue()).as("peer exit status; output: " + out).isZero();
        return out;
    }

    private TcpPort listen(String host, io.jpair.stream.ProtocolFactory<?> factory) throws Exception {
        return loop.call(() -> TcpPort.listenTcp(loop.reactor, 0, factory, 50, InetAddress.getByName(host)));
    }

    private void echoesOneMebibyteFromAPythonClient(String host) throws Exception {
        TcpPort listener = listen(host, peer -> new Echo());
        byte[] payload = random(MIB);
        Path in = Files.write(dir.resolve("in"), payload);
        Path out = dir.resolve("out");

        Process client = python("send-receive", host, Integer.toString(listener.getHost().getPort()), in.toString(),
            out.toString());
        output(client);

        assertThat(Files.readAllBytes(out)).isEqualTo(payload);
        listener.stopListening().get(5, TimeUnit.SECONDS);
    }

    @Test
    void listenerEchoesOneMebibyteByteExactOverIpv4() throws Exception {
        echoesOneMebibyteFromAPythonClient("127.0.0.1");
    }

    @Test
    void listenerEchoesOneMebibyteByteExactOverIpv6() throws Exception {
        echoesOneMebibyteFromAPythonClient("::1");
    }

    private void connectorExchangesOneMebibyteWithAPythonEchoServer(String host) throws Exception {
        Process server = python("echo-server", host);
        BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        int port = Integer.parseInt(lines.readLine().strip());
        byte[] payload = random(MIB);
        Recorder client = TcpConnector.connectTcp(loop.reactor, new InetSocketAddress(host, port), peer -> new Recorder(),
            Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);
        assertThat(client.made).isDone();

        loop.call(() -> client.transport().write(payload));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (client.receivedCount < MIB && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        loop.call(() -> {
            client.transport().loseConnection();
            return null;
        });

        assertThat(client.lost.get(5, TimeUnit.SECONDS)).isInstanceOf(ConnectionDone.class);
        assertThat(loop.call(client.received::toByteArray)).isEqualTo(payload);
        assertThat(server.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(client.transport().getPeer()).isEqualTo(new InetSocketAddress(host, port));
        assertThat(client.transport().getHost().getAddress()).isEqualTo(InetAddress.getByName(host));
    }

    @Test
    void connectorExchangesOneMebibyteByteExactOverIpv4() throws Exception {
        connectorExchangesOneMebibyteWithAPythonEchoServer("127.0.0.1");
    }

    @Test
    void connectorExchangesOneMebibyteByteExactOverIpv6() throws Exception {
        connectorExchangesOneMebibyteWithAPythonEchoServer("::1");
    }

    /** A port nothing listens on: bound then closed, so the kernel will not hand it out again soon. */
    private static int closedPort() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    @Test
    void refusedConnectFailsWithConnectExceptionNamingTheAddressAndLeaksNoFd() throws Exception {
        int port = closedPort();
        long fds = SocketFds.count();
        AtomicInteger built = new AtomicInteger();
        CompletableFuture<Recorder> attempt = TcpConnector.connectTcp(loop.reactor,
            new InetSocketAddress("127.0.0.1", port), peer -> {
                built.incrementAndGet();
                return new Recorder();
            }, Duration.ofSeconds(5));

        assertThatThrownBy(() -> attempt.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
            .cause().isInstanceOf(ConnectException.class).hasMessage("Connection refused: 127.0.0.1:" + port);
        assertThat(built).hasValue(0);
        assertThat(SocketFds.count()).isEqualTo(fds);
    }

    /** A TUN device nobody reads: SYNs routed to it vanish, so a connect there never completes. */
    private static void blackhole() {
        if (!Shell.run("ip", "link", "show", "jtcpbh0").ok()) {
            Shell.ip("tuntap", "add", "mode", "tun", "name", "jtcpbh0");
            Shell.ip("addr", "add", "198.51.100.1/24", "dev", "jtcpbh0");
            Shell.ip("link", "set", "jtcpbh0", "up");
        }
    }

    @Test
    void connectToABlackholeFailsWithSocketTimeoutExceptionAfterTheTimeout() throws Exception {
        blackhole();
        long fds = SocketFds.count();
        long start = System.nanoTime();
        CompletableFuture<Recorder> attempt = TcpConnector.connectTcp(loop.reactor,
            new InetSocketAddress("198.51.100.2", 80), peer -> new Recorder(), Duration.ofMillis(300));

        assertThatThrownBy(() -> attempt.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(SocketTimeoutException.class)
            .hasMessage("connect to 198.51.100.2:80 timed out after 300 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(290), Duration.ofSeconds(3));
        assertThat(SocketFds.count()).isEqualTo(fds);
    }

    @Test
    void cancellingAConnectClosesItsSocketAndNeverBuildsTheProtocol() throws Exception {
        blackhole();
        long fds = SocketFds.count();
        AtomicInteger built = new AtomicInteger();
        CompletableFuture<Recorder> attempt = TcpConnector.connectTcp(loop.reactor,
            new InetSocketAddress("198.51.100.3", 80), peer -> {
                built.incrementAndGet();
                return new Recorder();
            }, Duration.ofSeconds(30));
        loop.call(() -> null);
        assertThat(SocketFds.count()).isEqualTo(fds + 1);

        attempt.cancel(false);
        loop.call(() -> null);

        assertThat(SocketFds.count()).isEqualTo(fds);
        assertThat(built).hasValue(0);
    }

    @Test
    void listeningOnAPortInUseFailsWithCannotListenExceptionNamingAddressAndErrno() throws Exception {
        TcpPort first = listen("127.0.0.1", peer -> new Echo());
        int port = first.getHost().getPort();
        long fds = SocketFds.count();

        assertThatThrownBy(() -> loop.call(() -> TcpPort.listenTcp(loop.reactor, port, peer -> new Echo(), 50,
                InetAddress.getByName("127.0.0.1"))))
            .isInstanceOf(ExecutionException.class).cause()
            .isInstanceOf(io.jpair.transport.CannotListenException.class)
            .hasMessage("Couldn't listen on 127.0.0.1:" + port + ": 127.0.0.1:" + port
                + ": bind: EADDRINUSE (Address already in use)");
        assertThat(SocketFds.count()).isEqualTo(fds);
    }

    @Test
    void aFactoryReturningNullRefusesTheConnectionByClosingIt() throws Exception {
        TcpPort listener = listen("127.0.0.1", peer -> null);
        long fds;
        try (java.net.Socket client = new java.net.Socket("127.0.0.1", listener.getHost().getPort())) {
            client.setSoTimeout(5000);
            assertThat(client.getInputStream().read()).isEqualTo(-1);
            fds = SocketFds.count();
        }
        assertThat(SocketFds.count()).as("the client's socket closed, the refused one already was").isEqualTo(fds - 1);
        assertThat(loop.call(listener::acceptedCount)).isZero();
    }

    @Test
    void aProtocolThatThrowsInDataReceivedIsDisconnectedWithThatExceptionAndItsSocketClosed() throws Exception {
        IllegalStateException boom = new IllegalStateException("boom");
        Recorder server = new Recorder() {
            @Override
            public void dataReceived(ByteBuffer data) {
                throw boom;
            }
        };
        TcpPort listener = listen("127.0.0.1", peer -> server);
        long fds;
        try (java.net.Socket client = new java.net.Socket("127.0.0.1", listener.getHost().getPort())) {
            server.made.get(5, TimeUnit.SECONDS);
            fds = SocketFds.count();
            client.getOutputStream().write(1);
            assertThat(server.lost.get(5, TimeUnit.SECONDS)).isSameAs(boom);
        }
        assertThat(loop.errors).containsExactly(boom);
        loop.errors.clear();
        assertThat(SocketFds.count()).as("the server's and the client's socket closed").isEqualTo(fds - 2);
    }
}

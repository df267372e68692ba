package io.jpair.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./jpair host} with its TCP services on real devices in the test run's private namespace,
 * driven by {@code curl} and the JDK's blocking sockets (the kernel's own TCP): byte-exact HTTP
 * downloads over TUN (with and without offload) and TAP, IPv4 and IPv6, a 1 MiB echo, 100 concurrent
 * connections, and the discard and source services.
 */
@KernelTest
class HostTcpKernelTest {
    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration STOP = Duration.ofSeconds(15);
    private static final int MIB = 1 << 20;
    private static final long TEN_MB = 10_000_000;

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

    private static void stop(Launcher.Running host) throws Exception {
        host.terminate();
        Launcher.Result result = host.await(STOP);
        assertThat(result.out()).as(result.toString()).contains("jpair host: stopped by signal");
    }

    private void assertCurlDownloadsTenMegabytes(String address) throws Exception {
        String literal = address.contains(":") ? "[" + address + "]" : address;
        // Let neighbour discovery settle first (kernel timing, not the host's).
        Commands.run(Duration.ofSeconds(10), "ping", "-n", "-c", "1", "-w", "5", address);
        Path file = dir.resolve("bytes-" + address.replace(':', '_'));
        Launcher.Result curl = Commands.run(Duration.ofSeconds(90), "curl", "-sS", "--max-time", "80", "-o",
            file.toString(), "-w", "%{http_code} %{size_download}", "http://" + literal + ":80/bytes/" + TEN_MB);
        assertThat(curl.out().strip()).as(curl.toString()).isEqualTo("200 " + TEN_MB);
        assertPattern(file, TEN_MB);
    }

    static void assertPattern(Path file, long size) throws IOException {
        assertThat(Files.size(file)).isEqualTo(size);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] block = new byte[MIB];
            long k = 0;
            for (int n = in.read(block); n > 0; n = in.read(block)) {
                for (int i = 0; i < n; i++, k++) {
                    if (block[i] != (byte) k) {
                        throw new AssertionError("byte " + k + " of the download is " + block[i] + ", not " + (byte) k);
                    }
                }
            }
        }
    }

    @Test
    void curlDownloadsTenMegabytesByteExactOverTunIpv4AndIpv6() throws Exception {
        Launcher.Running host = startHost("jptcp0", "--address", "10.56.0.2/24", "--address", "fd00:56::2/64",
            "--http", "80");
        assertThat(host.snapshot().out()).contains("TCP HTTP on [80]");
        assertCurlDownloadsTenMegabytes("10.56.0.2");
        assertCurlDownloadsTenMegabytes("fd00:56::2");
        stop(host);
    }

    @Test
    void curlDownloadsTenMegabytesByteExactOverTunWithOffload() throws Exception {
        Launcher.Running host = startHost("jptcp1", "--offload", "--address", "10.56.1.2/24", "--address",
            "fd00:56:1::2/64", "--http", "80");
        assertCurlDownloadsTenMegabytes("10.56.1.2");
        assertCurlDownloadsTenMegabytes("fd00:56:1::2");
        stop(host);
    }

    @Test
    void curlDownloadsTenMegabytesByteExactOverTapIpv4AndIpv6() throws Exception {
        Launcher.Running host = startHost("jptcp2", "--tap", "--address", "10.56.2.2/24", "--address",
            "fd00:56:2::2/64", "--http", "80", "--udp-echo", "7");
        assertCurlDownloadsTenMegabytes("10.56.2.2");
        assertCurlDownloadsTenMegabytes("fd00:56:2::2");
        stop(host);
    }

    @Test
    void curlGetsTheStatusPageWithTheHostsCounters() throws Exception {
        Launcher.Running host = startHost("jptcp3", "--address", "10.56.3.2/24", "--http", "8080");
        Launcher.Result curl = Commands.run(Duration.ofSeconds(30), "curl", "-sS", "--max-time", "20",
            "http://10.56.3.2:8080/");
        assertThat(curl.out()).as(curl.toString()).startsWith("jpair host 10.56.3.2").contains("ip.received ");
        stop(host);
    }

    @Test
    void aKernelClientEchoesOneMebibyteThroughTcpEcho() throws Exception {
        Launcher.Running host = startHost("jptcp4", "--address", "10.56.4.2/24", "--tcp-echo", "7");
        byte[] data = new byte[MIB];
        new Random(4).nextBytes(data);
        try (Socket socket = connect("10.56.4.2", 7)) {
            OutputStream out = socket.getOutputStream();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    out.write(data);
                    socket.shutdownOutput();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            byte[] echoed = socket.getInputStream().readNBytes(MIB + 1); // ends at the host's FIN
            writer.get(30, TimeUnit.SECONDS);
            assertThat(echoed.length).isEqualTo(MIB);
            assertThat(Arrays.equals(echoed, data)).isTrue();
        }
        stop(host);
    }

    @Test
    void hundredConcurrentConnectionsAreEchoed() throws Exception {
        Launcher.Running host = startHost("jptcp5", "--tap", "--address", "10.56.5.2/24", "--tcp-echo", "7");
        List<Socket> sockets = new ArrayList<>();
        ExecutorService readers = Executors.newFixedThreadPool(16);
        try {
            for (int i = 0; i < 100; i++) {
                sockets.add(connect("10.56.5.2", 7)); // all open at once
            }
            List<Future<Boolean>> echoed = new ArrayList<>();
            for (int i = 0; i < sockets.size(); i++) {
                Socket socket = sockets.get(i);
                byte[] line = ("connection " + i + "\n").getBytes(StandardCharsets.US_ASCII);
                socket.getOutputStream().write(line);
                echoed.add(readers.submit(() -> Arrays.equals(socket.getInputStream().readNBytes(line.length), line)));
            }
            for (Future<Boolean> one : echoed) {
                assertThat(one.get(30, TimeUnit.SECONDS)).isTrue();
            }
            for (Socket socket : sockets) {
                socket.shutdownOutput();
                assertThat(socket.getInputStream().read()).isEqualTo(-1);
            }
        } finally {
            readers.shutdownNow();
            for (Socket socket : sockets) {
                socket.close();
            }
        }
        stop(host);
    }

    @Test
    void discardTakesEverythingAndSourceSendsThePattern() throws Exception {
        Launcher.Running host = startHost("jptcp6", "--address", "fd00:56:6::2/64", "--tcp-discard", "9",
            "--tcp-source", "19");
        assertThat(host.snapshot().out()).contains("TCP discard on [9], source on [19]");
        try (Socket socket = connect("fd00:56:6::2", 9)) {
            socket.getOutputStream().write(new byte[4 * MIB]);
            socket.shutdownOutput();
            assertThat(socket.getInputStream().read()).isEqualTo(-1); // the host closed after taking it all
        }
        try (Socket socket = connect("fd00:56:6::2", 19)) {
            byte[] read = socket.getInputStream().readNBytes(4 * MIB);
            assertThat(read.length).isEqualTo(4 * MIB);
            for (int k = 0; k < read.length; k++) {
                if (read[k] != (byte) k) {
                    throw new AssertionError("byte " + k + " from the source is " + read[k]);
                }
            }
        }
        stop(host);
    }

    private static Socket connect(String address, int port) throws IOException {
        Socket socket = new Socket();
        socket.setSoTimeout(30_000);
        socket.connect(new InetSocketAddress(address, port), 10_000);
        return socket;
    }
}

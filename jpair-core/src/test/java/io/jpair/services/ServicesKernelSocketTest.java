package io.jpair.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.kernel.KernelTest;
import io.jpair.kernel.Shell;
import io.jpair.reactor.EpollReactor;
import io.jpair.socket.TcpPort;
import io.jpair.stream.ProtocolFactory;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The services over the kernel's own TCP ({@link TcpPort} on an {@link EpollReactor}), on
 * 127.0.0.1 in this run's private namespace, driven by {@code curl} and the JDK's blocking sockets:
 * the same protocols that {@code jpair host} serves on its userspace TCP.
 */
@KernelTest
class ServicesKernelSocketTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;
    private final CopyOnWriteArrayList<Throwable> errors = new CopyOnWriteArrayList<>();
    private EpollReactor reactor;
    private Thread thread;

    @BeforeAll
    static void loopbackUp() {
        Shell.ip("link", "set", "lo", "up");
    }

    @BeforeEach
    void startReactor() throws Exception {
        reactor = new EpollReactor((source, error) -> errors.add(error));
        thread = new Thread(reactor::run, "reactor");
        thread.setDaemon(true);
        thread.start();
    }

    @AfterEach
    void stopReactor() throws InterruptedException {
        reactor.stop();
        thread.join(5000);
        reactor.close();
        assertThat(errors).isEmpty();
    }

    private <T> T onReactor(Callable<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        reactor.callFromThread(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result.get(5, TimeUnit.SECONDS);
    }

    private int listen(ProtocolFactory<?> factory) throws Exception {
        TcpPort listener = onReactor(() -> TcpPort.listenTcp(reactor, 0, factory, TcpPort.DEFAULT_BACKLOG,
            InetAddress.getByName("127.0.0.1")));
        return listener.getHost().getPort();
    }

    private int http() throws Exception {
        return listen(peer -> new HttpResponder(reactor, () -> Map.of("test.counter", 7L)));
    }

    static void assertPattern(Path file, long size) throws Exception {
        assertThat(Files.size(file)).isEqualTo(size);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] block = new byte[MIB];
            long k = 0;
            for (int n = in.read(block); n > 0; n = in.read(block)) {
                for (int i = 0; i < n; i++, k++) {
                    if (block[i] != (byte) k) {
                        throw new AssertionError("byte " + k + " of " + file + " is " + block[i] + ", not " + (byte) k);
                    }
                }
            }
        }
    }

    @Test
    void curlDownloadsTenMegabytesByteExact() throws Exception {
        int port = http();
        Path file = dir.resolve("bytes");
        Shell.Result curl = Shell.run(60, "curl", "-sS", "--max-time", "50", "-o", file.toString(),
            "-w", "%{http_code} %{size_download}", "http://127.0.0.1:" + port + "/bytes/10000000");
        assertThat(curl.output()).as(curl.toString()).isEqualTo("200 10000000");
        assertPattern(file, 10_000_000);
    }

    @Test
    void curlGetsTheStatusPageWithTheCounters() throws Exception {
        int port = http();
        Shell.Result curl = Shell.run(30, "curl", "-sS", "--max-time", "10", "http://127.0.0.1:" + port + "/");
        assertThat(curl.output()).as(curl.toString()).startsWith("jpair host 127.0.0.1").contains("test.counter 7\n");
    }

    @Test
    void curlReusesOneConnectionForTwoRequests() throws Exception {
        int port = http();
        String url = "http://127.0.0.1:" + port;
        Shell.Result curl = Shell.run(30, "curl", "-sS", "--max-time", "10", "-o", "/dev/null", "-o", "/dev/null",
            "-w", "%{http_code}:%{num_connects} ", url + "/bytes/100000", url + "/nothing");
        assertThat(curl.output()).as(curl.toString()).isEqualTo("200:1 404:0 ");
    }

    @Test
    void curlHeadGetsTheLengthWithoutTheBody() throws Exception {
        int port = http();
        Shell.Result curl = Shell.run(30, "curl", "-sS", "--max-time", "10", "-I",
            "http://127.0.0.1:" + port + "/bytes/12345");
        assertThat(curl.output()).as(curl.toString()).startsWith("HTTP/1.1 200 OK").contains("Content-Length: 12345");
    }

    @Test
    void aKernelClientEchoesOneMebibyteAndSeesTheClose() throws Exception {
        int port = listen(peer -> new TcpEcho());
        byte[] data = new byte[MIB];
        new Random(11).nextBytes(data);
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(20_000);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            OutputStream out = socket.getOutputStream();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    out.write(data);
                    socket.shutdownOutput();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            byte[] echoed = socket.getInputStream().readNBytes(MIB + 1);
            writer.get(20, TimeUnit.SECONDS);
            assertThat(echoed.length).isEqualTo(MIB);
            assertThat(Arrays.equals(echoed, data)).isTrue();
        }
    }

    @Test
    void theSourceSendsThePatternUntilTheClientCloses() throws Exception {
        int port = listen(peer -> new TcpSource(reactor));
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(20_000);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            byte[] read = socket.getInputStream().readNBytes(4 * MIB);
            assertThat(read.length).isEqualTo(4 * MIB);
            for (int k = 0; k < read.length; k++) {
                if (read[k] != (byte) k) {
                    throw new AssertionError("byte " + k + " is " + read[k]);
                }
            }
        }
    }
}

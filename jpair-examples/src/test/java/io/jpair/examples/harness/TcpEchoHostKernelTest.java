package io.jpair.examples.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.kernel.KernelTest;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * README "TCP: one stream Protocol, two TCPs": TcpEchoHost's one Echo class echoes a kernel client's
 * bytes through jpair's userspace TCP on a TUN and through a kernel socket on the same reactor, and
 * closes after the client's FIN. Bounded: 256 KiB per connection, 10 s socket timeouts.
 */
@KernelTest
class TcpEchoHostKernelTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static ExampleProcess host;

    @BeforeAll
    static void startTcpEchoHost() throws Exception {
        host = ExampleProcess.start("io.jpair.examples.TcpEchoHost", "jtun7");
        host.awaitLine(line -> line.startsWith("echoing on 10.78.1.2:7"), WAIT);
    }

    @AfterAll
    static void stopTcpEchoHost() throws Exception {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void jpairsOwnTcpEchoesAKernelClient() throws Exception {
        assertEchoes(new InetSocketAddress("10.78.1.2", 7));
    }

    @Test
    void theSameProtocolEchoesOnAKernelSocket() throws Exception {
        assertEchoes(new InetSocketAddress("127.0.0.1", 7007));
    }

    private static void assertEchoes(InetSocketAddress address) throws Exception {
        byte[] sent = new byte[256 * 1024];
        new Random(7).nextBytes(sent);
        byte[] received = new byte[sent.length];
        try (Socket socket = new Socket()) {
            socket.connect(address, (int) WAIT.toMillis());
            socket.setSoTimeout((int) WAIT.toMillis());
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(sent);
                    socket.shutdownOutput();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            new DataInputStream(socket.getInputStream()).readFully(received);
            assertThat(socket.getInputStream().read()).as("the echo closes after the client's FIN").isEqualTo(-1);
            writer.join(WAIT.toMillis());
        }
        assertThat(received).as("echo from " + address + "; host output:\n" + host.transcript()).isEqualTo(sent);
    }
}

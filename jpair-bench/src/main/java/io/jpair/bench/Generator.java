package io.jpair.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * Traffic made by the benchmark JVM itself ({@code --traffic self}), for running a scenario
 * without the C generator: a UDP flood to the peer (routed into the TUN), a closed-loop echo
 * client, and a socket sink. Each runs on its own daemon thread until {@link #close()}, and every
 * loop is also bounded by a deadline. These threads do not pin themselves to a CPU: the figures to
 * publish come from {@code bench/compare}, which uses the same C generator for every contender.
 */
final class Generator implements AutoCloseable {
    /** The TUN's own address. */
    static final String LOCAL = "10.99.0.1";
    /** The peer behind the TUN (routed into it). */
    static final String PEER = "10.99.0.2";
    private static final long MAX_NANOS = 600_000_000_000L;

    private final DatagramChannel channel;
    private final Thread thread;
    private volatile boolean stopped;
    volatile long count;

    private Generator(DatagramChannel channel, String name, Body body) {
        this.channel = channel;
        this.thread = new Thread(() -> {
            try {
                body.run(this);
            } catch (IOException e) {
                if (!stopped) {
                    System.err.println(name + ": " + e);
                }
            }
        }, name);
        thread.setDaemon(true);
    }

    @FunctionalInterface
    private interface Body {
        void run(Generator self) throws IOException;
    }

    private Generator start() {
        thread.start();
        return this;
    }

    /**
     * Floods {@code PEER:9} from {@code LOCAL} with datagrams of {@code payload} bytes.
     *
     * @param payload UDP payload bytes
     * @return the running flood
     * @throws IOException if the socket cannot be set up
     */
    static Generator flood(int payload) throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        ch.bind(new InetSocketAddress(LOCAL, 0)).connect(new InetSocketAddress(PEER, 9));
        return new Generator(ch, "flood", self -> {
            ByteBuffer data = ByteBuffer.allocateDirect(payload);
            long deadline = System.nanoTime() + MAX_NANOS;
            while (!self.stopped && System.nanoTime() < deadline) {
                data.clear();
                if (ch.write(data) > 0 || payload == 0) {
                    self.count++;
                }
            }
        }).start();
    }

    /**
     * Sends {@code packets} datagrams to {@code PEER:9} on the calling thread (a drain's fill).
     *
     * @param payload UDP payload bytes
     * @param packets how many
     * @throws IOException if the socket cannot be set up
     */
    static void fill(int payload, int packets) throws IOException {
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.bind(new InetSocketAddress(LOCAL, 0)).connect(new InetSocketAddress(PEER, 9));
            ByteBuffer data = ByteBuffer.allocateDirect(payload);
            for (int i = 0; i < packets; i++) {
                data.clear();
                ch.write(data);
            }
        }
    }

    /**
     * A closed-loop echo client on {@code LOCAL:5000} to {@code PEER:9} that keeps {@code window}
     * datagrams in flight and counts the replies (tunbench's {@code ping}).
     *
     * @param payload UDP payload bytes
     * @param window datagrams in flight
     * @return the running client
     * @throws IOException if the socket cannot be set up
     */
    static Generator ping(int payload, int window) throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        ch.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        ch.bind(new InetSocketAddress(LOCAL, 5000)).connect(new InetSocketAddress(PEER, 9));
        ch.configureBlocking(false);
        return new Generator(ch, "ping", self -> {
            ByteBuffer out = ByteBuffer.allocateDirect(payload);
            ByteBuffer in = ByteBuffer.allocateDirect(2048);
            long sent = 0;
            long lost = 0;
            long last = System.nanoTime();
            long deadline = last + MAX_NANOS;
            while (!self.stopped) {
                long now = System.nanoTime();
                if (now > deadline) {
                    break;
                }
                while (sent - self.count - lost < window) {
                    out.clear();
                    ch.write(out);
                    sent++;
                }
                in.clear();
                if (ch.read(in) >= 0 && in.position() > 0) {
                    self.count++;
                    last = now;
                } else if (now - last > 50_000_000L) {
                    lost = sent - self.count; // replies lost: refill the window
                    last = now;
                }
            }
        }).start();
    }

    /**
     * Receives and counts datagrams on {@code LOCAL:port}.
     *
     * @param port the UDP port
     * @return the running sink
     * @throws IOException if the socket cannot be set up
     */
    static Generator sink(int port) throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        ch.setOption(StandardSocketOptions.SO_RCVBUF, 8 << 20);
        ch.bind(new InetSocketAddress(LOCAL, port));
        return new Generator(ch, "sink", self -> {
            ByteBuffer in = ByteBuffer.allocateDirect(2048);
            long deadline = System.nanoTime() + MAX_NANOS;
            while (!self.stopped && System.nanoTime() < deadline) {
                in.clear();
                ch.receive(in);
                self.count++;
            }
        }).start();
    }

    /** Stops the thread (closing its socket) and waits for it, at most a second. */
    @Override
    public void close() {
        stopped = true;
        try {
            channel.close();
            thread.join(1000);
        } catch (IOException ignored) {
            // closing a datagram socket does not fail in a way that matters here
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.jpair.bench;

import io.jpair.reactor.EpollReactor;
import io.jpair.tuntap.offload.OffloadOptions;
import io.jpair.tuntap.offload.Offloads;
import io.jpair.tuntap.TunQueue;
import io.jpair.tuntap.TunnelOptions;
import io.jpair.tuntap.TuntapPort;
import io.jpair.testing.Packets;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Locale;

/**
 * The whole-path harness: one scenario on a real TUN device, through {@link TuntapPort} and
 * {@link EpollReactor} exactly as a user program would use them, measured the way
 * {@code tunbench.c} measures the C baseline.
 *
 * <ul>
 *   <li>{@code drain}: attach, let the device queue fill (the caller's generator, or this JVM's
 *       with {@code --traffic self}), then time one drain of the queue through reactor turns.
 *       {@code --warm-drains} earlier fills are drained first to warm up the JIT; with external
 *       traffic the harness prints {@code FILL round=K} and sleeps {@code --wait} seconds before
 *       each drain, and the caller fills the queue when it sees that line.</li>
 *   <li>{@code rx}: count packets from a live flood for {@code --secs} after {@code --warmup}.</li>
 *   <li>{@code echo}: swap the IPv4 addresses and ports of every packet and write it back.</li>
 *   <li>{@code tx}: write valid IPv4/UDP packets 10.99.0.2:9999 to 10.99.0.1:7000 into the TUN,
 *       64 per reactor wake-up; a socket in this JVM counts what arrives.</li>
 *   <li>{@code forward}: like echo, but from {@code --dev} to the second device {@code --dev2}.</li>
 *   <li>{@code offload}: super-packet receive through {@link TunQueue} opened with
 *       {@code IFF_VNET_HDR} and {@code TUNSETOFFLOAD}, fed by UDP GSO sends of {@code --size}-byte
 *       segments ({@code UDP_SEGMENT}; this JVM's {@link GsoFlood}, or the caller's
 *       {@code tunbench send SECS 1400 1400}); {@code --mode split} splits every super-packet into
 *       wire-size packets with their checksums, {@code --mode virtio} passes it through. Here
 *       {@code pps} counts super-packets, {@code gbps} their IP bytes, and {@code segments_per_s}
 *       the wire packets they held.</li>
 * </ul>
 *
 * <p>With {@code --netty epoll|io_uring}, rx, echo and tx run through jpair-netty's
 * {@code TunChannel} on a Netty event loop instead ({@link NettyScenario}), with the same result line.
 *
 * <p>The last line on stdout is the result: {@code scenario=... size=... pps=... gbps=...
 * cpu_ns_per_pkt=... alloc_bytes_per_pkt=... gc=... pkts=... secs=... cpu=... us_per_pkt=...}
 * (gbps counts IP packet bytes; cpu is the reactor thread's share of one core; alloc is the
 * reactor thread's heap allocation over the window; gc counts collections in the window).
 * SIGTERM ends a timed window early and still prints the result, like tunbench.
 */
public final class Scenario {
    private static final long CAP_EXTRA_SECONDS = 60;

    private final ScenarioOptions options;
    private volatile EpollReactor running;
    private volatile NettyScenario netty;
    private volatile boolean terminated;

    private Scenario(ScenarioOptions options) {
        this.options = options;
    }

    /**
     * Runs a scenario and prints its result line.
     *
     * @param args see {@link ScenarioOptions#usage()}
     */
    public static void main(String[] args) {
        ScenarioOptions options;
        try {
            options = ScenarioOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Scenario scenario = new Scenario(options);
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> scenario.terminate(main), "sigterm"));
        startWatchdog(options);
        try {
            if (options.cpu() >= 0) {
                CpuPinning.pinCurrentThread(options.cpu());
            }
            String result = scenario.run();
            System.out.println(result);
            System.out.flush();
        } catch (Exception e) {
            System.err.println("scenario " + options.scenario() + " failed: " + e);
            System.exit(1);
        }
    }

    /** Ends the JVM if a run overstays its bounds by a minute (belt and braces under timeout). */
    private static void startWatchdog(ScenarioOptions o) {
        long capSeconds = (long) (o.warmup() + o.secs() + (o.warmDrains() + 1) * (o.waitSecs() + 30))
            + CAP_EXTRA_SECONDS;
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(capSeconds * 1000);
                System.err.println("scenario: hard time limit of " + capSeconds + " s reached");
                Runtime.getRuntime().halt(124);
            } catch (InterruptedException ignored) {
                // the JVM is exiting
            }
        }, "watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** SIGTERM: stop the reactor and let the main thread print what it measured (bounded). */
    private void terminate(Thread main) {
        terminated = true;
        NettyScenario nettyRun = netty;
        if (nettyRun != null) {
            nettyRun.terminate();
        }
        EpollReactor reactor = running;
        if (reactor != null) {
            reactor.stop();
        }
        try {
            main.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String run() throws Exception {
        if (options.netty() != null) {
            NettyScenario scenario = new NettyScenario(options);
            netty = scenario;
            return scenario.run();
        }
        try (EpollReactor reactor = new EpollReactor()) {
            running = reactor;
            try {
                return switch (options.scenario()) {
                    case "drain" -> drain(reactor);
                    case "rx" -> timed(reactor, false);
                    case "echo" -> timed(reactor, true);
                    case "tx" -> tx(reactor);
                    case "forward" -> forward(reactor);
                    case "offload" -> offload(reactor);
                    default -> throw new IllegalArgumentException(options.scenario());
                };
            } finally {
                running = null;
            }
        }
    }

    private TuntapPort attach(String dev, CountingProtocol protocol, EpollReactor reactor) throws Exception {
        // Attach to the caller's device exactly as Twisted's TuntapPort does: IFF_TUN | IFF_NO_PI.
        TuntapPort port = new TuntapPort(dev, protocol, TunnelOptions.defaults().withAttachOnly(true),
            options.offload() ? OffloadOptions.enabled() : OffloadOptions.disabled(), reactor, null);
        port.startListening();
        return port;
    }

    private static void detach(EpollReactor reactor, TuntapPort... ports) {
        for (TuntapPort port : ports) {
            port.stopListening();
        }
        for (int i = 0; i < 10; i++) {
            reactor.runOnce(0);
        }
    }

    // ------------------------------------------------------------------ drain

    private String drain(EpollReactor reactor) throws Exception {
        CountingProtocol protocol = new CountingProtocol(false);
        TuntapPort port = attach(options.dev(), protocol, reactor);
        warmReadPath(reactor, options.size());
        Window window = null;
        long lastDrained = 0;
        for (int round = 0; round <= options.warmDrains() && !terminated; round++) {
            if (options.selfTraffic()) {
                Generator.fill(options.size(), options.queueLength());
            } else {
                System.out.println("FILL round=" + round);
                System.out.flush();
                Thread.sleep((long) (options.waitSecs() * 1000));
            }
            window = new Window();
            long start = protocol.packets;
            window.open(protocol.packets, protocol.bytes);
            long lastProgress = System.nanoTime();
            while (!terminated) {
                long before = protocol.packets;
                reactor.runOnce(0);
                if (protocol.packets == before) {
                    break;
                }
                lastProgress = System.nanoTime();
            }
            window.close(protocol.packets, protocol.bytes, lastProgress);
            lastDrained = protocol.packets - start;
            if (round < options.warmDrains()) {
                System.out.println("# warm-up drain " + round + ": " + lastDrained + " packets, "
                    + String.format(Locale.ROOT, "%.0f", lastDrained / window.seconds()) + " pps");
            }
        }
        detach(reactor, port);
        return result("drain", window, "");
    }

    // ------------------------------------------------------------------ rx / echo

    private String timed(EpollReactor reactor, boolean echo) throws Exception {
        CountingProtocol protocol = new CountingProtocol(echo);
        TuntapPort port = attach(options.dev(), protocol, reactor);
        protocol.warmUpHandling();
        Generator traffic = !options.selfTraffic() ? null
            : echo ? Generator.ping(options.size(), 256) : Generator.flood(options.size());
        Window window = new Window();
        long[] client = new long[2];
        warmTimers(reactor);
        reactor.callLater(seconds(options.warmup()), () -> {
            window.open(echo ? protocol.written : protocol.packets, protocol.bytes);
            client[0] = traffic != null ? traffic.count : 0;
        });
        reactor.callLater(seconds(options.warmup() + options.secs()), () -> {
            window.close(echo ? protocol.written : protocol.packets, protocol.bytes);
            client[1] = traffic != null ? traffic.count : 0;
            reactor.stop();
        });
        reactor.run();
        window.close(echo ? protocol.written : protocol.packets, protocol.bytes);
        if (traffic != null) {
            if (client[1] == 0) {
                client[1] = traffic.count;
            }
            traffic.close();
        }
        detach(reactor, port);
        String extra = " read=" + protocol.packets + " written=" + protocol.written + " write_err="
            + protocol.writeErrors;
        if (options.offload()) {
            extra += " offload=" + Offloads.describe(port.offloads()).replace(' ', ',') + " super_packets_written="
                + port.counters().superPacketsWritten() + " dropped_writes=" + port.counters().droppedWrites();
        }
        if (traffic != null) {
            extra += String.format(Locale.ROOT, " %s_pps=%.0f", echo ? "client_replies" : "sender",
                (client[1] - client[0]) / window.seconds());
        }
        return result(echo ? "echo" : "rx", window, extra);
    }

    // ------------------------------------------------------------------ tx

    private String tx(EpollReactor reactor) throws Exception {
        CountingProtocol protocol = new CountingProtocol(false);
        TuntapPort port = attach(options.dev(), protocol, reactor);
        byte[] bytes = Packets.ipv4Udp(Generator.PEER, 9999, Generator.LOCAL, 7000, new byte[options.size()]);
        ByteBuffer packet = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        TxProducer producer = new TxProducer(port, packet);
        Window window = new Window();
        long[] sunk = new long[2];
        warmTimers(reactor);
        try (Generator sink = Generator.sink(7000)) {
            reactor.callLater(seconds(options.warmup()), () -> {
                window.open(producer.written, producer.bytes);
                sunk[0] = sink.count;
            });
            reactor.callLater(seconds(options.warmup() + options.secs()), () -> {
                window.close(producer.written, producer.bytes);
                sunk[1] = sink.count;
                reactor.stop();
            });
            reactor.addWriter(producer);
            reactor.run();
            reactor.removeWriter(producer);
            window.close(producer.written, producer.bytes);
            if (sunk[1] == 0) {
                sunk[1] = sink.count;
            }
        }
        detach(reactor, port);
        return result("tx", window, " dropped=" + producer.dropped + " sock_rx=" + (sunk[1] - sunk[0])
            + String.format(Locale.ROOT, " sock_pps=%.0f", (sunk[1] - sunk[0]) / window.seconds()));
    }

    // ------------------------------------------------------------------ forward

    private String forward(EpollReactor reactor) throws Exception {
        CountingProtocol in = new CountingProtocol(true);
        CountingProtocol out = new CountingProtocol(false);
        TuntapPort first = attach(options.dev(), in, reactor);
        TuntapPort second = attach(options.dev2(), out, reactor);
        in.output(second);
        Generator traffic = options.selfTraffic() ? Generator.ping(options.size(), 256) : null;
        Window window = new Window();
        warmTimers(reactor);
        reactor.callLater(seconds(options.warmup()), () -> window.open(in.written, in.bytes));
        reactor.callLater(seconds(options.warmup() + options.secs()), () -> {
            window.close(in.written, in.bytes);
            reactor.stop();
        });
        reactor.run();
        window.close(in.written, in.bytes);
        if (traffic != null) {
            traffic.close();
        }
        detach(reactor, first, second);
        return result("forward", window, " read=" + in.packets + " written=" + in.written + " write_err="
            + in.writeErrors);
    }

    // ------------------------------------------------------------------ offload

    private String offload(EpollReactor reactor) throws Exception {
        boolean virtio = options.mode().equals("virtio");
        TunQueue queue = TunQueue.open(options.dev(), TunnelOptions.defaults(), OffloadOptions.enabled());
        OffloadReader reader = new OffloadReader(queue, virtio);
        GsoFlood traffic = null;
        Window window = new Window();
        long[] segments = new long[2];
        long[] sends = new long[2];
        try {
            reactor.addReader(reader);
            traffic = options.selfTraffic() ? GsoFlood.start(options.size()) : null;
            GsoFlood flood = traffic;
            warmTimers(reactor);
            reactor.callLater(seconds(options.warmup()), () -> {
                window.open(queue.counters().superPacketsRead(), queue.counters().bytesRead());
                segments[0] = reader.segments;
                sends[0] = flood != null ? flood.sends : 0;
            });
            reactor.callLater(seconds(options.warmup() + options.secs()), () -> {
                window.close(queue.counters().superPacketsRead(), queue.counters().bytesRead());
                segments[1] = reader.segments;
                sends[1] = flood != null ? flood.sends : 0;
                reactor.stop();
            });
            reactor.run();
            if (!window.isClosed()) {
                window.close(queue.counters().superPacketsRead(), queue.counters().bytesRead());
                segments[1] = reader.segments;
                sends[1] = flood != null ? flood.sends : 0;
            }
        } finally {
            if (traffic != null) {
                traffic.close();
            }
            reactor.removeReader(reader);
            queue.close();
        }
        double secs = window.isClosed() ? window.seconds() : 1;
        String extra = String.format(Locale.ROOT, " mode=%s segments_per_s=%.0f seg_per_super=%.1f read=%d dropped=%d"
                + " offloads=%s", options.mode(), (segments[1] - segments[0]) / secs,
            window.packets > 0 ? (double) (segments[1] - segments[0]) / window.packets : 0, queue.counters().packetsRead(),
            queue.counters().droppedReads(), Offloads.describe(queue.offloads()).replace(' ', ','));
        if (traffic != null) {
            extra += String.format(Locale.ROOT, " sender_sends_per_s=%.0f send_err=%d", (sends[1] - sends[0]) / secs,
                traffic.errors);
        }
        return result("offload", window, extra);
    }

    // ------------------------------------------------------------------ result

    private String result(String scenario, Window w, String extra) {
        if (w == null || !w.isClosed() || w.packets == 0) {
            return "scenario=" + scenario + " size=" + options.size() + " pps=0 error=no_packets_in_window";
        }
        double secs = w.seconds();
        long packets = w.packets;
        double perPacket = packets > 0 ? 1.0 / packets : 0;
        return String.format(Locale.ROOT,
            "scenario=%s size=%d pps=%.0f gbps=%.3f cpu_ns_per_pkt=%.0f alloc_bytes_per_pkt=%.4f gc=%d"
                + " pkts=%d secs=%.4f cpu=%.2f us_per_pkt=%.3f alloc_bytes=%d%s",
            scenario, options.size(), packets / secs, w.bytes * 8 / secs / 1e9, w.cpuNanos * perPacket,
            w.allocated * perPacket, w.gcs, packets, secs, w.cpuNanos / 1e9 / secs, w.cpuNanos * perPacket / 1e3,
            w.allocated, extra);
    }

    /**
     * Sends one datagram into the device and turns the reactor over twice (one turn reads it, one
     * finds nothing), 20,000 times (about 0.1 s), so {@code runOnce}, its read dispatch, its idle
     * turn and both exits of {@code doRead} (a packet, then {@code EAGAIN}) are compiled by C2 from a profile that has seen them all, before the first
     * drain. A drain alone makes only about a thousand turns: C2 then compiled the loop during the
     * measured drain, on the pinned CPU, from a profile of idle turns, and the first read dispatch
     * deoptimized it again (PrintCompilation: "EpollReactor::runOnce made not entrant: uncommon
     * trap"), leaving the drain in allocating C1 code for a while.
     */
    private static void warmReadPath(EpollReactor reactor, int size) throws Exception {
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.bind(new InetSocketAddress(Generator.LOCAL, 0)).connect(new InetSocketAddress(Generator.PEER, 9));
            ByteBuffer data = ByteBuffer.allocateDirect(size);
            for (int i = 0; i < 20_000; i++) {
                data.clear();
                channel.write(data);
                reactor.runOnce(0);
                reactor.runOnce(0);  // and an idle turn, as at the end of every drain
            }
        }
    }

    /**
     * Fires a few no-op timers during the warm-up, so the JIT has seen the reactor run a timer
     * before the timer that opens the window does: otherwise that first timer deoptimizes the
     * compiled loop and the window starts with a stretch of less optimized (allocating) code.
     * Also collects the start-up garbage half-way through the warm-up.
     */
    private void warmTimers(EpollReactor reactor) {
        for (int i = 1; i <= 20; i++) {
            reactor.callLater(seconds(options.warmup() * i / 25), () -> { });
        }
        // Collect the start-up garbage (~15 MB: class loading, JIT warm-up) half-way through the
        // warm-up, so a GC the window counts is one the window's own allocation caused. Without
        // it, the shutdown's few allocations after SIGTERM sometimes tipped the nearly full eden
        // into a young GC that the echo window, which closes after SIGTERM, counted (-Xlog:gc).
        reactor.callLater(seconds(options.warmup() / 2), System::gc);
    }

    private static Duration seconds(double s) {
        return Duration.ofNanos((long) (s * 1e9));
    }
}

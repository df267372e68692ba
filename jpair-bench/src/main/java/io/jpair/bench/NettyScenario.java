package io.jpair.bench;

import io.jpair.netty.TunChannel;
import io.jpair.testing.Packets;
import io.jpair.tuntap.TunnelFlags;
import io.jpair.tuntap.TunnelOptions;
import io.jpair.tuntap.offload.OffloadOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.uring.IoUringIoHandler;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The rx, echo and tx scenarios through {@link TunChannel} on a Netty 4.2 event loop
 * ({@code --netty epoll} or {@code --netty io_uring}), measured like {@link Scenario}'s
 * {@code TuntapPort} runs: the window opens and closes on the event-loop thread, so its CPU time
 * and heap allocation are that thread's. Allocation beyond Netty's pooled buffers shows as
 * {@code alloc_bytes_per_pkt} (pooled {@code ByteBuf}s live in native memory and are recycled).
 */
final class NettyScenario {
    private final ScenarioOptions options;
    private final CountDownLatch stop = new CountDownLatch(1);

    NettyScenario(ScenarioOptions options) {
        this.options = options;
    }

    /** SIGTERM: close the window now (echo runs until it) and let {@link #run} report. */
    void terminate() {
        stop.countDown();
    }

    String run() throws Exception {
        IoHandlerFactory factory = switch (options.netty()) {
            case "epoll" -> EpollIoHandler.newFactory();
            case "io_uring" -> IoUringIoHandler.newFactory();
            default -> throw new IllegalArgumentException("--netty is epoll or io_uring, not " + options.netty());
        };
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, factory);
        try {
            EventLoop loop = group.next();
            if (options.cpu() >= 0) {
                loop.submit(() -> CpuPinning.pinCurrentThread(options.cpu())).sync();
            }
            TunChannel tun = TunChannel.open(options.dev(), TunnelFlags.IFF_TUN,
                TunnelOptions.defaults().withAttachOnly(true),
                options.offload() ? OffloadOptions.enabled() : OffloadOptions.disabled());
            try {
                return switch (options.scenario()) {
                    case "rx" -> timed(loop, tun, false);
                    case "echo" -> timed(loop, tun, true);
                    case "tx" -> tx(loop, tun);
                    default -> throw new IllegalArgumentException("--netty runs rx, echo and tx, not "
                        + options.scenario());
                };
            } finally {
                tun.close().sync();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private String timed(EventLoop loop, TunChannel tun, boolean echo) throws Exception {
        PacketCounter counter = new PacketCounter(echo);
        tun.pipeline().addLast(counter);
        warmUp(counter);
        loop.register(tun).sync();
        Window window = new Window();
        LongSupplier measured = echo ? () -> counter.written : () -> counter.packets;
        Generator traffic = !options.selfTraffic() ? null
            : echo ? Generator.ping(options.size(), 256) : Generator.flood(options.size());
        try {
            measure(loop, window, measured, () -> counter.bytes);
        } finally {
            if (traffic != null) {
                traffic.close();
            }
        }
        return result(echo ? "echo" : "rx", window, " read=" + counter.packets + " written=" + counter.written
            + " write_err=" + counter.writeErrors + " io=" + options.netty());
    }

    private String tx(EventLoop loop, TunChannel tun) throws Exception {
        byte[] bytes = Packets.ipv4Udp(Generator.PEER, 9999, Generator.LOCAL, 7000, new byte[options.size()]);
        PacketCounter errors = new PacketCounter(false);
        tun.pipeline().addLast(errors);
        loop.register(tun).sync();
        TxTask task = new TxTask(tun, bytes);
        Window window = new Window();
        long[] sunk = new long[2];
        try (Generator sink = Generator.sink(7000)) {
            loop.execute(task);
            measure(loop, window, () -> task.written, () -> task.bytes, () -> sunk[0] = sink.count,
                () -> sunk[1] = sink.count);
            loop.submit(() -> task.stopped = true).sync();
            if (sunk[1] == 0) {
                sunk[1] = sink.count;
            }
        }
        return result("tx", window, " sock_rx=" + (sunk[1] - sunk[0]) + " write_err=" + errors.writeErrors
            + String.format(Locale.ROOT, " sock_pps=%.0f", (sunk[1] - sunk[0]) / Math.max(1e-9, window.seconds()))
            + " io=" + options.netty());
    }

    private void measure(EventLoop loop, Window window, LongSupplier packets, LongSupplier bytes) throws Exception {
        measure(loop, window, packets, bytes, () -> { }, () -> { });
    }

    /**
     * Opens the window after the warm-up and closes it after {@code --secs} (or at SIGTERM), each
     * as a task handed to the loop from this thread: a task queued behind a busy producer still
     * runs next, where a timer would wait for the loop's next scheduled-task pass.
     */
    private void measure(EventLoop loop, Window window, LongSupplier packets, LongSupplier bytes, Runnable onOpen,
            Runnable onClose) throws Exception {
        if (stop.await((long) (options.warmup() * 1e9), TimeUnit.NANOSECONDS)) {
            return;
        }
        loop.submit(() -> {
            window.open(packets.getAsLong(), bytes.getAsLong());
            onOpen.run();
        }).sync();
        stop.await((long) (options.secs() * 1e9), TimeUnit.NANOSECONDS);
        loop.submit(() -> {
            window.close(packets.getAsLong(), bytes.getAsLong());
            onClose.run();
        }).sync();
    }

    /** The packet paths run 20,000 times before registration, so the window starts in compiled code. */
    private static void warmUp(PacketCounter counter) {
        ByteBuf packet = ByteBufAllocator.DEFAULT.directBuffer(64).writeZero(64);
        packet.setByte(0, 0x45).setByte(9, 17);
        for (int i = 0; i < 20_000; i++) {
            PacketCounter.swapEndpoints(packet);
        }
        packet.release();
        counter.packets = 0;
    }

    private String result(String scenario, Window w, String extra) {
        if (!w.isClosed() || w.packets == 0) {
            return "scenario=" + scenario + " size=" + options.size() + " pps=0 error=no_packets_in_window" + extra;
        }
        double secs = w.seconds();
        double perPacket = 1.0 / w.packets;
        return String.format(Locale.ROOT,
            "scenario=%s size=%d pps=%.0f gbps=%.3f cpu_ns_per_pkt=%.0f alloc_bytes_per_pkt=%.4f gc=%d"
                + " pkts=%d secs=%.4f cpu=%.2f us_per_pkt=%.3f alloc_bytes=%d%s",
            scenario, options.size(), w.packets / secs, w.bytes * 8 / secs / 1e9, w.cpuNanos * perPacket,
            w.allocated * perPacket, w.gcs, w.packets, secs, w.cpuNanos / 1e9 / secs, w.cpuNanos * perPacket / 1e3,
            w.allocated, extra);
    }

    /**
     * Writes {@value TxProducer#BATCH} pooled copies of one valid IPv4/UDP packet per event-loop
     * turn, flushes, and runs again as the loop's next task (after its I/O), as a producer on a
     * Netty channel does: a buffer from the channel's allocator per packet, released by the channel.
     */
    private static final class TxTask implements Runnable {
        private final TunChannel tun;
        private final byte[] packet;
        long written;
        long bytes;
        boolean stopped;

        TxTask(TunChannel tun, byte[] packet) {
            this.tun = tun;
            this.packet = packet;
        }

        @Override
        public void run() {
            if (stopped || !tun.isActive()) {
                return;
            }
            ByteBufAllocator alloc = tun.alloc();
            for (int i = 0; i < TxProducer.BATCH && tun.isWritable(); i++) {
                ByteBuf buf = alloc.directBuffer(packet.length).writeBytes(packet);
                tun.write(buf, tun.voidPromise());
                written++;
                bytes += packet.length;
            }
            tun.flush();
            tun.eventLoop().execute(this);
        }
    }
}

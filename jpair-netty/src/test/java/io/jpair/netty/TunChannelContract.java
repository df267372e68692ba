package io.jpair.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpair.kernel.ProcFds;
import io.jpair.kernel.Shell;
import io.jpair.testing.Packets;
import io.jpair.tuntap.TunnelFlags;
import io.jpair.tuntap.TunnelOptions;
import io.jpair.tuntap.offload.OffloadOptions;
import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.PoolArenaMetric;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import java.io.RandomAccessFile;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every {@link TunChannel} does on a real device, whatever Netty I/O handler drives it; run
 * once per handler by its subclasses (Netty's testsuite pattern). Every wait is bounded, every
 * buffer released, and {@link NoLeaks} fails a test whose buffers leaked.
 */
@ExtendWith(NoLeaks.class)
abstract class TunChannelContract {
    private static final long WAIT_SECONDS = 5;
    private static final String LOCAL = "10.88.0.1";
    private static final String PEER = "10.88.0.2";
    private static final String PEER_MAC = "02:00:00:00:88:02";

    private static EventLoopGroup group;
    private TunChannel channel;

    /**
     * The I/O handler under test.
     *
     * @return its factory
     */
    abstract IoHandlerFactory ioHandlerFactory();

    @BeforeAll
    static void resetGroup() {
        group = null;
    }

    private EventLoopGroup group() {
        if (group == null) {
            group = new MultiThreadIoEventLoopGroup(1, ioHandlerFactory());
        }
        return group;
    }

    @AfterEach
    void closeChannel() throws Exception {
        if (channel != null) {
            channel.close().sync();
        }
    }

    @AfterAll
    static void stopGroup() throws Exception {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** Copies each packet (then releases it) into a queue. */
    private static final class Collect extends ChannelInboundHandlerAdapter {
        final BlockingQueue<byte[]> packets = new LinkedBlockingQueue<>();
        final AtomicInteger readCompletes = new AtomicInteger();
        final AtomicInteger writabilityChanges = new AtomicInteger();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                byte[] bytes = new byte[buf.readableBytes()];
                buf.getBytes(buf.readerIndex(), bytes);
                packets.add(bytes);
            } finally {
                buf.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            readCompletes.incrementAndGet();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            writabilityChanges.incrementAndGet();
        }

        /** The next IPv4 UDP packet to {@code port}, skipping the kernel's own chatter (IPv6, ARP). */
        byte[] nextUdpTo(int port, boolean ethernet) throws InterruptedException {
            return nextUdpTo(port, 0, ethernet);
        }

        byte[] nextUdpTo(int port, int skip, boolean ethernet) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            for (;;) {
                long left = deadline - System.nanoTime();
                byte[] packet = left > 0 ? packets.poll(left, TimeUnit.NANOSECONDS) : null;
                assertThat(packet).as("a UDP packet to port " + port + " within " + WAIT_SECONDS + " s").isNotNull();
                if (Packets.udpPayloadTo(packet, port, skip, ethernet) != null) {
                    return packet;
                }
            }
        }
    }

    private Collect open(TunnelFlags mode, TunnelOptions options, OffloadOptions offload, boolean autoRead)
            throws Exception {
        channel = TunChannel.open(mode.equals(TunnelFlags.IFF_TAP) ? "jntap%d" : "jntun%d", mode, options, offload);
        Collect collect = new Collect();
        channel.config().setAutoRead(autoRead);
        channel.pipeline().addLast(collect);
        group().register(channel).sync();
        String dev = channel.localAddress().name();
        Shell.check("sysctl", "-q", "-w", "net.ipv6.conf." + dev + ".disable_ipv6=1");
        Shell.ip("addr", "add", LOCAL + "/24", "dev", dev);
        Shell.ip("link", "set", dev, "up");
        if (mode.equals(TunnelFlags.IFF_TAP)) {
            Shell.ip("neigh", "replace", PEER, "lladdr", PEER_MAC, "dev", dev, "nud", "permanent");
        }
        return collect;
    }

    private Collect openTun() throws Exception {
        return open(TunnelFlags.IFF_TUN, TunnelOptions.defaults(), OffloadOptions.disabled(), true);
    }

    private static void sendFromKernel(int port, byte[] payload) throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.ofLiteral(LOCAL), 0))) {
            socket.send(new DatagramPacket(payload, payload.length, InetAddress.ofLiteral(PEER), port));
        }
    }

    private static byte[] payload(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    // ------------------------------------------------------------------ reading

    @Test
    void kernelUdpArrivesAsOnePacketByteExact() throws Exception {
        Collect collect = openTun();
        byte[] payload = payload("kernel to TunChannel");
        sendFromKernel(4000, payload);

        byte[] packet = collect.nextUdpTo(4000, false);
        assertThat(packet).hasSize(20 + 8 + payload.length);
        assertThat(packet[0]).isEqualTo((byte) 0x45);
        assertThat(Arrays.copyOfRange(packet, 12, 20))
            .isEqualTo(concat(Packets.address(LOCAL, 4), Packets.address(PEER, 4)));
        assertThat(Arrays.copyOfRange(packet, 28, packet.length)).isEqualTo(payload);
        assertThat(Packets.checksum(packet, 0, 20, 0)).as("IPv4 header checksum").isZero();
        // channelReadComplete follows the batch's channelRead on the loop thread: wait for it (bounded).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (collect.readCompletes.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(collect.readCompletes.get()).as("channelReadComplete after the batch").isPositive();
    }

    @Test
    void writtenPacketReachesAKernelSocketByteExact() throws Exception {
        openTun();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.ofLiteral(LOCAL), 4001))) {
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            byte[] payload = payload("TunChannel to kernel");
            channel.writeAndFlush(Unpooled.wrappedBuffer(Packets.ipv4Udp(PEER, 7, LOCAL, 4001, payload))).sync();

            DatagramPacket received = new DatagramPacket(new byte[1500], 1500);
            socket.receive(received);
            assertThat(Arrays.copyOf(received.getData(), received.getLength())).isEqualTo(payload);
            assertThat(received.getSocketAddress()).isEqualTo(new InetSocketAddress(InetAddress.ofLiteral(PEER), 7));
        }
    }

    @Test
    void adaptiveAllocatorBuffersReadAndWriteByteExact() throws Exception {
        Collect collect = openTun();
        AdaptiveByteBufAllocator adaptive = new AdaptiveByteBufAllocator();
        channel.config().setAllocator(adaptive);
        byte[] payload = payload("into an adaptive buffer");
        sendFromKernel(4009, payload);
        byte[] packet = collect.nextUdpTo(4009, false);
        assertThat(Arrays.copyOfRange(packet, 28, packet.length)).isEqualTo(payload);

        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.ofLiteral(LOCAL), 4010))) {
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            byte[] back = payload("from an adaptive buffer");
            ByteBuf out = adaptive.directBuffer().writeBytes(Packets.ipv4Udp(PEER, 7, LOCAL, 4010, back));
            channel.writeAndFlush(out).sync();
            DatagramPacket received = new DatagramPacket(new byte[1500], 1500);
            socket.receive(received);
            assertThat(Arrays.copyOf(received.getData(), received.getLength())).isEqualTo(back);
        }
    }

    @Test
    void tapDeliversKernelFramesAndWritesFramesByteExact() throws Exception {
        Collect collect = open(TunnelFlags.IFF_TAP, TunnelOptions.defaults(), OffloadOptions.disabled(), true);
        String dev = channel.localAddress().name();
        byte[] tapMac = HexFormat.ofDelimiter(":").parseHex(
            Shell.ip("-br", "link", "show", "dev", dev).strip().split("\\s+")[2]);
        byte[] peerMac = HexFormat.ofDelimiter(":").parseHex(PEER_MAC);

        byte[] payload = payload("kernel to TAP");
        sendFromKernel(4002, payload);
        byte[] frame = collect.nextUdpTo(4002, true);
        assertThat(Arrays.copyOfRange(frame, 0, 14))
            .isEqualTo(concat(peerMac, tapMac, new byte[] {0x08, 0x00}));
        assertThat(Arrays.copyOfRange(frame, 14 + 28, frame.length)).isEqualTo(payload);

        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.ofLiteral(LOCAL), 4003))) {
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            byte[] back = payload("TAP to kernel");
            byte[] out = Packets.ethernet(peerMac, tapMac, Packets.ETHERTYPE_IPV4,
                Packets.ipv4Udp(PEER, 7, LOCAL, 4003, back));
            channel.writeAndFlush(Unpooled.wrappedBuffer(out)).sync();
            DatagramPacket received = new DatagramPacket(new byte[1500], 1500);
            socket.receive(received);
            assertThat(Arrays.copyOf(received.getData(), received.getLength())).isEqualTo(back);
        }
    }

    @Test
    void packetInformationHeaderPrecedesEveryPacket() throws Exception {
        Collect collect = open(TunnelFlags.IFF_TUN, TunnelOptions.defaults().withPacketInformation(true),
            OffloadOptions.disabled(), true);
        byte[] payload = payload("with PI");
        sendFromKernel(4004, payload);
        byte[] packet = collect.nextUdpTo(4004, 4, false);
        // struct tun_pi: flags 0, proto ETH_P_IP.
        assertThat(Arrays.copyOf(packet, 4)).isEqualTo(new byte[] {0, 0, 0x08, 0x00});
        assertThat(Arrays.copyOfRange(packet, 4 + 28, packet.length)).isEqualTo(payload);
    }

    @Test
    void offloadChannelDeliversPlainPacketsWithCompleteChecksums() throws Exception {
        Collect collect = open(TunnelFlags.IFF_TUN, TunnelOptions.defaults(), OffloadOptions.enabled(), true);
        assertThat(channel.hasVirtioHeader()).isTrue();
        byte[] payload = payload("through the virtio header");
        sendFromKernel(4005, payload);
        byte[] packet = collect.nextUdpTo(4005, false);
        assertThat(Arrays.copyOfRange(packet, 28, packet.length)).isEqualTo(payload);
        int pseudo = sum16(packet, 12, 8) + Packets.PROTO_UDP + (packet.length - 20);
        assertThat(Packets.checksum(packet, 20, packet.length - 20, pseudo)).as("UDP checksum").isZero();
    }

    @Test
    void offloadChannelCoalescesAFlushIntoPacketsTheKernelDelivers() throws Exception {
        open(TunnelFlags.IFF_TUN, TunnelOptions.defaults(), OffloadOptions.enabled(), true);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.ofLiteral(LOCAL), 4006))) {
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            for (int i = 0; i < 8; i++) {
                byte[] datagram = new byte[200];
                Arrays.fill(datagram, (byte) i);
                channel.write(Unpooled.wrappedBuffer(Packets.ipv4Udp(PEER, 7, LOCAL, 4006, datagram)));
            }
            channel.flush();
            for (int i = 0; i < 8; i++) {
                DatagramPacket received = new DatagramPacket(new byte[1500], 1500);
                socket.receive(received);
                assertThat(received.getLength()).isEqualTo(200);
                assertThat(received.getData()[0]).isEqualTo((byte) i);
            }
            assertThat(channel.failedWrites()).isZero();
        }
    }

    @Test
    void multiQueueDeviceGivesOneChannelPerQueueAndSpreadsFlowsOverThem() throws Exception {
        TunChannel[] queues = TunChannel.openQueues("jnmq%d", 2, TunnelFlags.IFF_TUN, TunnelOptions.defaults(),
            OffloadOptions.disabled());
        Collect[] collects = {new Collect(), new Collect()};
        int flows = 16;
        try {
            assertThat(queues[1].localAddress()).isEqualTo(queues[0].localAddress());
            for (int q = 0; q < 2; q++) {
                queues[q].pipeline().addLast(collects[q]);
                group().register(queues[q]).sync();
            }
            String dev = queues[0].localAddress().name();
            Shell.check("sysctl", "-q", "-w", "net.ipv6.conf." + dev + ".disable_ipv6=1");
            Shell.ip("addr", "add", "10.88.5.1/24", "dev", dev);
            Shell.ip("link", "set", dev, "up");
            for (int flow = 0; flow < flows; flow++) {
                try (DatagramSocket socket = new DatagramSocket(
                        new InetSocketAddress(InetAddress.ofLiteral("10.88.5.1"), 0))) {
                    byte[] payload = payload("flow " + flow);
                    socket.send(new DatagramPacket(payload, payload.length, InetAddress.ofLiteral("10.88.5.2"),
                        5000 + flow));
                }
            }
            int[] perQueue = new int[2];
            Set<Integer> ports = new HashSet<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (ports.size() < flows && System.nanoTime() < deadline) {
                for (int q = 0; q < 2; q++) {
                    byte[] packet = collects[q].packets.poll(10, TimeUnit.MILLISECONDS);
                    for (int flow = 0; packet != null && flow < flows; flow++) {
                        if (Packets.udpPayloadTo(packet, 5000 + flow, 0, false) != null && ports.add(flow)) {
                            perQueue[q]++;
                        }
                    }
                }
            }
            assertThat(ports).as("every flow arrived on some queue").hasSize(flows);
            assertThat(perQueue).as("flows per queue").doesNotContain(0);
        } finally {
            for (TunChannel queue : queues) {
                queue.close().sync();
            }
        }
        assertThat(Shell.run("ip", "link", "show", queues[0].localAddress().name()).ok())
            .as("the device left with its last queue").isFalse();
    }

    // ------------------------------------------------------------------ flow control

    @Test
    void autoReadOffReadsOnlyWhenAsked() throws Exception {
        Collect collect = open(TunnelFlags.IFF_TUN, TunnelOptions.defaults(), OffloadOptions.disabled(), false);
        for (int i = 0; i < 3; i++) {
            sendFromKernel(4007, payload("queued " + i));
        }
        assertThat(collect.packets.poll(300, TimeUnit.MILLISECONDS)).as("nothing read with auto-read off").isNull();

        channel.read();
        assertThat(collect.packets.poll(WAIT_SECONDS, TimeUnit.SECONDS)).as("read() delivers a packet").isNotNull();
        assertThat(collect.packets.poll(300, TimeUnit.MILLISECONDS)).as("one read() is one packet").isNull();

        channel.config().setAutoRead(true);
        int more = 0;
        while (collect.packets.poll(300, TimeUnit.MILLISECONDS) != null) {
            more++;
        }
        assertThat(more).as("auto-read on drains what was queued").isGreaterThanOrEqualTo(2);
    }

    @Test
    void writeBufferWaterMarksFlipWritability() throws Exception {
        Collect collect = openTun();
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1024, 4096));
        byte[] packet = Packets.ipv4Udp(PEER, 7, LOCAL, 4008, new byte[100]);
        channel.eventLoop().submit(() -> {
            while (channel.isWritable()) {
                channel.write(Unpooled.wrappedBuffer(packet));
            }
        }).sync();
        assertThat(channel.isWritable()).isFalse();
        assertThat(channel.bytesBeforeWritable()).isPositive();

        channel.flush();
        channel.eventLoop().submit(() -> { }).sync();
        assertThat(channel.isWritable()).isTrue();
        assertThat(collect.writabilityChanges.get()).as("unwritable, then writable again").isEqualTo(2);
    }

    // ------------------------------------------------------------------ life cycle

    @Test
    void closeClosesTheFdOnceAndCompletesCloseFuture() throws Exception {
        openTun();
        String dev = channel.localAddress().name();
        int fd = channel.fd();
        assertThat(Path.of("/proc/self/fd/" + fd)).exists();

        channel.close().sync();
        assertThat(channel.closeFuture().isSuccess()).isTrue();
        assertThat(channel.isOpen()).isFalse();
        assertThat(channel.isActive()).isFalse();
        assertThat(Shell.run("ip", "link", "show", dev).ok()).as("the device left with its fd").isFalse();

        // The number is free again: whatever takes it must survive a second close of the channel.
        try (RandomAccessFile other = new RandomAccessFile("/proc/self/status", "r")) {
            channel.close().sync();
            channel.unsafe().closeForcibly();
            assertThat(other.read()).isNotNegative();
        }
    }

    @Test
    void deletingTheDeviceClosesTheChannel() throws Exception {
        open(TunnelFlags.IFF_TUN, TunnelOptions.defaults(), OffloadOptions.disabled(), true);
        AtomicInteger errors = new AtomicInteger();
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                errors.incrementAndGet();
            }
        });
        Shell.ip("link", "del", channel.localAddress().name());
        assertThat(channel.closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS)).as("closed after the device went").isTrue();
        assertThat(errors.get()).as("the failed read reported").isOne();
    }

    @Test
    void withAutoReadOffTheNextReadNoticesTheDeviceIsGone() throws Exception {
        open(TunnelFlags.IFF_TUN, TunnelOptions.defaults(), OffloadOptions.disabled(), false);
        Shell.ip("link", "del", channel.localAddress().name());
        channel.read();
        assertThat(channel.closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS)).as("closed by the failed read").isTrue();
    }

    @Test
    void writesAfterCloseFailTheirPromiseAndReleaseTheBuffer() throws Exception {
        openTun();
        channel.close().sync();
        ByteBuf buf = Unpooled.directBuffer(10).writeZero(10);
        assertThat(channel.writeAndFlush(buf).await().cause()).isNotNull();
        assertThat(buf.refCnt()).isZero();
    }

    @Test
    void bindAndConnectAreRefused() throws Exception {
        openTun();
        assertThatThrownBy(() -> channel.connect(new InetSocketAddress(1)).sync())
            .isInstanceOf(UnsupportedOperationException.class);
        assertThat(channel.remoteAddress()).isNull();
        assertThat(channel.localAddress().mode()).isEqualTo(TunnelFlags.IFF_TUN);
    }

    @Test
    void thousandOpenCloseCyclesLeakNoFdAndNoBuffer() throws Exception {
        PooledByteBufAllocator alloc = new PooledByteBufAllocator(true);
        long fdsBefore = ProcFds.count();
        for (int i = 0; i < 1000; i++) {
            TunChannel tun = TunChannel.open("jncycle%d", TunnelFlags.IFF_TUN, TunnelOptions.defaults(),
                OffloadOptions.disabled());
            tun.config().setAllocator(alloc);
            group().register(tun).sync();
            ByteBuf packet = alloc.directBuffer(28);
            packet.writeBytes(Packets.ipv4Udp(PEER, 7, LOCAL, 9, new byte[0]));
            // The device is down: the kernel refuses the write, the promise fails, the buffer is released.
            tun.writeAndFlush(packet).await();
            tun.close().sync();
        }
        assertThat(ProcFds.count()).as("open fds after 1,000 cycles").isEqualTo(fdsBefore);
        long active = 0;
        for (PoolArenaMetric arena : alloc.metric().directArenas()) {
            active += arena.numActiveAllocations();
        }
        assertThat(active).as("pooled buffers still allocated").isZero();
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    private static int sum16(byte[] data, int offset, int length) {
        int sum = 0;
        for (int i = offset; i < offset + length; i += 2) {
            sum += ((data[i] & 0xFF) << 8) | (data[i + 1] & 0xFF);
        }
        return sum;
    }
}

package io.jpair.tuntap;

import io.jpair.tuntap.offload.OffloadPackets;
import io.jpair.tuntap.offload.OffloadOptions;
import io.jpair.tuntap.offload.Offloads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.kernel.KernelTest;
import io.jpair.kernel.Shell;
import io.jpair.reactor.EpollReactor;
import io.jpair.sys.InetSocket;
import io.jpair.sys.LibC;
import io.jpair.testing.Packets;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link TunQueue} on real TUN devices in this run's private network namespace. */
@KernelTest
class TunQueueKernelTest {
    private static final int OFFSET = 16;
    private final List<TunQueue> queues = new ArrayList<>();
    private final ByteBuffer[] bufs = OffloadPackets.buffers(TunQueue.IDEAL_BATCH_SIZE, OFFSET + 2048);
    private final int[] sizes = new int[TunQueue.IDEAL_BATCH_SIZE];

    @AfterEach
    void closeQueues() {
        for (TunQueue queue : queues) {
            queue.close();
        }
    }

    private TunQueue open(String name, TunnelOptions options, OffloadOptions offload) throws ErrnoException {
        TunQueue queue = TunQueue.open(name, options, offload);
        queues.add(queue);
        return queue;
    }

    private static void up(String device, String cidr) {
        Shell.ip("addr", "add", cidr, "dev", device);
        Shell.ip("link", "set", device, "up");
    }

    /** Reads for at most five seconds until {@code wanted} UDP packets to {@code port} arrived. */
    private List<byte[]> readUdpTo(TunQueue queue, int port, int wanted) throws Exception {
        List<byte[]> packets = new ArrayList<>();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (packets.size() < wanted && System.nanoTime() < deadline) {
            int n = queue.read(bufs, sizes, OFFSET);
            for (int i = 0; i < n; i++) {
                byte[] packet = new byte[sizes[i]];
                bufs[i].get(OFFSET, packet);
                if (packet[0] == 0x45 && packet[9] == 17 && OffloadPackets.get16(packet, 22) == port) {
                    packets.add(packet);
                }
            }
            if (n == 0) {
                Thread.sleep(1);
            }
        }
        return packets;
    }

    @Test
    void offloadNegotiationAcceptsTsoAndUsoOnThisKernel() throws Exception {
        TunQueue queue = open("jof0", TunnelOptions.defaults(), OffloadOptions.enabled());
        assertThat(queue.hasVirtioHeader()).isTrue();
        assertThat(Offloads.describe(queue.offloads())).isEqualTo("CSUM|TSO4|TSO6|USO4|USO6");
        assertThat(queue.tcpCoalescing()).isTrue();
        assertThat(queue.udpCoalescing()).isTrue();
    }

    @Test
    void udpSwitchLeavesOnlyTheTcpOffloads() throws Exception {
        TunQueue queue = open("jof1", TunnelOptions.defaults(), OffloadOptions.enabled().withUdp(false));
        assertThat(queue.offloads()).isEqualTo(Offloads.TCP_SET);
        assertThat(queue.udpCoalescing()).isFalse();
    }

    @Test
    void disabledOffloadOpensAPlainDevice() throws Exception {
        TunQueue queue = open("jof2", TunnelOptions.defaults(), OffloadOptions.disabled());
        assertThat(queue.hasVirtioHeader()).isFalse();
        assertThat(queue.offloads()).isZero();
        assertThatThrownBy(() -> queue.readVirtio(bufs, sizes, OFFSET)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void udpGsoSuperPacketFromTheKernelIsSplitIntoValidDatagrams() throws Exception {
        TunQueue queue = open("jgso0", TunnelOptions.defaults(), OffloadOptions.enabled());
        up(queue.interfaceName(), "10.114.0.1/24");
        byte[] data = OffloadPackets.payload(1400 * 10, 5);
        int socket = InetSocket.udp();
        assertThat(socket).isPositive();
        try (Arena arena = Arena.ofConfined()) {
            assertThat(InetSocket.bind(socket, (Inet4Address) InetAddress.ofLiteral("10.114.0.1"), 0)).isZero();
            assertThat(InetSocket.connect(socket, (Inet4Address) InetAddress.ofLiteral("10.114.0.2"), 9)).isZero();
            assertThat(InetSocket.udpSegment(socket, 1400)).isZero();
            MemorySegment payload = arena.allocate(data.length);
            MemorySegment.copy(data, 0, payload, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, data.length);
            assertThat(LibC.write(socket, payload.address(), data.length)).isEqualTo(data.length);
        } finally {
            LibC.close(socket);
        }
        List<byte[]> datagrams = readUdpTo(queue, 9, 10);
        assertThat(datagrams).hasSize(10);
        assertThat(queue.counters().superPacketsRead()).isPositive();
        for (int i = 0; i < 10; i++) {
            byte[] d = datagrams.get(i);
            assertThat(d).hasSize(1428);
            assertThat(OffloadPackets.checksumsValid(d)).as("datagram %d checksums", i).isTrue();
            assertThat(Arrays.copyOfRange(d, 28, d.length)).isEqualTo(Arrays.copyOfRange(data, i * 1400, (i + 1) * 1400));
        }
    }

    @Test
    void coalescedUdpWriteReachesAKernelSocketAsSeparateDatagrams() throws Exception {
        TunQueue queue = open("jgro0", TunnelOptions.defaults(), OffloadOptions.enabled());
        up(queue.interfaceName(), "10.115.0.1/24");
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.ofLiteral("10.115.0.1"), 7000))) {
            socket.setSoTimeout(5000);
            ByteBuffer[] out = OffloadPackets.buffers(10, OFFSET + 65535);
            for (int i = 0; i < 10; i++) {
                byte[] packet = Packets.ipv4Udp("10.115.0.2", 5000, "10.115.0.1", 7000, OffloadPackets.payload(1000, i));
                OffloadPackets.place(out[i], OFFSET, packet);
            }
            assertThat(queue.write(out, 10, OFFSET)).isEqualTo(10);
            assertThat(queue.counters().superPacketsWritten()).isEqualTo(1);
            assertThat(queue.counters().packetsWritten()).isEqualTo(1);
            byte[] buffer = new byte[2048];
            for (int i = 0; i < 10; i++) {
                DatagramPacket received = new DatagramPacket(buffer, buffer.length);
                socket.receive(received);
                assertThat(Arrays.copyOf(buffer, received.getLength())).isEqualTo(OffloadPackets.payload(1000, i));
            }
        }
    }

    @Test
    void uncoalescedWriteWithTxOffloadOffStillWorks() throws Exception {
        TunQueue queue = open("jgro1", TunnelOptions.defaults(), OffloadOptions.enabled().withTxOffload(false));
        assertThat(queue.tcpCoalescing()).isFalse();
        up(queue.interfaceName(), "10.118.0.1/24");
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.ofLiteral("10.118.0.1"), 7000))) {
            socket.setSoTimeout(5000);
            ByteBuffer[] out = OffloadPackets.buffers(3, OFFSET + 2048);
            for (int i = 0; i < 3; i++) {
                OffloadPackets.place(out[i], OFFSET,
                    Packets.ipv4Udp("10.118.0.2", 5000, "10.118.0.1", 7000, OffloadPackets.payload(100, i)));
            }
            queue.write(out, 3, OFFSET);
            assertThat(queue.counters().packetsWritten()).isEqualTo(3);
            byte[] buffer = new byte[2048];
            DatagramPacket received = new DatagramPacket(buffer, buffer.length);
            socket.receive(received);
            assertThat(received.getLength()).isEqualTo(100);
        }
    }

    @Test
    void multiQueueDeviceSpreadsFlowsOverBothQueues() throws Exception {
        TunQueue[] pair = TunQueue.openQueues("jmq0", 2, TunnelOptions.defaults(), OffloadOptions.enabled(),
            RealIOSystem.INSTANCE);
        queues.addAll(List.of(pair));
        assertThat(pair[0].isMultiQueue()).isTrue();
        assertThat(pair[1].interfaceName()).isEqualTo(pair[0].interfaceName());
        up(pair[0].interfaceName(), "10.116.0.1/24");
        int[] counts = new int[2];
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.ofLiteral("10.116.0.1"), 0))) {
            for (int flow = 0; flow < 64; flow++) {
                byte[] payload = new byte[32];
                socket.send(new DatagramPacket(payload, payload.length,
                    new InetSocketAddress(InetAddress.ofLiteral("10.116.0.2"), 20000 + flow)));
            }
        }
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (counts[0] + counts[1] < 64 && System.nanoTime() < deadline) {
            for (int q = 0; q < 2; q++) {
                int n = pair[q].read(bufs, sizes, OFFSET);
                for (int i = 0; i < n; i++) {
                    if (bufs[i].get(OFFSET) == 0x45 && bufs[i].get(OFFSET + 9) == 17) {
                        counts[q]++;
                    }
                }
            }
            Thread.sleep(1);
        }
        assertThat(counts[0] + counts[1]).isEqualTo(64);
        assertThat(counts[0]).as("queue 0").isPositive();
        assertThat(counts[1]).as("queue 1").isPositive();
    }

    @Test
    void eachQueueReadByItsOwnReactorThreadGetsItsFlowsAndNothingIsLost() throws Exception {
        TunQueue[] pair = TunQueue.openQueues("jmq9", 2, TunnelOptions.defaults(), OffloadOptions.enabled());
        queues.addAll(List.of(pair));
        up(pair[0].interfaceName(), "10.126.0.1/24");
        AtomicLongArray counts = new AtomicLongArray(2);
        EpollReactor[] reactors = new EpollReactor[2];
        Thread[] threads = new Thread[2];
        for (int q = 0; q < 2; q++) {
            int index = q;
            reactors[q] = new EpollReactor();
            reactors[q].addReader(new TunQueueReader(pair[q], 1500, (packets, packetSizes, count, offset) -> {
                for (int i = 0; i < count; i++) {
                    if (packets[i].get(offset) == 0x45 && packets[i].get(offset + 9) == 17) {
                        counts.incrementAndGet(index);
                    }
                }
            }));
            threads[q] = Thread.ofPlatform().name("queue-" + q).start(reactors[q]::run);
        }
        int datagrams = 64 * 20;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.ofLiteral("10.126.0.1"), 0))) {
            byte[] payload = new byte[32];
            for (int i = 0; i < datagrams; i++) {
                socket.send(new DatagramPacket(payload, payload.length,
                    new InetSocketAddress(InetAddress.ofLiteral("10.126.0.2"), 20000 + i % 64)));
                if (i % 64 == 63) {
                    Thread.sleep(1);  // paced below the device queue (500 packets)
                }
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (counts.get(0) + counts.get(1) < datagrams && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        } finally {
            for (int q = 0; q < 2; q++) {
                reactors[q].stop();
                threads[q].join(5000);
                reactors[q].close();
            }
        }
        assertThat(counts.get(0) + counts.get(1)).isEqualTo(datagrams);
        assertThat(counts.get(0)).as("queue 0").isPositive();
        assertThat(counts.get(1)).as("queue 1").isPositive();
    }

    @Test
    void detachedQueueGetsNoTrafficAndCanBeAttachedAgain() throws Exception {
        TunQueue[] pair = TunQueue.openQueues("jmq1", 2, TunnelOptions.defaults(), OffloadOptions.disabled(),
            RealIOSystem.INSTANCE);
        queues.addAll(List.of(pair));
        up(pair[0].interfaceName(), "10.117.0.1/24");
        pair[1].detach();
        assertThatThrownBy(pair[1]::detach).isInstanceOf(ErrnoException.class);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.ofLiteral("10.117.0.1"), 0))) {
            for (int flow = 0; flow < 32; flow++) {
                socket.send(new DatagramPacket(new byte[8], 8,
                    new InetSocketAddress(InetAddress.ofLiteral("10.117.0.2"), 20000 + flow)));
            }
        }
        int received = 0;
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (received < 32 && System.nanoTime() < deadline) {
            int n = pair[0].read(bufs, sizes, OFFSET);
            for (int i = 0; i < n; i++) {
                if (bufs[i].get(OFFSET) == 0x45) {
                    received++;
                }
            }
            Thread.sleep(1);
        }
        assertThat(received).as("all flows on the attached queue").isEqualTo(32);
        assertThat(pair[1].read(bufs, sizes, OFFSET)).as("nothing on the detached queue").isZero();
        pair[1].attach();
        assertThat(pair[1].read(bufs, sizes, OFFSET)).isGreaterThanOrEqualTo(0);
    }

    @Test
    void anotherQueueAttachesToAnExistingMultiQueueDeviceButAPlainOpenIsRefused() throws Exception {
        TunQueue first = open("jmq2", TunnelOptions.defaults().withMultiQueue(true), OffloadOptions.disabled());
        TunQueue second = open("jmq2", TunnelOptions.defaults().withMultiQueue(true), OffloadOptions.disabled());
        assertThat(second.fileno()).isNotEqualTo(first.fileno());
        assertThat(second.interfaceName()).isEqualTo("jmq2");
        assertThatThrownBy(() -> open("jmq2", TunnelOptions.defaults(), OffloadOptions.disabled()))
            .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
    }

    @Test
    void detachOnASingleQueueDeviceIsRefused() throws Exception {
        TunQueue queue = open("jsq0", TunnelOptions.defaults(), OffloadOptions.disabled());
        assertThatThrownBy(queue::detach).isInstanceOfSatisfying(ErrnoException.class,
            e -> assertThat(e.getMessage()).contains("TUNSETQUEUE").contains("not multi-queue"));
    }
    @Test
    void batchWritesAndReadsAllocateNothingAfterWarmUp() throws Exception {
        TunQueue queue = open("jal0", TunnelOptions.defaults(), OffloadOptions.enabled());
        up(queue.interfaceName(), "10.119.0.1/24");
        byte[][] packets = new byte[64][];
        for (int i = 0; i < packets.length; i++) {
            packets[i] = Packets.ipv4Udp("10.119.0.2", 5000, "10.119.0.1", 7000, OffloadPackets.payload(1000, i));
        }
        ByteBuffer[] out = OffloadPackets.buffers(64, OFFSET + 65535);
        com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        // Until C2 has compiled the path, the FFM downcalls allocate a little (C1 has no escape
        // analysis), so look for a steady-state window of 5000 batches: at most 80 000 batches.
        long best = Long.MAX_VALUE;
        for (int window = 0; window < 16 && best >= 1024; window++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int round = 0; round < 5_000; round++) {
                for (int i = 0; i < packets.length; i++) {
                    out[i].clear();
                    out[i].put(OFFSET, packets[i]).limit(OFFSET + packets[i].length);
                }
                queue.write(out, packets.length, OFFSET);
                queue.read(bufs, sizes, OFFSET);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (window >= 2) {
                best = Math.min(best, allocated);
            }
        }
        assertThat(queue.counters().superPacketsWritten()).as("one coalesced write per batch").isEqualTo(queue.counters().packetsWritten());
        assertThat(best).as("bytes allocated by 5000 batches of 64 in the steady state").isLessThan(1024);
    }
    @Test
    void tcpSuperPacketFromTheKernelIsSplitIntoValidSegments() throws Exception {
        TunQueue queue = open("jtso0", TunnelOptions.defaults(), OffloadOptions.enabled());
        up(queue.interfaceName(), "10.120.0.1/24");
        byte[] kernelSide = {10, 120, 0, 1};
        byte[] peer = {10, 120, 0, 2};
        byte[] data = OffloadPackets.payload(8000, 11);
        try (java.nio.channels.SocketChannel client = java.nio.channels.SocketChannel.open()) {
            client.configureBlocking(false);
            client.bind(new InetSocketAddress(InetAddress.ofLiteral("10.120.0.1"), 0));
            client.connect(new InetSocketAddress(InetAddress.ofLiteral("10.120.0.2"), 80));
            // Play the peer: answer the SYN with a SYN-ACK (MSS 1460, no timestamps).
            byte[] syn = awaitTcp(queue, packet -> (packet[33] & OffloadPackets.SYN) != 0);
            int clientPort = OffloadPackets.get16(syn, 20);
            long clientSeq = OffloadPackets.get32(syn, 24);
            byte[] synAck = OffloadPackets.readdress(OffloadPackets.tcp(false, 80, clientPort, 5000, clientSeq + 1,
                OffloadPackets.SYN | OffloadPackets.ACK, new byte[] {2, 4, 0x05, (byte) 0xB4}, new byte[0]), peer,
                kernelSide);
            ByteBuffer[] out = OffloadPackets.buffers(1, OFFSET + 2048);
            OffloadPackets.place(out[0], OFFSET, synAck);
            queue.write(out, 1, OFFSET);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!client.finishConnect() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(client.write(ByteBuffer.wrap(data))).isEqualTo(data.length);
            // Collect the first flight: it fits the initial congestion window.
            byte[] received = new byte[data.length];
            int total = 0;
            while (total < data.length && System.nanoTime() < deadline) {
                int n = queue.read(bufs, sizes, OFFSET);
                for (int i = 0; i < n; i++) {
                    byte[] segment = new byte[sizes[i]];
                    bufs[i].get(OFFSET, segment);
                    if (segment[9] != 6 || segment.length <= 40) {
                        continue;
                    }
                    assertThat(OffloadPackets.checksumsValid(segment)).as("segment checksums").isTrue();
                    assertThat(segment.length).isLessThanOrEqualTo(1500);
                    int at = (int) (OffloadPackets.get32(segment, 24) - clientSeq - 1);
                    System.arraycopy(segment, 40, received, at, segment.length - 40);
                    total += segment.length - 40;
                }
                if (n == 0) {
                    Thread.sleep(1);
                }
            }
            assertThat(received).isEqualTo(data);
            assertThat(queue.counters().superPacketsRead()).as("TSO super-packets read").isPositive();
        }
    }

    private byte[] awaitTcp(TunQueue queue, java.util.function.Predicate<byte[]> wanted) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            int n = queue.read(bufs, sizes, OFFSET);
            for (int i = 0; i < n; i++) {
                byte[] packet = new byte[sizes[i]];
                bufs[i].get(OFFSET, packet);
                if (packet[0] == 0x45 && packet[9] == 6 && wanted.test(packet)) {
                    return packet;
                }
            }
            Thread.sleep(1);
        }
        throw new AssertionError("no matching TCP packet within 5 s");
    }
    @Test
    void coalescedTcpSegmentsReachAKernelSocketInOrder() throws Exception {
        TunQueue queue = open("jtgro0", TunnelOptions.defaults(), OffloadOptions.enabled());
        up(queue.interfaceName(), "10.121.0.1/24");
        byte[] kernelSide = {10, 121, 0, 1};
        byte[] peer = {10, 121, 0, 2};
        try (java.nio.channels.SocketChannel client = java.nio.channels.SocketChannel.open()) {
            client.configureBlocking(false);
            client.bind(new InetSocketAddress(InetAddress.ofLiteral("10.121.0.1"), 0));
            client.connect(new InetSocketAddress(InetAddress.ofLiteral("10.121.0.2"), 80));
            byte[] syn = awaitTcp(queue, packet -> (packet[33] & OffloadPackets.SYN) != 0);
            int clientPort = OffloadPackets.get16(syn, 20);
            long ack = OffloadPackets.get32(syn, 24) + 1;
            ByteBuffer[] out = OffloadPackets.buffers(10, OFFSET + 65535);
            OffloadPackets.place(out[0], OFFSET, OffloadPackets.readdress(OffloadPackets.tcp(false, 80, clientPort, 5000,
                ack, OffloadPackets.SYN | OffloadPackets.ACK, new byte[] {2, 4, 0x05, (byte) 0xB4}, new byte[0]), peer,
                kernelSide));
            queue.write(out, 1, OFFSET);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!client.finishConnect() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            byte[] data = OffloadPackets.payload(10 * 1000, 12);
            for (int i = 0; i < 10; i++) {
                OffloadPackets.place(out[i], OFFSET, OffloadPackets.readdress(OffloadPackets.tcp(false, 80, clientPort,
                    5001 + 1000L * i, ack, OffloadPackets.ACK | (i == 9 ? OffloadPackets.PSH : 0), new byte[0],
                    Arrays.copyOfRange(data, i * 1000, (i + 1) * 1000)), peer, kernelSide));
            }
            long before = queue.counters().superPacketsWritten();
            queue.write(out, 10, OFFSET);
            assertThat(queue.counters().superPacketsWritten() - before).as("one super-packet for ten segments").isEqualTo(1);
            ByteBuffer received = ByteBuffer.allocate(data.length);
            while (received.hasRemaining() && System.nanoTime() < deadline) {
                if (client.read(received) == 0) {
                    Thread.sleep(1);
                }
            }
            assertThat(received.array()).isEqualTo(data);
        }
    }
}

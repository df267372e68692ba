package io.jpair.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpair.ip.IpPacket;
import io.jpair.kernel.KernelTest;
import io.jpair.kernel.ProcFds;
import io.jpair.kernel.Shell;
import io.jpair.reactor.EpollReactor;
import io.jpair.transport.CannotListenException;
import io.jpair.udp.DatagramProtocol;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link UdpPort} on real kernel sockets in this run's private network namespace, against
 * {@code python3} peers on loopback: datagrams byte-exact over IPv4, IPv6 and dual stack, batches,
 * echo replies, connected use, GSO and GRO on and off, multicast, the one-line bind error, and no
 * fd leaked over 1,000 open/close cycles.
 */
@KernelTest
class UdpPortKernelTest {
    private static final int COUNT = 200;
    private EpollReactor reactor;
    private final List<UdpPort> ports = new ArrayList<>();

    /** Collects payloads, senders and batch ends; echoes when asked. */
    static class Collector extends DatagramProtocol {
        final List<byte[]> payloads = new ArrayList<>();
        final List<String> senders = new ArrayList<>();
        final List<Integer> versions = new ArrayList<>();
        int completes;
        int refused;
        boolean echo;

        @Override
        public void datagramReceived(ByteBuffer payload, IpPacket packet, int sourcePort) {
            byte[] data = new byte[payload.remaining()];
            payload.get(payload.position(), data);
            payloads.add(data);
            senders.add(packet.sourceAddress().getHostAddress());
            versions.add(packet.version());
            if (echo) {
                transport().reply(payload, packet, sourcePort);
            }
        }

        @Override
        public void readComplete() {
            completes++;
        }

        @Override
        public void connectionRefused() {
            refused++;
        }
    }

    @BeforeAll
    static void loopbackUp() {
        Shell.check("ip", "link", "set", "lo", "up");
    }

    @BeforeEach
    void createReactor() throws Exception {
        reactor = new EpollReactor();
    }

    @AfterEach
    void stopPortsAndCloseReactor() {
        for (UdpPort port : ports) {
            port.stopListening();
        }
        reactor.runOnce(0);
        reactor.close();
    }

    private UdpPort listen(DatagramProtocol protocol, String address, UdpOptions options) throws Exception {
        UdpPort port = UdpPort.listen(reactor, 0, protocol, address, options);
        ports.add(port);
        return port;
    }

    /** The i-th test datagram: varied length and content. */
    static byte[] datagram(int i) {
        byte[] data = new byte[1 + (i * 37) % 1200];
        for (int j = 0; j < data.length; j++) {
            data[j] = (byte) (i * 31 + j);
        }
        return data;
    }

    private static final String PAYLOAD_PY =
        "def payload(i):\n    return bytes(((i * 31 + j) & 0xFF) for j in range(1 + (i * 37) % 1200))\n";

    private Process python(String script) throws IOException {
        return new ProcessBuilder("python3", "-c", script).redirectErrorStream(true).start();
    }

    /** Runs the reactor until the condition holds, for at most ten seconds. */
    private boolean runUntil(BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            reactor.runOnce(20_000_000L);
        }
        return condition.getAsBoolean();
    }

    /** Runs the reactor for a while (to show that nothing more arrives). */
    private void runFor(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            reactor.runOnce(20_000_000L);
        }
    }

    private static String finish(Process process) throws Exception {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    }

    private void receivesAllByteExact(String bind, String pythonFamily, String target) throws Exception {
        Collector protocol = new Collector();
        UdpPort port = listen(protocol, bind, UdpOptions.defaults().withReceiveBufferSize(1 << 20));
        Process sender = python("import socket\n" + PAYLOAD_PY
            + "s = socket.socket(socket." + pythonFamily + ", socket.SOCK_DGRAM)\n"
            + "for i in range(" + COUNT + "):\n    s.sendto(payload(i), ('" + target + "', " + port.getPort() + "))\n");
        assertThat(runUntil(() -> protocol.payloads.size() >= COUNT)).as(finish(sender)).isTrue();
        assertThat(sender.waitFor(5, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < COUNT; i++) {
            assertThat(protocol.payloads.get(i)).as("datagram %d", i).isEqualTo(datagram(i));
        }
        assertThat(protocol.completes).isEqualTo(port.counters().readBatches()).isLessThanOrEqualTo(COUNT);
        assertThat(port.counters().datagramsRead()).isEqualTo(COUNT);
    }

    @Test
    void ipv4DatagramsArriveByteExact() throws Exception {
        receivesAllByteExact("127.0.0.1", "AF_INET", "127.0.0.1");
    }

    @Test
    void ipv6DatagramsArriveByteExact() throws Exception {
        receivesAllByteExact("::1", "AF_INET6", "::1");
    }

    @Test
    void aDualStackPortReceivesIpv4AsIpv4() throws Exception {
        receivesAllByteExact("::", "AF_INET", "127.0.0.1");
        Collector protocol = (Collector) ports.get(0).protocol();
        assertThat(protocol.versions).containsOnly(4);
        assertThat(protocol.senders).containsOnly("127.0.0.1");
    }

    @Test
    void aBurstIsReadInBatchesWithOneReadCompleteEach() throws Exception {
        Collector protocol = new Collector();
        UdpPort port = listen(protocol, "127.0.0.1", UdpOptions.defaults().withReceiveBufferSize(1 << 20));
        Shell.Result sent = Shell.run(10, "python3", "-c", "import socket\n" + PAYLOAD_PY
            + "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
            + "for i in range(" + COUNT + "):\n    s.sendto(payload(i), ('127.0.0.1', " + port.getPort() + "))\n");
        assertThat(sent.ok()).as(sent.output()).isTrue();
        assertThat(runUntil(() -> protocol.payloads.size() >= COUNT)).isTrue();
        // All 200 were queued before the first read: 64 per recvmmsg.
        assertThat(protocol.completes).isEqualTo(4);
        assertThat(port.counters().readBatches()).isEqualTo(4);
    }

    @Test
    void echoRepliesReachThePeerByteExact() throws Exception {
        Collector protocol = new Collector();
        protocol.echo = true;
        UdpPort port = listen(protocol, "::", UdpOptions.defaults());
        Process client = python("import socket, sys\n" + PAYLOAD_PY
            + "s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)\ns.settimeout(5)\nok = 0\n"
            + "for i in range(50):\n    s.sendto(payload(i), ('::1', " + port.getPort() + "))\n"
            + "    data, _ = s.recvfrom(65536)\n    ok += data == payload(i)\nprint(ok)\n");
        assertThat(runUntil(() -> !client.isAlive())).isTrue();
        assertThat(finish(client)).isEqualTo("50");
        assertThat(port.counters().datagramsWritten()).isEqualTo(50);
    }

    @Test
    void aConnectedPortTalksToItsPeerAndHearsRefusal() throws Exception {
        Collector protocol = new Collector();
        UdpPort port = listen(protocol, "127.0.0.1", UdpOptions.defaults());
        UdpPort closed = listen(new Collector(), "127.0.0.1", UdpOptions.defaults());
        int deadPort = closed.getPort();
        closed.stopListening();
        reactor.runOnce(0);
        port.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), deadPort));
        port.write(ByteBuffer.wrap("anyone?".getBytes(StandardCharsets.US_ASCII)));
        assertThat(runUntil(() -> protocol.refused > 0)).isTrue();
    }

    @Test
    void anAddressInUseIsOneLineNamingSocketCallAndErrno() throws Exception {
        UdpPort first = listen(new Collector(), "127.0.0.1", UdpOptions.defaults());
        assertThatThrownBy(() -> UdpPort.listen(reactor, first.getPort(), new Collector(), "127.0.0.1"))
            .isInstanceOf(CannotListenException.class)
            .hasMessage("Couldn't listen on udp 127.0.0.1:" + first.getPort() + ": udp 127.0.0.1:" + first.getPort()
                + ": bind: EADDRINUSE (Address already in use): another socket is bound to this address and port");
    }

    @Test
    void aThousandOpenCloseCyclesLeakNoFd() throws Exception {
        UdpPort warm = UdpPort.listen(reactor, 0, new Collector(), "127.0.0.1");
        warm.stopListening();
        reactor.runOnce(0);
        long before = ProcFds.count();
        for (int i = 0; i < 1000; i++) {
            UdpPort port = UdpPort.listen(reactor, 0, new Collector(), i % 2 == 0 ? "127.0.0.1" : "::");
            port.stopListening();
            reactor.runOnce(0);
            assertThat(port.fileno()).isEqualTo(-1);
        }
        assertThat(ProcFds.count()).isEqualTo(before);
    }
    /** Segmented payload: 10 segments of 1000 bytes and a 300-byte tail, each segment's bytes distinct. */
    static byte[] segmented() {
        byte[] data = new byte[10 * 1000 + 300];
        for (int j = 0; j < data.length; j++) {
            data[j] = (byte) (j / 1000 * 17 + j);
        }
        return data;
    }

    private static final String SEGMENTED_PY = "def segmented():\n"
        + "    return bytes(((j // 1000 * 17 + j) & 0xFF) for j in range(10 * 1000 + 300))\n";

    /** A python receiver: prints its port, then one line per datagram ("length ok|bad") for 11 datagrams. */
    private static final String RECEIVER_PY = "import socket, sys\n" + SEGMENTED_PY
        + "r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\nr.bind(('127.0.0.1', 0))\n"
        + "print(r.getsockname()[1], flush=True)\nr.settimeout(5)\nwhole = segmented()\nat = 0\nout = []\n"
        + "for k in range(11):\n    d, _ = r.recvfrom(65536)\n"
        + "    out.append('%d %s' % (len(d), 'ok' if d == whole[at:at + len(d)] else 'bad'))\n    at += len(d)\n"
        + "print(' '.join(out))\n";

    private String sendSegmentsToPython(UdpPort port) throws Exception {
        Process receiver = python(RECEIVER_PY);
        java.io.BufferedReader lines = new java.io.BufferedReader(
            new java.io.InputStreamReader(receiver.getInputStream(), StandardCharsets.UTF_8));
        int peerPort = Integer.parseInt(lines.readLine().trim());
        port.writeSegments(ByteBuffer.wrap(segmented()), 1000,
            new InetSocketAddress(InetAddress.getByName("127.0.0.1"), peerPort));
        String result = lines.readLine();
        receiver.waitFor(5, TimeUnit.SECONDS);
        return result;
    }

    private static final String EXPECTED_SEGMENTS =
        "1000 ok 1000 ok 1000 ok 1000 ok 1000 ok 1000 ok 1000 ok 1000 ok 1000 ok 1000 ok 300 ok";

    @Test
    void gsoSendsOneSuperDatagramThatArrivesAsItsSegments() throws Exception {
        UdpPort port = listen(new Collector(), "127.0.0.1", UdpOptions.defaults().withGso(true));
        assertThat(port.gsoEnabled()).isTrue();
        assertThat(sendSegmentsToPython(port)).isEqualTo(EXPECTED_SEGMENTS);
        assertThat(port.counters().superDatagramsWritten()).isEqualTo(1);
        assertThat(port.counters().datagramsWritten()).isEqualTo(11);
    }

    @Test
    void withoutGsoTheSameSegmentsArriveSentOneByOne() throws Exception {
        UdpPort port = listen(new Collector(), "127.0.0.1", UdpOptions.defaults().withGso(false));
        assertThat(port.gsoEnabled()).isFalse();
        assertThat(sendSegmentsToPython(port)).isEqualTo(EXPECTED_SEGMENTS);
        assertThat(port.counters().superDatagramsWritten()).isZero();
        assertThat(port.counters().datagramsWritten()).isEqualTo(11);
        assertThat(port.counters().writeCalls()).isEqualTo(1);
    }

    /** Collects coalesced datagrams whole. */
    static final class WholeCollector extends Collector implements SegmentedDatagramReceiver {
        final List<String> sizes = new ArrayList<>();
        final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();

        @Override
        public void segmentsReceived(ByteBuffer payload, int segmentSize, IpPacket packet, int sourcePort) {
            byte[] data = new byte[payload.remaining()];
            payload.get(payload.position(), data);
            bytes.writeBytes(data);
            sizes.add(data.length + "/" + segmentSize);
        }
    }

    /** A python sender of 20 GSO sends of the segmented payload (10 x 1000 + 300) to a port. */
    private Process gsoSender(int port) throws IOException {
        return python("import socket\n" + SEGMENTED_PY
            + "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\ns.setsockopt(17, 103, 1000)\n"
            + "for i in range(20):\n    s.sendto(segmented(), ('127.0.0.1', " + port + "))\n");
    }

    private void assertSegmentsByteExact(List<byte[]> payloads) {
        byte[] whole = segmented();
        assertThat(payloads).hasSize(20 * 11);
        for (int k = 0; k < payloads.size(); k++) {
            int segment = k % 11;
            byte[] expected = java.util.Arrays.copyOfRange(whole, segment * 1000, Math.min(whole.length,
                (segment + 1) * 1000));
            assertThat(payloads.get(k)).as("datagram %d", k).isEqualTo(expected);
        }
    }

    @Test
    void groDatagramsAreSplitByteExactForAnOrdinaryProtocol() throws Exception {
        Collector protocol = new Collector();
        UdpPort port = listen(protocol, "127.0.0.1", UdpOptions.defaults().withGro(true)
            .withReceiveBufferSize(1 << 22));
        assertThat(port.groEnabled()).isTrue();
        Process sender = gsoSender(port.getPort());
        assertThat(runUntil(() -> protocol.payloads.size() >= 20 * 11)).as(finish(sender)).isTrue();
        assertSegmentsByteExact(protocol.payloads);
        assertThat(port.counters().superDatagramsRead()).isPositive();
    }

    @Test
    void groDatagramsComeWholeWithTheirSegmentSize() throws Exception {
        WholeCollector protocol = new WholeCollector();
        UdpPort port = listen(protocol, "127.0.0.1", UdpOptions.defaults().withGro(true)
            .withReceiveBufferSize(1 << 22));
        Process sender = gsoSender(port.getPort());
        assertThat(runUntil(() -> protocol.bytes.size() >= 20 * 10_300)).as(finish(sender)).isTrue();
        assertThat(protocol.sizes).contains("10300/1000");
        byte[] all = protocol.bytes.toByteArray();
        byte[] whole = segmented();
        for (int i = 0; i < 20; i++) {
            assertThat(java.util.Arrays.copyOfRange(all, i * whole.length, (i + 1) * whole.length)).isEqualTo(whole);
        }
    }

    @Test
    void withoutGroTheSameSendsArriveAsSeparateDatagrams() throws Exception {
        Collector protocol = new Collector();
        UdpPort port = listen(protocol, "127.0.0.1", UdpOptions.defaults().withGro(false)
            .withReceiveBufferSize(1 << 22));
        assertThat(port.groEnabled()).isFalse();
        Process sender = gsoSender(port.getPort());
        assertThat(runUntil(() -> protocol.payloads.size() >= 20 * 11)).as(finish(sender)).isTrue();
        assertSegmentsByteExact(protocol.payloads);
        assertThat(port.counters().superDatagramsRead()).isZero();
    }

    @Test
    void aMemberReceivesGroupDatagramsUntilItLeaves() throws Exception {
        Shell.check("ip", "link", "set", "lo", "multicast", "on");
        Shell.run("ip", "route", "replace", "239.0.0.0/8", "dev", "lo");
        Collector protocol = new Collector();
        UdpPort port = listen(protocol, "0.0.0.0", UdpOptions.defaults());
        InetAddress group = InetAddress.getByName("239.7.7.7");
        port.joinGroup(group, "lo");
        String send = "import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
            + "s.sendto(b'%s', ('239.7.7.7', " + port.getPort() + "))\n";
        assertThat(Shell.run(10, "python3", "-c", send.formatted("joined")).ok()).isTrue();
        assertThat(runUntil(() -> protocol.payloads.size() == 1)).isTrue();
        port.leaveGroup(group, "lo");
        assertThat(Shell.run(10, "python3", "-c", send.formatted("left")).ok()).isTrue();
        runFor(500);
        assertThat(protocol.payloads).extracting(b -> new String(b, StandardCharsets.US_ASCII))
            .containsExactly("joined");
    }

    @Test
    void multicastTtlAndLoopbackAreSetAndReadBack() throws Exception {
        UdpPort port = listen(new Collector(), "0.0.0.0", UdpOptions.defaults());
        port.setTTL(7);
        port.setLoopbackMode(false);
        assertThat(port.getTTL()).isEqualTo(7);
        assertThat(port.getLoopbackMode()).isFalse();
    }
    @Test
    void sendingAndReceivingThroughTheKernelAllocateNothingPerDatagram() throws Exception {
        long[] received = new long[1];
        long[] wrongSize = new long[1];
        DatagramProtocol counting = new DatagramProtocol() {
            @Override
            public void datagramReceived(ByteBuffer payload, IpPacket packet, int sourcePort) {
                received[0]++;
                wrongSize[0] += payload.remaining() == 64 ? 0 : 1;
            }
        };
        UdpPort receiver = listen(counting, "127.0.0.1", UdpOptions.defaults().withReceiveBufferSize(1 << 22));
        UdpPort sender = listen(new Collector(), "127.0.0.1", UdpOptions.defaults().withExplicitFlush(true));
        ByteBuffer payload = ByteBuffer.allocateDirect(64);
        com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        Runnable round = () -> {
            for (int i = 0; i < 64; i++) {
                sender.writeIpv4(payload, 0x7F00_0001, receiver.getPort());
            }
            sender.flush();
            long target = received[0] + 64;
            for (int spins = 0; received[0] < target && spins < 1_000_000; spins++) {
                try {
                    receiver.doRead();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
        // Warm-up: the FFM downcalls allocate until the JIT has compiled them (a few thousand calls).
        for (int i = 0; i < 12_000; i++) {
            round.run();
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        long start = received[0];
        for (int i = 0; i < 1000; i++) {
            round.run();
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(received[0] - start).isEqualTo(64_000);
        assertThat(wrongSize[0]).isZero();
        // Nothing per datagram: any object per datagram would be at least 16 bytes each. Depending on
        // what the JIT has inlined by then, the downcalls may still leave a few bytes per batch.
        assertThat(allocated).as("bytes allocated for 64,000 datagrams sent and received").isLessThan(64_000);
    }
}

package io.jpair.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jpair.ethernet.MacAddress;
import io.jpair.kernel.ChildNetns;
import io.jpair.kernel.KernelTest;
import io.jpair.kernel.Shell;
import io.jpair.reactor.EpollReactor;
import io.jpair.testing.Packets;
import io.jpair.testing.StackPackets;
import io.jpair.tuntap.TuntapPort;
import io.jpair.tuntap.TunnelOptions;
import io.jpair.tuntap.offload.OffloadOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The attacks of issue 15 replayed on real devices in the test run's private network namespace:
 * jpair hosts on TAP devices enslaved to one Linux bridge ({@code jbr0}, the kernel's own address
 * 10.79.0.1 on it), hostile frames written onto the bridge with an {@code AF_PACKET} socket
 * ({@link FrameInjector}), which floods them to the hosts. Each loop is bounded in count and time
 * (a few seconds); addresses are 10.79.x.y and fd00:79::/64, inside the namespace only.
 */
@KernelTest
class HostileTrafficKernelTest {
    private static final String BRIDGE = "jbr0";
    private static final MacAddress MAC_A = MacAddress.parse("02:00:00:79:00:0a");
    private static final MacAddress MAC_B = MacAddress.parse("02:00:00:79:00:0b");
    private static final byte[] ATTACKER = {0x02, 0, 0, 0x79, 0, 0x66};
    private static final long FLOOD_PPS = 10_000;
    private static final byte[] DATA = "hostile".getBytes();

    private EpollReactor reactor;
    private Thread loop;
    private final List<TuntapPort> ports = new ArrayList<>();

    private void start() {
        loop = new Thread(reactor::run, "jpair-reactor");
        loop.setDaemon(true);
        loop.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (reactor == null) {
            return;
        }
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        reactor.callFromThread(() -> {
            CompletableFuture<?>[] all = ports.stream().map(TuntapPort::stopListening)
                .map(s -> s.toCompletableFuture()).toArray(CompletableFuture[]::new);
            CompletableFuture.allOf(all).whenComplete((v, e) -> {
                reactor.stop();
                stopped.complete(null);
            });
        });
        stopped.get(5, TimeUnit.SECONDS);
        loop.join(5000);
        reactor.close();
        Shell.run("ip", "link", "del", BRIDGE);
    }

    /** The bridge, up, with the kernel's reference addresses on it. */
    private static void bridge() {
        Shell.ip("link", "add", BRIDGE, "type", "bridge");
        Shell.ip("addr", "add", "10.79.0.1/24", "dev", BRIDGE);
        Shell.ip("-6", "addr", "add", "fd00:79::1/64", "dev", BRIDGE, "nodad");
        Shell.ip("link", "set", BRIDGE, "up");
    }

    /** Enslaves a host's TAP device to the bridge and waits (up to 3 s) until the port forwards. */
    private static void enslave(String device) throws Exception {
        Shell.ip("link", "set", device, "master", BRIDGE);
        Shell.ip("link", "set", device, "up");
        // ip -d, not /sys: the namespace's sysfs is not mounted in the test JVM's mount namespace.
        String state = Shell.ip("-d", "link", "show", device);
        for (int i = 0; i < 300 && !state.contains("state forwarding"); i++) {
            Thread.sleep(10);
            state = Shell.ip("-d", "link", "show", device);
        }
        assertThat(state).as("%s forwarding in %s", device, BRIDGE).contains("bridge_slave state forwarding");
    }

    private IpHost tapHost(MacAddress mac, String device, String... addresses) throws Exception {
        IpHost host = IpHost.onTap(mac).udp(7, new IpHostTest.Echo());
        for (String address : addresses) {
            host.address(address);
        }
        ports.add(host.listen(device, reactor));
        return host;
    }

    /** One counter, read on the reactor thread. */
    private long counter(IpHost host, String name) throws Exception {
        return onReactor(() -> host.counters().getOrDefault(name, 0L));
    }

    private <T> T onReactor(Callable<T> read) throws Exception {
        CompletableFuture<T> value = new CompletableFuture<>();
        reactor.callFromThread(() -> {
            try {
                value.complete(read.call());
            } catch (Exception e) {
                value.completeExceptionally(e);
            }
        });
        return value.get(5, TimeUnit.SECONDS);
    }

    /** Polls (every 10 ms, up to 3 s) until the counter reaches at least {@code expected}. */
    private long awaitCounter(IpHost host, String name, long expected) throws Exception {
        long value = counter(host, name);
        for (int i = 0; i < 300 && value < expected; i++) {
            Thread.sleep(10);
            value = counter(host, name);
        }
        return value;
    }

    private static byte[] udpFrame(byte[] sourceMac, byte[] destinationMac, String source, int sourcePort,
            String destination, int destinationPort) {
        return Packets.ethernet(sourceMac, destinationMac, Packets.ETHERTYPE_IPV4,
            Packets.ipv4Udp(source, sourcePort, destination, destinationPort, DATA));
    }

    @Test
    void oneSpoofedDatagramBetweenTwoEchoHostsOnABridgeIsNotAnsweredAtAll() throws Exception {
        reactor = new EpollReactor();
        bridge();
        IpHost a = tapHost(MAC_A, "jla0", "10.79.0.10/24");
        IpHost b = tapHost(MAC_B, "jlb0", "10.79.0.11/24");
        start();
        enslave("jla0");
        enslave("jlb0");
        try (FrameInjector bridge = new FrameInjector(BRIDGE)) {
            // Control: an ordinary client port of A's is echoed once by B (B resolves A through the bridge).
            assertThat(bridge.send(udpFrame(MAC_A.bytes(), MAC_B.bytes(), "10.79.0.10", 4000, "10.79.0.11", 7))).isTrue();
            assertThat(awaitCounter(b, "udp.sent", 1)).as("B echoes an ordinary datagram").isEqualTo(1);
            long aReceived = awaitCounter(a, "udp.received", 1);
            assertThat(aReceived).as("the echo reached A over the bridge").isEqualTo(1);

            // The attack: A's echo port to B's echo port, source spoofed to be A.
            assertThat(bridge.send(udpFrame(MAC_A.bytes(), MAC_B.bytes(), "10.79.0.10", 7, "10.79.0.11", 7))).isTrue();
            assertThat(awaitCounter(b, "udp.received", 2)).isEqualTo(2);
            Thread.sleep(2000);
        }
        long bSent = counter(b, "udp.sent");
        long aSent = counter(a, "udp.sent");
        long bReceived = counter(b, "udp.received");
        System.out.printf("echo loop over 2 s: A sent %d, B sent %d, B received %d datagrams%n", aSent, bSent, bReceived);
        assertThat(bSent).as("B sent only the control's echo").isEqualTo(1);
        assertThat(aSent).as("A answered nothing").isZero();
        assertThat(bReceived).as("no datagram ping-ponged back to B").isEqualTo(2);
    }

    @Test
    void echoDatagramsToBroadcastAndMulticastAddressesGetNoReply() throws Exception {
        reactor = new EpollReactor();
        bridge();
        IpHost host = tapHost(MAC_A, "jla0", "10.79.0.2/24", "fd00:79::2/64");
        start();
        enslave("jla0");
        byte[] broadcast = {-1, -1, -1, -1, -1, -1};
        byte[] allHostsV4 = {0x01, 0x00, 0x5e, 0, 0, 1};
        byte[] allNodesV6 = {0x33, 0x33, 0, 0, 0, 1};
        byte[] kernel = MacAddress.parse(Shell.ip("link", "show", BRIDGE).replaceAll("(?s).*link/ether (\\S+).*", "$1")).bytes();
        try (FrameInjector bridge = new FrameInjector(BRIDGE)) {
            bridge.send(udpFrame(kernel, broadcast, "10.79.0.1", 4000, "255.255.255.255", 7));
            bridge.send(udpFrame(kernel, broadcast, "10.79.0.1", 4000, "10.79.0.255", 7));
            bridge.send(udpFrame(kernel, allHostsV4, "10.79.0.1", 4000, "224.0.0.1", 7));
            bridge.send(Packets.ethernet(kernel, allNodesV6, Packets.ETHERTYPE_IPV6,
                StackPackets.ipv6Udp("fd00:79::1", 4000, "ff02::1", 7, DATA)));
            // Control, last: the same datagram to the host's own address is echoed.
            bridge.send(udpFrame(kernel, MAC_A.bytes(), "10.79.0.1", 4000, "10.79.0.2", 7));
            assertThat(awaitCounter(host, "udp.sent", 1)).as("the unicast control is echoed").isEqualTo(1);
            Thread.sleep(500);
        }
        Map<String, Long> counters = onReactor(host::counters);
        System.out.println("fraggle: " + CounterReport.of(counters, "  "));
        long reached = counters.get("udp.received") + counters.entrySet().stream()
            .filter(e -> e.getKey().startsWith("ip.drop.") || e.getKey().startsWith("ethernet.drop."))
            .mapToLong(Map.Entry::getValue).sum();
        assertThat(reached).as("all five datagrams reached the host").isGreaterThanOrEqualTo(5);
        assertThat(counters.get("udp.sent")).as("only the unicast control was answered").isEqualTo(1);
    }

    @Test
    void aSpoofedSourcePingFloodDoesNotStarveTheKernelsPing() throws Exception {
        reactor = new EpollReactor();
        bridge();
        IpHost host = tapHost(MAC_A, "jla0", "10.79.0.2/24");
        start();
        enslave("jla0");
        assertThat(Shell.run(10, "ping", "-c", "1", "-W", "2", "-n", "10.79.0.2").exitCode()).as("warm-up").isZero();

        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicLong sent = new AtomicLong();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);  // the flood's own bound
        Thread flood = new Thread(() -> {
            try (FrameInjector bridge = new FrameInjector(BRIDGE)) {
                List<byte[]> frames = new ArrayList<>();
                // Fewer sources than the ARP cache holds (128): eviction of the pinger's entry is the
                // neighbour cache's attack (its own tests); this one measures the echo path alone.
                for (int i = 0; i < 100; i++) {
                    frames.add(Packets.ethernet(ATTACKER, MAC_A.bytes(), Packets.ETHERTYPE_IPV4, Packets.ipv4(
                        "10.79.0." + (100 + i), "10.79.0.2", Packets.PROTO_ICMP, StackPackets.icmpEcho(8, i, 1, DATA))));
                }
                ThreadLocalRandom random = ThreadLocalRandom.current();
                // Paced at FLOOD_PPS (bursts of 50 every 50/FLOOD_PPS s): far above any echo bucket,
                // within what the host processes on a shared 2-core CI machine, so a loss measures
                // starvation, not the machine's capacity.
                long burstNanos = TimeUnit.SECONDS.toNanos(50) / FLOOD_PPS;
                long next = System.nanoTime();
                while (flooding.get() && System.nanoTime() < deadline && sent.get() < 2_000_000) {
                    for (int i = 0; i < 50; i++) {
                        if (bridge.send(frames.get(random.nextInt(frames.size())))) {
                            sent.incrementAndGet();
                        }
                    }
                    next += burstNanos;
                    java.util.concurrent.locks.LockSupport.parkNanos(next - System.nanoTime());
                }
            }
        }, "spoofed-ping-flood");
        long requestsBefore = counter(host, "icmp.echoRequests");
        long start = System.nanoTime();
        flood.start();
        Thread.sleep(200);
        Shell.Result ping = Shell.run(15, "ping", "-c", "100", "-i", "0.01", "-W", "1", "-n", "10.79.0.2");
        flooding.set(false);
        flood.join(5000);
        double seconds = (System.nanoTime() - start) / 1e9;
        long requests = counter(host, "icmp.echoRequests") - requestsBefore;
        String summary = ping.output().strip().lines().filter(l -> l.contains("packet loss")).findFirst().orElse(ping.output());
        System.out.printf("spoofed ping flood: %d frames in %.1f s (%.0f pps), %d echo requests reached the host (the pinger's among them); "
            + "legitimate ping: %s%n", sent.get(), seconds, sent.get() / seconds, requests, summary);
        Map<String, Long> counters = onReactor(host::counters);
        System.out.println(CounterReport.of(counters, "  "));
        assertThat(requests).as("the flood reached the host").isGreaterThan(1000);
        assertThat(counters.get("icmp.echoReplies")).as("every echo request that reached the host was answered: "
            + "no bucket shared with the flood").isEqualTo(counters.get("icmp.echoRequests"));
        // Before the fix: 100 %. What remains is frames the kernel's TAP queue drops in the flood's
        // bursts when the CPUs are shared (sent minus reached, printed above), not the host's doing.
        int received = Integer.parseInt(summary.replaceAll(".*transmitted, (\\d+) received.*", "$1"));
        assertThat(received).as("the legitimate pinger's replies: %s", summary).isGreaterThanOrEqualTo(90);
    }

    /**
     * Writes GSO super-packets with gso_size 1 onto a TUN device through an {@code AF_PACKET} socket
     * with {@code PACKET_VNET_HDR}: a virtio header (NEEDS_CSUM; {@code GSO_UDP_L4} for argv[2]
     * "udp", {@code GSO_TCPV4} for "tcp"), then an IPv4/UDP or IPv4/TCP packet with argv[3] bytes of
     * data, for argv[4] seconds (at most argv[5] packets, paced at ~2,000 a second so the TUN's
     * queue does not overflow); prints how many the kernel took and why it refused the rest.
     */
    private static final String GSO_SIZE_1 = """
        import socket, struct, sys, time
        dev, proto, size, seconds, limit = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
        def fold(b):
            t = sum(struct.unpack('!%dH' % (len(b) // 2), b))
            while t >> 16:
                t = (t & 0xffff) + (t >> 16)
            return t
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
        s.setsockopt(263, 15, 1)  # SOL_PACKET, PACKET_VNET_HDR
        s.bind((dev, 0x0800))
        src, dst = socket.inet_aton('10.79.1.1'), socket.inet_aton('10.79.1.2')
        payload = bytes(size)
        number, header_length = (17, 8) if proto == 'udp' else (6, 20)
        length = header_length + size
        pseudo = fold(src + dst + struct.pack('!BBH', 0, number, length))
        if proto == 'udp':
            l4 = struct.pack('!HHHH', 5000, 9, length, pseudo)
            vnet = struct.pack('<BBHHHH', 1, 5, 28, 1, 20, 6)   # flags, gso_type UDP_L4, hdr_len, gso_size 1, csum_start/offset
        else:
            l4 = struct.pack('!HHIIBBHHH', 5000, 9, 1, 1, 0x50, 0x10, 65535, pseudo, 0)
            vnet = struct.pack('<BBHHHH', 1, 1, 40, 1, 20, 16)  # gso_type TCPV4
        ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + length, 1, 0x4000, 64, number, 0, src, dst)
        ip = ip[:10] + struct.pack('!H', ~fold(ip) & 0xffff) + ip[12:]
        sent, refused, end = 0, {}, time.monotonic() + seconds
        while time.monotonic() < end and sent + sum(refused.values()) < limit:
            try:
                s.send(vnet + ip + l4 + payload)
                sent += 1
            except OSError as e:
                refused[e.strerror] = refused.get(e.strerror, 0) + 1
            if (sent + sum(refused.values())) % 10 == 0:
                time.sleep(0.005)
        print('gso_size 1, %s, %d bytes: sent %d refused %s' % (proto, size, sent, refused))
        """;

    /** Skips without python3, except under CI=true (where .ci/run installs it and the test must run). */
    private static void assumePython3() {
        boolean present = Shell.run(5, "python3", "-c", "pass").exitCode() == 0;
        assumeTrue(present || "true".equals(System.getenv("CI")), "python3 is not installed");
    }

    private static long sent(Shell.Result injection) {
        assertThat(injection.exitCode()).as(injection.output()).isZero();
        return Long.parseLong(injection.output().replaceAll("(?s).*sent (\\d+) refused.*", "$1"));
    }

    /**
     * Finding 7's super-packet was UDP, 60 KB, gso_size 1: this kernel refuses it itself (EINVAL:
     * more than {@code UDP_MAX_SEGMENTS} segments), which is printed. It takes a UDP one of 100
     * bytes (100 segments) and a TCP one of 60 KB (60,000 segments): the port must drop those.
     */
    @Test
    void gsoSize1SuperPacketsAreDroppedAndCountedWhileTheHostKeepsAnsweringPing() throws Exception {
        assumePython3();
        reactor = new EpollReactor();
        IpHost host = IpHost.onTun().address("10.79.1.2/24");
        TuntapPort port = host.listen("jgso0", reactor, TunnelOptions.defaults(), OffloadOptions.enabled(), null);
        ports.add(port);
        start();
        Shell.ip("addr", "add", "10.79.1.1/24", "dev", "jgso0");
        Shell.ip("link", "set", "jgso0", "up");
        assertThat(Shell.run(10, "ping", "-c", "1", "-W", "2", "-n", "10.79.1.2").exitCode()).as("warm-up").isZero();

        Shell.Result udp60k = Shell.run(15, "python3", "-c", GSO_SIZE_1, "jgso0", "udp", "60000", "1", "10");
        Shell.Result udp100 = Shell.run(15, "python3", "-c", GSO_SIZE_1, "jgso0", "udp", "100", "1", "1000");
        CompletableFuture<Shell.Result> tcp = CompletableFuture.supplyAsync(
            () -> Shell.run(15, "python3", "-c", GSO_SIZE_1, "jgso0", "tcp", "60000", "2", "4000"));
        Shell.Result ping = Shell.run(15, "ping", "-c", "20", "-i", "0.05", "-W", "1", "-n", "10.79.1.2");
        Shell.Result tcp60k = tcp.get(20, TimeUnit.SECONDS);
        long expected = sent(udp100) + sent(tcp60k);
        long dropped = port.counters().droppedReads();
        for (int i = 0; i < 100 && dropped < expected; i++) {
            Thread.sleep(10);
            dropped = port.counters().droppedReads();
        }
        Map<String, Long> counters = onReactor(host::counters);
        String summary = ping.output().strip().lines().filter(l -> l.contains("packet loss")).findFirst().orElse(ping.output());
        String kernel = Shell.ip("-s", "link", "show", "jgso0");
        System.out.printf("%s%n%s%n%s%nport: %s; ping during the TCP injection: %s%nkernel's side:%n%s%n",
            udp60k.output().strip(), udp100.output().strip(), tcp60k.output().strip(), port.counters(), summary, kernel);
        assertThat(sent(udp100)).as("the kernel takes a 100-segment UDP super-packet").isPositive();
        assertThat(sent(tcp60k)).as("the kernel takes a 60,000-segment TCP super-packet").isPositive();
        assertThat(dropped).as("each super-packet was dropped and counted").isEqualTo(expected);
        assertThat(counters.get("udp.received")).as("no UDP segment reached the host").isZero();
        assertThat(port.counters().packetsRead()).as("reads beside the drops: the pings and the kernel's own few, "
            + "no segments (a split would give 100,000 from the UDP ones alone)").isLessThan(100);
        assertThat(ping.output()).as(ping.output()).contains("20 received");
    }

    @Test
    void arpRequestsFromImpossibleSendersAreNeitherAnsweredNorLearned() throws Exception {
        reactor = new EpollReactor();
        bridge();
        IpHost host = tapHost(MAC_A, "jla0", "10.79.0.2/24");
        start();
        enslave("jla0");
        byte[] broadcast = {-1, -1, -1, -1, -1, -1};
        try (FrameInjector bridge = new FrameInjector(BRIDGE)) {
            for (String sender : List.of("127.0.0.1", "255.255.255.255", "224.0.0.5")) {
                bridge.send(Packets.ethernet(ATTACKER, broadcast, Packets.ETHERTYPE_ARP,
                    StackPackets.arp(1, ATTACKER, sender, new byte[6], "10.79.0.2")));
            }
            bridge.send(Packets.ethernet(ATTACKER, broadcast, Packets.ETHERTYPE_ARP,
                StackPackets.arp(1, new byte[6], "10.79.0.77", new byte[6], "10.79.0.2")));
            // Control, last: an ordinary on-link sender is answered and learned.
            bridge.send(Packets.ethernet(ATTACKER, broadcast, Packets.ETHERTYPE_ARP,
                StackPackets.arp(1, ATTACKER, "10.79.0.66", new byte[6], "10.79.0.2")));
            assertThat(awaitCounter(host, "arp.requestsAnswered", 1)).as("the control is answered").isEqualTo(1);
        }
        Map<String, Long> counters = onReactor(host::counters);
        System.out.println("impossible ARP senders: " + CounterReport.of(counters, "  "));
        assertThat(counters.get("arp.received")).isEqualTo(5);
        assertThat(counters.get("arp.drop.BAD_SENDER") + counters.get("arp.drop.GROUP_SENDER"))
            .as("loopback, broadcast, multicast and all-zero-MAC senders dropped").isEqualTo(4);
        assertThat(counters.get("arp.cacheEntries")).as("only the control's sender learned").isEqualTo(1);
    }

    /**
     * The lax-parsing cases of finding 9, each an echo request with one odd header, sent with scapy
     * from 10.79.0.5 / fd00:79::5 (argv[1], a child namespace's veth on the bridge) to the kernel
     * (argv[2] MAC, 10.79.0.1 / fd00:79::1) and to the jpair host (argv[3] MAC, .2 / ::2). A sniffer
     * on the veth takes what comes back for 1.5 s; one line per case and target: "CASE|TARGET|RESULT",
     * RESULT being "echo reply", "silent" or the ICMP error's type/code.
     */
    private static final String LAX_PARSING = """
        import sys, time
        from scapy.all import *
        conf.verb = 0
        iface, kernel_mac, jpair_mac = sys.argv[1], sys.argv[2], sys.argv[3]
        def v4(dst, ident, options):
            ip = IP(src='10.79.0.5', dst=dst, ihl=5 + len(options) // 4, proto=1)
            raw = bytearray(bytes(ip)[:20] + options + bytes(ICMP(id=ident, seq=1) / b'lax'))
            raw[2:4] = len(raw).to_bytes(2, 'big')
            raw[10:12] = b'\\0\\0'
            raw[10:12] = checksum(bytes(raw[:len(raw) - 11])).to_bytes(2, 'big')
            return Raw(bytes(raw))
        def v6(dst, ident, extension):
            return IPv6(src='fd00:79::5', dst=dst) / extension / ICMPv6EchoRequest(id=ident, seq=1, data=b'lax')
        CASES = [
            ('v4 no options', lambda d, i: v4(d, i, b'')),
            ('v4 NOPs', lambda d, i: v4(d, i, b'\\x01\\x01\\x01\\x00')),
            ('v4 option length 0', lambda d, i: v4(d, i, b'\\x07\\x00\\x00\\x00')),
            ('v4 option length 1', lambda d, i: v4(d, i, b'\\x07\\x01\\x00\\x00')),
            ('v4 option overflowing', lambda d, i: v4(d, i, b'\\x07\\x28\\x04\\x00')),
            ('v4 LSRR', lambda d, i: v4(d, i, b'\\x83\\x07\\x04\\x0a\\x4f\\x00\\x09\\x00')),
            ('v6 no extension', lambda d, i: v6(d, i, IPv6ExtHdrDestOpt(options=[PadN(optdata=b'\\0\\0\\0\\0')]))),
            ('v6 RH0 segments left 1', lambda d, i: v6(d, i, IPv6ExtHdrRouting(type=0, segleft=1, addresses=['fd00:79::9']))),
            ('v6 destination option 0x80', lambda d, i: v6(d, i, IPv6ExtHdrDestOpt(options=[HBHOptUnknown(otype=0x80, optdata=b'\\0\\0\\0\\0')]))),
            ('v6 destination option 0xC0', lambda d, i: v6(d, i, IPv6ExtHdrDestOpt(options=[HBHOptUnknown(otype=0xC0, optdata=b'\\0\\0\\0\\0')]))),
        ]
        TARGETS = [('kernel', kernel_mac, '10.79.0.1', 'fd00:79::1'), ('jpair', jpair_mac, '10.79.0.2', 'fd00:79::2')]
        frames, names = [], {}
        for t, (target, mac, a4, a6) in enumerate(TARGETS):
            for c, (name, build) in enumerate(CASES):
                ident = 0x7900 + t * 64 + c
                names[ident] = (name, target)
                packet = build(a6 if name.startswith('v6') else a4, ident)
                frames.append(Ether(dst=mac, type=0x86DD if name.startswith('v6') else 0x0800) / packet)
        results = {}
        def seen(p):
            if ICMP in p:
                if p[ICMP].type == 0 and p[ICMP].id in names:
                    results[p[ICMP].id] = 'echo reply'
                elif p[ICMP].type in (3, 11, 12) and IPerror in p and ICMPerror in p and p[ICMPerror].id in names:
                    results.setdefault(p[ICMPerror].id, 'icmp %d/%d' % (p[ICMP].type, p[ICMP].code))
            elif ICMPv6EchoReply in p and p[ICMPv6EchoReply].id in names:
                results[p[ICMPv6EchoReply].id] = 'echo reply'
            elif IPv6 in p and p[IPv6].nh == 58 and p.haslayer(IPerror6):
                inner = p.getlayer(ICMPv6EchoRequest, 2) or p.getlayer(ICMPv6EchoRequest)
                error = p[IPv6].payload
                if inner is not None and inner.id in names:
                    results.setdefault(inner.id, 'icmpv6 %d/%d' % (error.type, error.code))
        sniffer = AsyncSniffer(iface=iface, prn=seen, store=False, filter='icmp or icmp6')
        sniffer.start()
        time.sleep(0.5)
        sendp(frames, iface=iface)
        time.sleep(1.5)
        sniffer.stop()
        for ident, (name, target) in names.items():
            print('%s|%s|%s' % (name, target, results.get(ident, 'silent')))
        """;

    @Test
    void laxParsingCasesAreDroppedWhereTheKernelDropsThemAndAnsweredWhereItAnswers() throws Exception {
        assumeTrue(Shell.run(10, "/usr/bin/python3", "-c", "import scapy.all").exitCode() == 0
            || "true".equals(System.getenv("CI")), "python3-scapy is not installed");
        reactor = new EpollReactor();
        bridge();
        tapHost(MAC_A, "jla0", "10.79.0.2/24", "fd00:79::2/64");
        start();
        enslave("jla0");
        try (ChildNetns peer = ChildNetns.start()) {
            Shell.ip("link", "add", "jva0", "type", "veth", "peer", "name", "jvb0");
            Shell.ip("link", "set", "jvb0", "netns", peer.path().toString());
            peer.check("ip", "addr", "add", "10.79.0.5/24", "dev", "jvb0");
            peer.check("ip", "-6", "addr", "add", "fd00:79::5/64", "dev", "jvb0", "nodad");
            peer.check("ip", "link", "set", "jvb0", "up");
            enslave("jva0");  // after its peer is up: a port without carrier never forwards
            for (String target : List.of("10.79.0.1", "10.79.0.2", "fd00:79::1", "fd00:79::2")) {
                assertThat(peer.run("ping", "-c", "1", "-W", "3", "-n", target).exitCode())
                    .as("%s answers a plain ping from the peer", target).isZero();
            }
            String kernelMac = Shell.ip("link", "show", BRIDGE).replaceAll("(?s).*link/ether (\\S+).*", "$1");
            Shell.Result run = Shell.run(30, "nsenter", "--net=" + peer.path(), "--", "/usr/bin/python3", "-c", LAX_PARSING,
                "jvb0", kernelMac, MAC_A.toString());
            System.out.println("lax parsing, kernel (the reference) and jpair:\n" + run.output().strip());
            assertThat(run.exitCode()).as(run.output()).isZero();
            Map<String, String> kernel = new java.util.TreeMap<>();
            Map<String, String> jpair = new java.util.TreeMap<>();
            for (String line : run.output().strip().lines().filter(l -> l.split("\\|").length == 3).toList()) {
                String[] f = line.split("\\|");
                (f[1].equals("kernel") ? kernel : jpair).put(f[0], f[2]);
            }
            assertThat(kernel).hasSize(10).containsEntry("v4 no options", "echo reply").containsEntry("v6 no extension", "echo reply");
            Map<String, Boolean> kernelAnswers = new java.util.TreeMap<>();
            Map<String, Boolean> jpairAnswers = new java.util.TreeMap<>();
            kernel.forEach((name, result) -> kernelAnswers.put(name, result.equals("echo reply")));
            jpair.forEach((name, result) -> jpairAnswers.put(name, result.equals("echo reply")));
            assertThat(jpairAnswers).as("echo replied by jpair exactly where the kernel replies").isEqualTo(kernelAnswers);
        } finally {
            Shell.run("ip", "link", "del", "jva0");
        }
    }
}

package io.jpair.cli;

import io.jpair.reactor.EpollReactor;
import io.jpair.netlink.LinkAddress;
import io.jpair.tuntap.offload.OffloadOptions;
import io.jpair.tuntap.TunnelOptions;
import io.jpair.tuntap.TuntapPort;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The inner half of {@code jpair demo}, running in the private network namespace that
 * {@link DemoNamespace} made: starts a jpair host on a TUN and on a TAP device, drives the
 * kernel's own traffic at them (the {@code ping} binary, kernel UDP and TCP sockets, {@code curl},
 * the kernel's ARP), and reports each check. Both hosts have an IPv4 and an IPv6 address, echo UDP
 * and TCP on port 7 and answer HTTP on port 80.
 *
 * <p>Threads: the reactor runs on its own thread; this (main) thread configures the kernel side
 * and runs the checks, reading the ports' counters (which are safe to read from any thread).
 */
final class DemoRun {
    static final String TUN_NAME = "jpdemo-tun0";
    static final String TAP_NAME = "jpdemo-tap0";
    static final int ECHO_PORT = 7;
    /** A port no demo host listens on (traceroute's first UDP port). */
    static final int CLOSED_PORT = 33434;
    /** Data bytes of the large pings: three fragments each way on a 1500-byte link. */
    static final int LARGE_PING = 3000;
    static final int HTTP_PORT = 80;
    static final String TAP_MAC = "02:6a:70:00:00:02";

    private final int count;
    private final boolean live;
    private final PrintWriter out;
    private final DemoReport report;
    private final List<TuntapPort> ports = new ArrayList<>();
    private final List<HostStack> stacks = new ArrayList<>();
    private volatile boolean aborted;
    private volatile Probe probe;
    private TuntapPort current;
    private EpollReactor reactor;

    DemoRun(int count, boolean live, PrintWriter out) {
        this.count = count;
        this.live = live;
        this.out = out;
        this.report = new DemoReport(out);
    }

    /**
     * Runs the demo.
     *
     * @return 0 when every check passed, else 1
     * @throws Exception when the demo cannot set itself up
     */
    int run() throws Exception {
        String parent = System.getenv(DemoNamespace.PARENT_NETNS_ENV);
        String own = ProcessIdentity.networkNamespace();
        if (parent == null || own == null || parent.equals(own)) {
            throw new CommandException("refusing to run the demo's checks outside a network namespace of their own"
                + " (this is " + own + "): run 'jpair demo' without --in-namespace");
        }
        long started = System.nanoTime();
        try (DeviceSetup setup = new DeviceSetup()) {
            setup.up("lo");
        }
        report.line("jpair demo: jpair hosts on a TUN and a TAP device, driven by this kernel's ping, UDP, TCP, curl and ARP");
        report.line("  in a private network namespace (" + own + ") that disappears when the demo exits");
        ProcessHandle.current().parent().ifPresent(outer -> outer.onExit().thenRun(this::abort));
        try (SignalStop signals = new SignalStop(this::abort)) {
            return runChecks(signals, started);
        }
    }

    private int runChecks(SignalStop signals, long started) throws Exception {
        try (DeviceSetup setup = new DeviceSetup(); EpollReactor loop = new EpollReactor()) {
            reactor = loop;
            TuntapPort tun = start(TUN_NAME, false, Plan.TUN_HOST, Plan.TUN_HOST6);
            TuntapPort tap = start(TAP_NAME, true, Plan.TAP_HOST, Plan.TAP_HOST6);
            configure(setup, tun.interfaceName(), Plan.TUN_KERNEL, Plan.TUN_KERNEL6);
            configure(setup, tap.interfaceName(), Plan.TAP_KERNEL, Plan.TAP_KERNEL6);
            Thread reactorThread = Thread.ofPlatform().name("jpair-reactor").start(loop::run);
            try {
                report.line("");
                current = tun;
                report.line("TUN " + tun.interfaceName() + ": kernel " + cidr(Plan.TUN_KERNEL) + " "
                    + cidr(Plan.TUN_KERNEL6)                    + ", jpair host " + text(Plan.TUN_HOST) + " " + text(Plan.TUN_HOST6)
                    + " (IP packets, no link layer)");
                pingCheck(Plan.TUN_HOST, "ICMP echo");
                pingCheck(Plan.TUN_HOST6, "ICMPv6 echo");
                largePingCheck(Plan.TUN_HOST);
                largePingCheck(Plan.TUN_HOST6);
                udpCheck(Plan.TUN_KERNEL, Plan.TUN_HOST);
                refusalCheck(Plan.TUN_KERNEL, Plan.TUN_HOST);
                refusalCheck(Plan.TUN_KERNEL6, Plan.TUN_HOST6);
                tcpEchoCheck(Plan.TUN_KERNEL, Plan.TUN_HOST);
                httpCheck(Plan.TUN_HOST);
                counters(tun, stacks.get(0), "packets");
                current = tap;
                report.line("TAP " + tap.interfaceName() + ": kernel " + cidr(Plan.TAP_KERNEL) + " "
                    + cidr(Plan.TAP_KERNEL6)                    + ", jpair host " + text(Plan.TAP_HOST) + " " + text(Plan.TAP_HOST6) + " at "
                    + TAP_MAC + " (Ethernet frames)");
                pingCheck(Plan.TAP_HOST, "ICMP echo");
                arpCheck(Plan.TAP_HOST.address(), tap.interfaceName());
                pingCheck(Plan.TAP_HOST6, "ICMPv6 echo, ND");
                largePingCheck(Plan.TAP_HOST);
                udpCheck(Plan.TAP_KERNEL, Plan.TAP_HOST);
                udpCheck(Plan.TAP_KERNEL6, Plan.TAP_HOST6);
                refusalCheck(Plan.TAP_KERNEL, Plan.TAP_HOST);
                tcpEchoCheck(Plan.TAP_KERNEL, Plan.TAP_HOST);
                httpCheck(Plan.TAP_HOST);
                httpCheck(Plan.TAP_HOST6);
                counters(tap, stacks.get(1), "frames");
                if (aborted) {
                    report.line(signals.signalled() ? "interrupted: stopped early" : "stopped early: jpair demo ended");
                }
            } finally {
                shutDown(reactorThread);
            }
        }
        report.line("");
        int code = report.finish(System.nanoTime() - started);
        out.flush();
        return aborted && code == 0 ? 1 : code;
    }

    private TuntapPort start(String name, boolean tap, LinkAddress ipv4, LinkAddress ipv6) throws IOException {
        HostStack stack = HostStack.create(tap, tap ? TAP_MAC : null, List.of(ipv4, ipv6), List.of(ECHO_PORT),
            Map.of(ECHO_PORT, TcpService.ECHO, HTTP_PORT, TcpService.HTTP));
        TuntapPort port = stack.listen(name, TunnelOptions.defaults().withExclusive(true), OffloadOptions.disabled(), reactor);
        ports.add(port);
        stacks.add(stack);
        return port;
    }

    private static void configure(DeviceSetup setup, String device, LinkAddress ipv4, LinkAddress ipv6)
            throws IOException {
        setup.addAddress(device, ipv4.address(), ipv4.prefixLength());
        setup.addAddress(device, ipv6.address(), ipv6.prefixLength());
        setup.up(device);
    }

    /**
     * The demo's addresses. A holder class: they are made only after {@code lo} is up, because the
     * JDK decides once, when {@code InetAddress} is first used, whether IPv6 is available, and it
     * is not in a namespace whose {@code lo} is still down.
     */
    private static final class Plan {
        static final LinkAddress TUN_KERNEL = LinkAddress.parse("10.77.1.1/24");
        static final LinkAddress TUN_HOST = LinkAddress.parse("10.77.1.2/24");
        static final LinkAddress TUN_KERNEL6 = LinkAddress.parse("fd00:77:1::1/64");
        static final LinkAddress TUN_HOST6 = LinkAddress.parse("fd00:77:1::2/64");
        static final LinkAddress TAP_KERNEL = LinkAddress.parse("10.77.2.1/24");
        static final LinkAddress TAP_HOST = LinkAddress.parse("10.77.2.2/24");
        static final LinkAddress TAP_KERNEL6 = LinkAddress.parse("fd00:77:2::1/64");
        static final LinkAddress TAP_HOST6 = LinkAddress.parse("fd00:77:2::2/64");
    }

    private static String cidr(LinkAddress address) {
        return text(address) + "/" + address.prefixLength();
    }

    private static String text(LinkAddress address) {
        return PacketSummary.format(address.address().getAddress());
    }

    /** While a check runs on a terminal: the current port's counters, live. */
    private AutoCloseable liveCounters(String check) {
        TuntapPort port = current;
        return LiveLine.start(live, out, () -> "  ....  " + check + ": jpair " + port.interfaceName() + " in "
            + port.counters().packetsRead() + ", out " + port.counters().packetsWritten());
    }

    /** One probe's work, given the probe. */
    @FunctionalInterface
    private interface ProbeRun<P extends Probe, R> {
        R run(P probe) throws Exception;
    }

    /**
     * Runs one check's probe with the live counter line: {@code null} when the demo was stopped
     * before the probe was made or while it was being made (a stop reaches {@link #probe}).
     */
    private <P extends Probe, R> R runProbe(Supplier<P> make, String check, ProbeRun<P, R> run) throws Exception {
        if (aborted) {
            return null;
        }
        P made = make.get();
        probe = made;
        if (aborted) {
            return null;
        }
        AutoCloseable line = liveCounters(check);
        try {
            return run.run(made);
        } finally {
            closeQuietly(line);
        }
    }

    /** The host part of a service address: IPv6 in brackets. */
    private static String bracketed(LinkAddress target) {
        return target.address().getAddress().length == 16 ? "[" + text(target) + "]" : text(target);
    }

    private void pingCheck(LinkAddress target, String what) throws Exception {
        RoundTrips result = runProbe(Ping::new, "ping " + text(target), ping -> ping.run(target.address(), count));
        if (result != null) {
            report.check("ping " + text(target) + " (" + what + ")", result.complete(), result.summary());
        }
    }

    /** {@code ping -s 3000}: the request is reassembled by the host, its reply fragmented. */
    private void largePingCheck(LinkAddress target) throws Exception {
        String check = "ping -s " + LARGE_PING + " " + text(target);
        RoundTrips result = runProbe(Ping::new, check, ping -> ping.run(target.address(), count, LARGE_PING));
        if (result != null) {
            report.check(check + " (fragments both ways)", result.complete(), result.summary());
        }
    }

    /** UDP to a closed port: the kernel socket sees ECONNREFUSED from the host's port unreachable. */
    private void refusalCheck(LinkAddress kernelSide, LinkAddress target) throws Exception {
        RoundTrips result = runProbe(RefusalProbe::new, "UDP to closed port " + text(target),
            refusal -> refusal.run(kernelSide.address(), target.address(), CLOSED_PORT, count));
        if (result != null) {
            report.check("UDP " + bracketed(target) + ":" + CLOSED_PORT + " refused (ICMP port unreachable)",
                result.complete(), result.summary());
        }
    }

    private void udpCheck(LinkAddress kernelSide, LinkAddress target) throws Exception {
        RoundTrips result = runProbe(UdpProbe::new, "UDP echo " + text(target),
            udp -> udp.run(kernelSide.address(), target.address(), ECHO_PORT, count));
        if (result != null) {
            report.check("UDP echo " + bracketed(target) + ":" + ECHO_PORT, result.complete(), result.summary());
        }
    }

    private void tcpEchoCheck(LinkAddress kernelSide, LinkAddress target) throws Exception {
        RoundTrips result = runProbe(TcpEchoProbe::new, "TCP echo " + text(target),
            tcp -> tcp.run(kernelSide.address(), target.address(), ECHO_PORT, count));
        if (result != null) {
            report.check("TCP echo " + bracketed(target) + ":" + ECHO_PORT, result.complete(), result.summary()
                + (result.complete() ? ", then closed after the client's FIN" : ""));
        }
    }

    private void httpCheck(LinkAddress target) throws Exception {
        CurlProbe.Result result = runProbe(CurlProbe::new, "curl " + text(target),
            curl -> curl.run(target.address(), HTTP_PORT));
        if (result != null) {
            report.check("curl http://" + bracketed(target) + "/", result.ok(), result.detail());
        }
    }

    private static void closeQuietly(AutoCloseable line) {
        try {
            line.close();
        } catch (Exception e) {
            // the live line only redraws a counter
        }
    }

    private void arpCheck(InetAddress host, String device) {
        if (aborted) {
            return;
        }
        String ip = host.getHostAddress();
        try {
            String mac = ArpTable.resolved(ip, device);
            boolean ok = TAP_MAC.equalsIgnoreCase(mac);
            report.check("ARP " + ip, ok, mac == null ? "the kernel has no complete ARP entry for " + ip
                : "the kernel resolved " + ip + " to " + mac + (ok ? " (jpair's MAC)" : ", expected " + TAP_MAC));
        } catch (IOException e) {
            report.check("ARP " + ip, false, "cannot read /proc/net/arp: " + e.getMessage());
        }
    }

    private void counters(TuntapPort port, HostStack stack, String unit) {
        // Read on the reactor thread: the stack's counters are plain fields owned by it.
        CompletableFuture<String[]> lines = new CompletableFuture<>();
        reactor.callFromThread(() -> lines.complete(new String[] {
            "jpair counters: " + port.counters().packetsRead() + " " + unit + " in (" + port.counters().bytesRead() + " B), "
                + port.counters().packetsWritten() + " out (" + port.counters().bytesWritten() + " B), " + port.counters().droppedWrites()
                + " write drops, " + port.counters().protocolErrors() + " protocol errors",
            "jpair stack: " + stack.counters()}));
        try {
            for (String line : lines.get(2, TimeUnit.SECONDS)) {
                report.note(line);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            report.note("jpair counters: not available (" + e + ")");
        }
    }

    /**
     * Stops the reactor thread, then (owning the reactor from here on) stops the ports and turns
     * the reactor until their devices are closed. The namespace takes anything left with it.
     */
    private void shutDown(Thread reactorThread) throws InterruptedException {
        reactor.stop();
        reactorThread.join(TimeUnit.SECONDS.toMillis(3));
        if (reactorThread.isAlive()) {
            return;
        }
        for (TuntapPort port : ports) {
            if (port.isConnected()) {
                port.stopListening();
            }
        }
        for (int i = 0; i < 3; i++) {
            reactor.runOnce(0);
        }
    }

    private void abort() {
        aborted = true;
        Probe running = probe;
        if (running != null) {
            running.cancel();
        }
        EpollReactor loop = reactor;
        if (loop != null) {
            loop.stop();
        }
    }
}

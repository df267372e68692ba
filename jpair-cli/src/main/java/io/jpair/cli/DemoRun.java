package io.jpair.cli;

import io.jpair.reactor.EpollReactor;
import io.jpair.transport.PacketProtocol;
import io.jpair.tuntap.TunnelOptions;
import io.jpair.tuntap.TuntapPort;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The inner half of {@code jpair demo}, running in the private network namespace that
 * {@link DemoNamespace} made: starts a jpair host on a TUN and on a TAP device, drives the
 * kernel's own traffic at them (the {@code ping} binary, a kernel UDP socket, the kernel's ARP),
 * and reports each check.
 *
 * <p>Threads: the reactor runs on its own thread; this (main) thread configures the kernel side
 * and runs the checks, reading the ports' counters (which are safe to read from any thread).
 */
final class DemoRun {
    static final String TUN_NAME = "jpdemo-tun0";
    static final String TAP_NAME = "jpdemo-tap0";
    static final int PREFIX = 24;
    static final int ECHO_PORT = 7;
    static final String TAP_MAC = "02:6a:70:00:00:02";

    private final int count;
    private final PrintWriter out;
    private final DemoReport report;
    private final List<TuntapPort> ports = new ArrayList<>();
    private volatile boolean aborted;
    private volatile Probe probe;
    private EpollReactor reactor;

    DemoRun(int count, PrintWriter out) {
        this.count = count;
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
        report.line("jpair demo: jpair hosts on a TUN and a TAP device, driven by this kernel's ping, UDP and ARP");
        report.line("  in a private network namespace (" + own + ") that disappears when the demo exits");
        ProcessHandle.current().parent().ifPresent(outer -> outer.onExit().thenRun(this::abort));
        try (SignalStop signals = new SignalStop(this::abort)) {
            return runChecks(signals, started);
        }
    }

    private int runChecks(SignalStop signals, long started) throws Exception {
        try (DeviceSetup setup = new DeviceSetup(); EpollReactor loop = new EpollReactor()) {
            reactor = loop;
            setup.up("lo");
            InetAddress tunKernel = InetAddress.getByName("10.77.1.1");
            InetAddress tunHost = InetAddress.getByName("10.77.1.2");
            InetAddress tapKernel = InetAddress.getByName("10.77.2.1");
            InetAddress tapHost = InetAddress.getByName("10.77.2.2");
            TuntapPort tun = start(TUN_NAME, hostProtocol(false, tunHost));
            TuntapPort tap = start(TAP_NAME, hostProtocol(true, tapHost));
            configure(setup, tun.interfaceName(), tunKernel);
            configure(setup, tap.interfaceName(), tapKernel);
            Thread reactorThread = Thread.ofPlatform().name("jpair-reactor").start(loop::run);
            try {
                report.line("");
                report.line("TUN " + tun.interfaceName() + ": kernel " + tunKernel.getHostAddress() + "/" + PREFIX
                    + ", jpair host " + tunHost.getHostAddress() + " (IP packets, no link layer)");
                pingCheck(tunHost);
                udpCheck(tunKernel, tunHost);
                counters(tun, "packets");
                report.line("TAP " + tap.interfaceName() + ": kernel " + tapKernel.getHostAddress() + "/" + PREFIX
                    + ", jpair host " + tapHost.getHostAddress() + " at " + TAP_MAC + " (Ethernet frames)");
                pingCheck(tapHost);
                arpCheck(tapHost, tap.interfaceName());
                udpCheck(tapKernel, tapHost);
                counters(tap, "frames");
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

    private TuntapPort start(String name, PacketProtocol protocol) throws IOException {
        TuntapPort port = new TuntapPort(name, protocol, TunnelOptions.defaults().withExclusive(true), reactor, null);
        port.startListening();
        ports.add(port);
        return port;
    }

    private static void configure(DeviceSetup setup, String device, InetAddress kernel) throws IOException {
        setup.addAddress(device, kernel, PREFIX);
        setup.up(device);
    }

    // TEMPORARY: replaced by the io.jpair.host stack once it is merged.
    private static PacketProtocol hostProtocol(boolean tap, InetAddress address) {
        PacketRecorder ignore = new PacketRecorder(null, new PrintWriter(PrintWriter.nullWriter()), tap, Long.MAX_VALUE,
            () -> { });
        return tap ? new TapCaptureProtocol(ignore) : new TunCaptureProtocol(ignore);
    }

    private void pingCheck(InetAddress host) {
        if (aborted) {
            return;
        }
        Ping ping = new Ping();
        probe = ping;
        if (aborted) {
            return;
        }
        RoundTrips result = ping.run(host, count);
        report.check("ping " + host.getHostAddress() + " (ICMP echo)", result.complete(), result.summary());
    }

    private void udpCheck(InetAddress kernel, InetAddress host) {
        if (aborted) {
            return;
        }
        UdpProbe udp = new UdpProbe();
        probe = udp;
        if (aborted) {
            return;
        }
        RoundTrips result = udp.run(kernel, host, ECHO_PORT, count);
        report.check("UDP echo " + host.getHostAddress() + ":" + ECHO_PORT, result.complete(), result.summary());
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

    private void counters(TuntapPort port, String unit) {
        report.note("jpair counters: " + port.packetsReceived() + " " + unit + " in (" + port.bytesReceived()
            + " B), " + port.packetsWritten() + " out (" + port.bytesWritten() + " B), " + port.droppedWrites()
            + " dropped, " + port.protocolErrors() + " protocol errors");
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

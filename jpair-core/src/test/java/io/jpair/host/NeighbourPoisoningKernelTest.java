package io.jpair.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.ethernet.MacAddress;
import io.jpair.kernel.KernelTest;
import io.jpair.kernel.Shell;
import io.jpair.neighbour.NeighbourTable;
import io.jpair.reactor.EpollReactor;
import io.jpair.tuntap.TuntapPort;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cache-poisoning attacks of issue 15 against a jpair host on a real TAP device while the
 * kernel pings it: forged frames are injected with scapy on the TAP's kernel side (so jpair reads
 * them), inside the test run's private namespace. Bounded: one ping of 5 to 6 s and a few hundred forged
 * frames per test. Needs {@code /usr/bin/python3} with scapy (Debian's {@code python3-scapy};
 * .ci/run installs it); without it the tests skip, except under {@code CI=true}, where they fail.
 */
@KernelTest
class NeighbourPoisoningKernelTest {
    private static final MacAddress MAC = MacAddress.parse("02:00:00:77:00:02");
    private static final String FORGED = "02:00:00:66:66:66";
    private static final String PYTHON = "/usr/bin/python3";

    private EpollReactor reactor;
    private Thread loop;
    private TuntapPort port;
    private IpHost host;

    @BeforeEach
    void needScapy() {
        Shell.Result probe = Shell.run(30, PYTHON, "-c", "import scapy.all");
        if (!probe.ok() && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("scapy is required under CI=true (apt-get install python3-scapy): "
                + probe.output());
        }
        Assumptions.assumeTrue(probe.ok(), "scapy is missing (apt-get install python3-scapy): " + probe.output());
    }

    private void run(IpHost ipHost, String device, String kernelAddress) throws Exception {
        host = ipHost;
        reactor = new EpollReactor();
        port = host.listen(device, reactor);
        loop = new Thread(reactor::run, "jpair-reactor");
        loop.setDaemon(true);
        loop.start();
        if (kernelAddress.contains(":")) {
            Shell.ip("-6", "addr", "add", kernelAddress, "dev", device, "nodad");
        } else {
            Shell.ip("addr", "add", kernelAddress, "dev", device);
        }
        Shell.ip("link", "set", device, "up");
    }

    @AfterEach
    void stop() throws Exception {
        if (reactor == null) {
            return;
        }
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        reactor.callFromThread(() -> port.stopListening().whenComplete((v, e) -> {
            reactor.stop();
            stopped.complete(null);
        }));
        stopped.get(5, TimeUnit.SECONDS);
        loop.join(5000);
        reactor.close();
    }

    /** Pings 50 times 0.1 s apart while {@code attack} (a scapy program) runs after the first second. */
    private Shell.Result pingDuring(String device, String target, String attack) throws Exception {
        return pingDuring(device, target, 50, "0.1", attack);
    }

    /** Pings {@code count} times while {@code attack} (a scapy program) runs after the first second. */
    private Shell.Result pingDuring(String device, String target, int count, String interval, String attack)
            throws Exception {
        // The kernel resolves us first, so we know its MAC (learned from its request) before the attack.
        assertThat(Shell.run(10, "ping", "-c", "1", "-W", "2", "-n", target).ok()).isTrue();
        CompletableFuture<Shell.Result> ping = CompletableFuture.supplyAsync(() -> Shell.run(20,
            "ping", target.contains(":") ? "-6" : "-4", "-c", String.valueOf(count), "-i", interval, "-W", "1", "-n", target));
        Thread.sleep(1000);
        String program = "from scapy.all import *\nimport time\nconf.verb = 0\niface = '" + device + "'\n"
            + "F = '" + FORGED + "'\n" + attack;
        Shell.Result injected = Shell.run(30, PYTHON, "-c", program);
        assertThat(injected.ok()).as(injected.output()).isTrue();
        Shell.Result result = ping.get(30, TimeUnit.SECONDS);
        System.out.println("NeighbourPoisoningKernelTest: "
            + result.output().strip().lines().filter(l -> l.contains("packet loss")).findFirst().orElse(""));
        return result;
    }

    private long onReactor(java.util.function.LongSupplier read) throws Exception {
        CompletableFuture<Long> value = new CompletableFuture<>();
        reactor.callFromThread(() -> value.complete(read.getAsLong()));
        return value.get(5, TimeUnit.SECONDS);
    }

    /** The kernel side's MAC, from {@code ip link} (sysfs is the outer namespace's under {@code unshare --net}). */
    private static long kernelMac(String device) {
        String line = Shell.ip("-o", "link", "show", device);
        String[] words = line.split("\\s+");
        for (int i = 0; i < words.length - 1; i++) {
            if (words[i].equals("link/ether")) {
                return MacAddress.parse(words[i + 1]).value();
            }
        }
        throw new AssertionError("no link/ether in: " + line);
    }

    @Test
    void twoForgedArpRequestsFiftyMillisecondsApartCostTheKernelsPingNothing() throws Exception {
        run(IpHost.onTap(MAC).address("10.77.1.2/24"), "jtap0", "10.77.1.1/24");
        // 0.5 s apart, so that no ping lands between the two forged requests (its re-resolution would hide the race).
        Shell.Result ping = pingDuring("jtap0", "10.77.1.2", 12, "0.5", """
            f = Ether(src=F, dst='ff:ff:ff:ff:ff:ff')/ARP(op=1, hwsrc=F, psrc='10.77.1.1', pdst='10.77.1.2')
            sendp(f, iface=iface)
            time.sleep(0.05)
            sendp(f, iface=iface)
            """);
        assertThat(ping.output()).as(ping.output()).contains("12 packets transmitted, 12 received", " 0% packet loss");
        long key = NeighbourTable.ipv4Key(0x0A4D0101);
        assertThat(onReactor(() -> host.arp().table().lookup(0, key, reactor.nanoTime()))).isEqualTo(kernelMac("jtap0"));
        assertThat(onReactor(() -> host.arp().conflicts())).isEqualTo(2);
        assertThat(onReactor(() -> host.arp().probesSent())).isPositive();
    }

    @Test
    void twoHundredArpRequestsFromRandomSendersThenAForgedOneCostTheKernelsPingNothing() throws Exception {
        run(IpHost.onTap(MAC).address("10.77.1.2/16"), "jtap0", "10.77.1.1/16");
        Shell.Result ping = pingDuring("jtap0", "10.77.1.2", """
            frames = []
            for i in range(200):
                m = '02:00:00:55:%02x:%02x' % (i >> 8, i & 0xff)
                frames.append(Ether(src=m, dst='ff:ff:ff:ff:ff:ff')/ARP(op=1, hwsrc=m, psrc='10.77.%d.%d' % (2 + i // 250, 1 + i % 250), pdst='10.77.1.2'))
            sendp(frames, iface=iface)
            sendp(Ether(src=F, dst='ff:ff:ff:ff:ff:ff')/ARP(op=1, hwsrc=F, psrc='10.77.1.1', pdst='10.77.1.2'), iface=iface)
            """);
        assertThat(ping.output()).as(ping.output()).contains("50 packets transmitted, 50 received", " 0% packet loss");
        long key = NeighbourTable.ipv4Key(0x0A4D0101);
        assertThat(onReactor(() -> host.arp().table().lookup(0, key, reactor.nanoTime()))).isEqualTo(kernelMac("jtap0"));
    }

    @Test
    void twoHundredSolicitationsFromRandomSourcesThenAForgedOneCostTheKernelsPing6Nothing() throws Exception {
        run(IpHost.onTap(MAC).address("fd00:77::2/64"), "jtap0", "fd00:77::1/64");
        Shell.Result ping = pingDuring("jtap0", "fd00:77::2", """
            def ns(m, src):
                return (Ether(src=m, dst='33:33:ff:00:00:02')/IPv6(src=src, dst='ff02::1:ff00:2', hlim=255)
                        /ICMPv6ND_NS(tgt='fd00:77::2')/ICMPv6NDOptSrcLLAddr(lladdr=m))
            sendp([ns('02:00:00:55:%02x:%02x' % (i >> 8, i & 0xff), 'fd00:77::%x' % (0x1000 + i)) for i in range(200)], iface=iface)
            sendp(ns(F, 'fd00:77::1'), iface=iface)
            """);
        assertThat(ping.output()).as(ping.output()).contains("50 packets transmitted, 50 received", " 0% packet loss");
        assertThat(onReactor(() -> host.neighbourDiscovery().table().lookup(0xfd00_0077_0000_0000L, 1, reactor.nanoTime())))
            .isEqualTo(kernelMac("jtap0"));
        assertThat(onReactor(() -> host.neighbourDiscovery().conflicts())).isPositive();
    }
}

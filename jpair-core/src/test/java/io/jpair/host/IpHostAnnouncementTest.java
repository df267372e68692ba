package io.jpair.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.ethernet.EthernetHeader;
import io.jpair.ethernet.MacAddress;
import io.jpair.ip.IcmpHeader;
import io.jpair.ip.Ipv4Header;
import io.jpair.neighbour.ArpPacket;
import io.jpair.netlink.LinkMonitor;
import io.jpair.testing.MemoryIOSystem;
import io.jpair.testing.MemoryNetlink;
import io.jpair.testing.MemoryReactor;
import io.jpair.testing.MemoryTunnel;
import io.jpair.tuntap.TuntapPort;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * When a host announces its addresses: {@value IpHost#ANNOUNCEMENTS} rounds one second apart on
 * the reactor clock, when its port starts and each time its link comes up (link events replayed by
 * {@link MemoryNetlink} through a {@link LinkMonitor}).
 */
class IpHostAnnouncementTest {
    private static final MacAddress MAC = MacAddress.parse("02:00:00:77:00:02");

    private final MemoryReactor reactor = new MemoryReactor();
    private final MemoryIOSystem system = new MemoryIOSystem();
    private final MemoryNetlink kernel = new MemoryNetlink();

    private IpHost dualStackTap() {
        return IpHost.onTap(MAC).address("10.77.1.2/24").address("fd00:77::2/64");
    }

    private TuntapPort listen(IpHost host, String device) throws Exception {
        return host.listen(device, reactor, system);
    }

    /** Starts a monitor for the host over the fake kernel, which has the device, down. */
    private void monitor(IpHost host, String device) throws Exception {
        kernel.addLink(device, 1500);
        new LinkMonitor(reactor, host, kernel).start();
        reactor.fireReadable();
    }

    /** Lets the clock run, a second at a time (as a real reactor would). */
    private void passSeconds(int seconds) {
        for (int i = 0; i < seconds; i++) {
            reactor.advance(Duration.ofSeconds(1));
        }
    }

    private static void assertOneRound(byte[] garp, byte[] na) {
        ByteBuffer arpFrame = ByteBuffer.wrap(garp);
        assertThat(new EthernetHeader().wrap(arpFrame, 0).destination()).isEqualTo(MacAddress.BROADCAST_VALUE);
        ArpPacket arp = new ArpPacket().wrap(arpFrame, EthernetHeader.LENGTH);
        assertThat(arp.senderProtocol()).isEqualTo(arp.targetProtocol()).isEqualTo(Ipv4Header.parse("10.77.1.2"));
        ByteBuffer naFrame = ByteBuffer.wrap(na);
        assertThat(MacAddress.format(new EthernetHeader().wrap(naFrame, 0).destination())).isEqualTo("33:33:00:00:00:01");
        assertThat(new IcmpHeader().wrap(naFrame, EthernetHeader.LENGTH + 40).type()).isEqualTo(136);
    }

    @Test
    void startRepeatsTheAnnouncementsThreeTimesOneSecondApart() throws Exception {
        MemoryTunnel tunnel = system.getTunnel(listen(dualStackTap(), "jtap0"));
        assertThat(tunnel.writeBuffer()).hasSize(2);

        reactor.advance(Duration.ofMillis(999));
        assertThat(tunnel.writeBuffer()).as("not before a second").hasSize(2);
        reactor.advance(Duration.ofMillis(1));
        assertThat(tunnel.writeBuffer()).hasSize(4);
        reactor.advance(Duration.ofSeconds(1));
        assertThat(tunnel.writeBuffer()).hasSize(6);
        passSeconds(10);
        assertThat(tunnel.writeBuffer()).as("three rounds, then silence").hasSize(6);
        for (int i = 0; i < 6; i += 2) {
            assertOneRound(tunnel.writeBuffer().get(i), tunnel.writeBuffer().get(i + 1));
        }
    }

    @Test
    void linkComingUpAfterListenStartsANewSeries() throws Exception {
        IpHost host = dualStackTap();
        MemoryTunnel tunnel = system.getTunnel(listen(host, "jtap0"));
        monitor(host, "jtap0");
        passSeconds(5);
        tunnel.writeBuffer().clear();

        kernel.setLinkUp("jtap0", true);
        reactor.fireReadable();

        assertThat(tunnel.writeBuffer()).as("at once when the link comes up").hasSize(2);
        assertOneRound(tunnel.writeBuffer().get(0), tunnel.writeBuffer().get(1));
        reactor.advance(Duration.ofSeconds(1));
        reactor.advance(Duration.ofSeconds(1));
        passSeconds(10);
        assertThat(tunnel.writeBuffer()).hasSize(6);
    }

    @Test
    void everyLinkUpStartsOneSeriesAndCancelsTheOneInProgress() throws Exception {
        IpHost host = dualStackTap();
        MemoryTunnel tunnel = system.getTunnel(listen(host, "jtap0"));
        monitor(host, "jtap0");
        passSeconds(5);
        tunnel.writeBuffer().clear();

        kernel.setLinkUp("jtap0", true);
        reactor.fireReadable();
        kernel.setLinkUp("jtap0", false);
        kernel.setLinkUp("jtap0", true);
        reactor.fireReadable();
        reactor.advance(Duration.ofSeconds(1));
        reactor.advance(Duration.ofSeconds(1));
        passSeconds(10);

        assertThat(tunnel.writeBuffer()).as("one round, then a full series after the second up").hasSize(2 + 6);
    }

    @Test
    void linkGoingDownStopsTheSeriesInProgress() throws Exception {
        IpHost host = dualStackTap();
        MemoryTunnel tunnel = system.getTunnel(listen(host, "jtap0"));
        monitor(host, "jtap0");

        kernel.setLinkUp("jtap0", true);
        kernel.setLinkUp("jtap0", false);
        reactor.fireReadable();
        tunnel.writeBuffer().clear();
        passSeconds(10);

        assertThat(tunnel.writeBuffer()).isEmpty();
    }

    @Test
    void eventsOfOtherLinksAreIgnored() throws Exception {
        IpHost host = dualStackTap();
        MemoryTunnel tunnel = system.getTunnel(listen(host, "jtap0"));
        monitor(host, "jtap0");
        passSeconds(5);
        tunnel.writeBuffer().clear();

        kernel.addLink("other0", 1500);
        kernel.setLinkUp("other0", true);
        reactor.fireReadable();
        passSeconds(5);

        assertThat(tunnel.writeBuffer()).isEmpty();
    }

    @Test
    void stoppingThePortCancelsThePendingAnnouncements() throws Exception {
        TuntapPort port = listen(dualStackTap(), "jtap0");
        MemoryTunnel tunnel = system.getTunnel(port);

        port.stopListening();
        passSeconds(10);

        assertThat(tunnel.writeBuffer()).as("only the first round, before the stop").hasSize(2);
        assertThat(reactor.errors()).isEmpty();
    }

    @Test
    void tunHostIgnoresLinkEvents() throws Exception {
        IpHost host = IpHost.onTun().address("10.77.0.2/24");
        MemoryTunnel tunnel = system.getTunnel(listen(host, "jt0"));
        monitor(host, "jt0");

        kernel.setLinkUp("jt0", true);
        reactor.fireReadable();
        passSeconds(5);

        assertThat(tunnel.writeBuffer()).isEmpty();
        assertThat(reactor.errors()).isEmpty();
    }
}

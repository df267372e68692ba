package io.jpair.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.testing.MemoryIOSystem;
import io.jpair.testing.MemoryReactor;
import io.jpair.testing.MemoryTunnel;
import io.jpair.tuntap.TuntapPort;
import java.time.Duration;

/**
 * A host (10.77.1.2/24, fd00:77::2/64, UDP echo on 7) on an in-memory TAP or TUN device that
 * hostile input is fed to, one packet at a time, with the checks every fuzz run makes.
 */
final class FuzzedHost {
    /** Frames a TAP host sends by itself when it starts (gratuitous ARP, unsolicited NA). */
    private static final int ANNOUNCEMENTS = 2;

    final MemoryReactor reactor = new MemoryReactor();
    final MemoryIOSystem system = new MemoryIOSystem();
    final IpHost host;
    final TuntapPort port;
    final MemoryTunnel tunnel;
    long fed;

    FuzzedHost(boolean tap) throws Exception {
        host = (tap ? IpHost.onTap(FrameCorpus.OUR_MAC) : IpHost.onTun()).address("10.77.1.2/24")
            .address("fd00:77::2/64").udp(7, new IpHostTest.Echo());
        port = host.listen(tap ? "jtap0" : "jtun0", reactor, system);
        tunnel = system.getTunnel(port);
        tunnel.recordWrites(false);
    }

    /** Writes one packet into the device, lets the host read it, then moves the clock. */
    void feed(byte[] bytes, long advanceMicros) {
        tunnel.readBuffer().add(bytes);
        while (!tunnel.readBuffer().isEmpty()) {
            reactor.fireReadable();
        }
        fed++;
        reactor.advance(Duration.ofNanos(advanceMicros * 1000L));
    }

    /** Nothing escaped, the counters add up, state is bounded, no amplification. */
    void check() {
        assertThat(reactor.errors()).as("nothing escapes the reactor").isEmpty();
        assertThat(port.counters().protocolErrors()).as("nothing escapes the protocol").isZero();
        assertThat(port.isConnected()).isTrue();
        assertThat(port.counters().packetsRead()).isEqualTo(fed);
        HostAccounting.assertConsistent(host, fed);
        assertThat(tunnel.writeCount()).as("at most two frames out per frame in")
            .isLessThanOrEqualTo(2 * fed + ANNOUNCEMENTS);
    }
}

package io.jpair.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.ethernet.MacAddress;
import io.jpair.host.IpHost;
import io.jpair.metrics.IpHostCounterReader;
import io.jpair.testing.MemoryIOSystem;
import io.jpair.testing.MemoryReactor;
import io.jpair.testing.MemoryTunnel;
import io.jpair.testing.Packets;
import io.jpair.testing.StackPackets;
import io.jpair.tuntap.TuntapPort;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An IP host's counters as Micrometer meters, after traffic through the in-memory device and reactor. */
class IpHostMetricsTest {
    private static final byte[] PAYLOAD = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final MemoryReactor reactor = new MemoryReactor();
    private final MemoryIOSystem system = new MemoryIOSystem();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final IpHost host = IpHost.onTun().address("10.77.0.2/24");
    private MemoryTunnel tunnel;

    /** One ping answered, one with a bad ICMP checksum dropped. */
    private void pingTwice(int sequence) throws Exception {
        if (tunnel == null) {
            TuntapPort port = host.listen("jt0", reactor, system);
            tunnel = system.getTunnel(port);
        }
        byte[] bad = StackPackets.icmpEcho(8, 1, sequence + 1, PAYLOAD);
        bad[9] ^= 1;
        tunnel.readBuffer().add(Packets.ipv4("10.77.0.1", "10.77.0.2", 1, StackPackets.icmpEcho(8, 1, sequence, PAYLOAD)));
        tunnel.readBuffer().add(Packets.ipv4("10.77.0.1", "10.77.0.2", 1, bad));
        reactor.fireReadable();
    }

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).functionCounter().count();
    }

    @Test
    void hostCountersAreFunctionCountersNamedAfterTheirLayer() throws Exception {
        pingTwice(1);
        new IpHostMetrics(host).bindTo(registry);
        assertThat(count("jpair.host.ip.received", "device", "jt0")).isEqualTo(2);
        assertThat(count("jpair.host.icmp.echo.requests", "device", "jt0")).isEqualTo(1);
        assertThat(count("jpair.host.icmp.echo.replies", "device", "jt0")).isEqualTo(1);
    }

    @Test
    void hostDropsAreOneMeterPerLayerTaggedWithTheReason() throws Exception {
        pingTwice(1);
        new IpHostMetrics(host).bindTo(registry);
        assertThat(count("jpair.host.icmp.drops", "device", "jt0", "reason", "BAD_CHECKSUM")).isEqualTo(1);
        assertThat(count("jpair.host.udp.drops", "device", "jt0", "reason", "NO_LISTENER")).isZero();
    }

    @Test
    void everyHostCounterHasExactlyOneMeterWithItsValue() throws Exception {
        IpHost tap = IpHost.onTap(MacAddress.parse("02:00:00:77:00:02")).address("10.77.1.2/24");
        tap.listen("jtap0", reactor, system);
        new IpHostMetrics(tap).bindTo(registry);
        Map<String, Long> counters = tap.counters();
        assertThat(registry.getMeters()).hasSameSizeAs(counters.keySet());
        counters.forEach((counter, value) -> {
            int drop = counter.indexOf(".drop.");
            Search search = registry.find(IpHostMetrics.meterName(counter)).tag("device", "jtap0");
            if (drop >= 0) {
                search = search.tag("reason", counter.substring(drop + ".drop.".length()));
            }
            List<Meter> meters = List.copyOf(search.meters());
            assertThat(meters).as(counter).hasSize(1);
            double read = meters.get(0) instanceof Gauge gauge ? gauge.value() : ((FunctionCounter) meters.get(0)).count();
            assertThat(read).as(counter).isEqualTo(value.doubleValue());
        });
    }

    @Test
    void sizesAreGaugesNotCounters() throws Exception {
        IpHost tap = IpHost.onTap(MacAddress.parse("02:00:00:77:00:02")).address("10.77.1.2/24");
        tap.listen("jtap0", reactor, system);
        new IpHostMetrics(tap).bindTo(registry);
        assertThat(registry.find("jpair.host.arp.cache.entries").gauge()).isNotNull();
        assertThat(registry.find("jpair.host.icmpv6.cache.entries").gauge()).isNotNull();
        assertThat(registry.find("jpair.host.link.pending").gauge()).isNotNull();
        assertThat(registry.getMeters()).filteredOn(m -> m instanceof Gauge).hasSize(3);
    }

    @Test
    void oneSnapshotServesEveryMeterUntilItsMaximumAge() throws Exception {
        pingTwice(1);
        new IpHostMetrics(new IpHostCounterReader(host), Duration.ofHours(1), List.of()).bindTo(registry);
        assertThat(count("jpair.host.ip.received", "device", "jt0")).isEqualTo(2);
        pingTwice(3);
        assertThat(count("jpair.host.ip.received", "device", "jt0")).isEqualTo(2);
        assertThat(count("jpair.host.icmp.echo.replies", "device", "jt0")).isEqualTo(1);
    }

    @Test
    void aMaximumAgeOfZeroReadsTheCountersAnewForEveryMeter() throws Exception {
        pingTwice(1);
        new IpHostMetrics(new IpHostCounterReader(host), Duration.ZERO, List.of()).bindTo(registry);
        pingTwice(3);
        assertThat(count("jpair.host.ip.received", "device", "jt0")).isEqualTo(4);
    }

    @Test
    void meterNamesSplitCamelCaseIntoDottedWords() {
        assertThat(IpHostMetrics.meterName("arp.requestsAnswered")).isEqualTo("jpair.host.arp.requests.answered");
        assertThat(IpHostMetrics.meterName("icmpv6.advertisementsSent")).isEqualTo("jpair.host.icmpv6.advertisements.sent");
        assertThat(IpHostMetrics.meterName("ip.drop.BAD_CHECKSUM")).isEqualTo("jpair.host.ip.drops");
    }
}

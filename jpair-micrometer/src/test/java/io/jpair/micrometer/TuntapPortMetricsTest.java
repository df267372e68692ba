package io.jpair.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpair.host.IpHost;
import io.jpair.testing.MemoryIOSystem;
import io.jpair.testing.MemoryReactor;
import io.jpair.testing.Packets;
import io.jpair.testing.StackPackets;
import io.jpair.tuntap.TunQueue;
import io.jpair.tuntap.TunnelOptions;
import io.jpair.tuntap.TuntapPort;
import io.jpair.tuntap.offload.OffloadOptions;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A port's and a queue's counters as Micrometer meters, after traffic through the in-memory device. */
class TuntapPortMetricsTest {
    private static final byte[] PAYLOAD = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final int ECHO_LENGTH = 20 + 8 + PAYLOAD.length;

    private final MemoryReactor reactor = new MemoryReactor();
    private final MemoryIOSystem system = new MemoryIOSystem();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** A TUN host on "jt0" that answered one ping. */
    private TuntapPort pingedOnce() throws Exception {
        TuntapPort port = IpHost.onTun().address("10.77.0.2/24").listen("jt0", reactor, system);
        system.getTunnel(port).readBuffer().add(Packets.ipv4("10.77.0.1", "10.77.0.2", 1,
            StackPackets.icmpEcho(8, 1, 1, PAYLOAD)));
        reactor.fireReadable();
        return port;
    }

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).functionCounter().count();
    }

    @Test
    void portMetersCountTheTrafficOfThePort() throws Exception {
        new TuntapPortMetrics(pingedOnce()).bindTo(registry);
        assertThat(count("jpair.port.packets.read", "device", "jt0")).isEqualTo(1);
        assertThat(count("jpair.port.bytes.read", "device", "jt0")).isEqualTo(ECHO_LENGTH);
        assertThat(count("jpair.port.packets.written", "device", "jt0")).isEqualTo(1);
        assertThat(count("jpair.port.bytes.written", "device", "jt0")).isEqualTo(ECHO_LENGTH);
        assertThat(count("jpair.port.protocol.errors", "device", "jt0")).isZero();
    }

    @Test
    void portMetersReadTheLiveCounters() throws Exception {
        TuntapPort port = pingedOnce();
        new TuntapPortMetrics(port).bindTo(registry);
        system.getTunnel(port).readBuffer().add(Packets.ipv4("10.77.0.1", "10.77.0.2", 1,
            StackPackets.icmpEcho(8, 1, 2, PAYLOAD)));
        reactor.fireReadable();
        assertThat(count("jpair.port.packets.read", "device", "jt0")).isEqualTo(2);
    }

    @Test
    void portDropsAreOneMeterTaggedWithTheDirection() throws Exception {
        new TuntapPortMetrics(pingedOnce()).bindTo(registry);
        assertThat(registry.get("jpair.port.drops").functionCounters()).extracting(c -> c.getId().getTag("direction"))
            .containsExactlyInAnyOrder("read", "write");
    }

    @Test
    void aPortHasTenFunctionCountersEachTaggedWithTheDeviceAndTheExtraTags() throws Exception {
        new TuntapPortMetrics(pingedOnce(), List.of(Tag.of("role", "uplink"))).bindTo(registry);
        List<Meter> meters = registry.getMeters();
        assertThat(meters).hasSize(10).allSatisfy(m -> {
            assertThat(m).isInstanceOf(FunctionCounter.class);
            assertThat(m.getId().getTag("device")).isEqualTo("jt0");
            assertThat(m.getId().getTag("role")).isEqualTo("uplink");
        });
        assertThat(meters).extracting(m -> m.getId().getName()).containsOnly("jpair.port.packets.read",
            "jpair.port.bytes.read", "jpair.port.superpackets.read", "jpair.port.packets.written",
            "jpair.port.bytes.written", "jpair.port.superpackets.written", "jpair.port.drops",
            "jpair.port.read.errors", "jpair.port.protocol.errors");
    }

    @Test
    void aPortNotYetNamedByTheKernelCannotBeBound() {
        TuntapPort port = new TuntapPort("tun%d", IpHost.onTun().protocol(), TunnelOptions.defaults(), reactor, system);
        assertThatThrownBy(() -> new TuntapPortMetrics(port).bindTo(registry))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("tun%d: not named by the kernel yet: bind after startListening()");
    }

    @Test
    void queueMetersAreNamedJpairQueueAndTaggedWithTheQueueIndex() throws Exception {
        try (TunQueue queue = TunQueue.open("jq0", TunnelOptions.defaults(), OffloadOptions.disabled(), system)) {
            new TunQueueMetrics(queue, 2).bindTo(registry);
            assertThat(count("jpair.queue.packets.read", "device", "jq0", "queue", "2")).isZero();
            assertThat(registry.getMeters()).hasSize(10)
                .allSatisfy(m -> assertThat(m.getId().getName()).startsWith("jpair.queue."));
        }
    }
}

package io.jpair.micrometer;

import io.jpair.tuntap.TuntapPort;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;

/**
 * Binds a {@link TuntapPort}'s counters to a Micrometer registry: {@code jpair.port.packets.read},
 * {@code jpair.port.bytes.read}, {@code jpair.port.superpackets.read},
 * {@code jpair.port.packets.written}, {@code jpair.port.bytes.written},
 * {@code jpair.port.superpackets.written}, {@code jpair.port.drops} ({@code direction=read|write}),
 * {@code jpair.port.read.errors}, {@code jpair.port.protocol.errors}, each a
 * {@code FunctionCounter} tagged {@code device=<interface>}, read live from the registry's thread.
 *
 * <pre>{@code
 * TuntapPort port = new TuntapPort("tun%d", protocol, reactor);
 * port.startListening();
 * new TuntapPortMetrics(port).bindTo(registry);   // after start: the kernel has named the device
 * }</pre>
 */
public final class TuntapPortMetrics implements MeterBinder {
    private final TuntapPort port;
    private final Tags tags;

    /**
     * Meters tagged {@code device} only.
     *
     * @param port a started port
     */
    public TuntapPortMetrics(TuntapPort port) {
        this(port, List.of());
    }

    /**
     * Meters tagged {@code device} and {@code tags}.
     *
     * @param port a started port
     * @param tags extra tags for every meter
     */
    public TuntapPortMetrics(TuntapPort port, Iterable<Tag> tags) {
        this.port = port;
        this.tags = Tags.of(tags);
    }

    /**
     * Registers the meters.
     *
     * @param registry the registry
     * @throws IllegalStateException if the port has not been started (its name is still a pattern)
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        String device = port.interfaceName();
        if (device.contains("%")) {
            throw new IllegalStateException(device + ": not named by the kernel yet: bind after startListening()");
        }
        DeviceCounterMeters.bind(registry, "jpair.port", port.counters(), tags.and("device", device));
    }
}

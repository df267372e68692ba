package io.jpair.micrometer;

import io.jpair.tuntap.TunQueue;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;

/**
 * Binds one {@link TunQueue}'s counters to a Micrometer registry: the meters of
 * {@link TuntapPortMetrics} named {@code jpair.queue.*} instead of {@code jpair.port.*}
 * ({@code jpair.queue.packets.read}, ..., {@code jpair.queue.drops}), tagged
 * {@code device=<interface>} and {@code queue=<index>}, read live from the registry's thread.
 *
 * <pre>{@code
 * TunQueue[] queues = TunQueue.openQueues("tun%d", 4, options, offload);
 * for (int i = 0; i < queues.length; i++) {
 *     new TunQueueMetrics(queues[i], i).bindTo(registry);
 * }
 * }</pre>
 */
public final class TunQueueMetrics implements MeterBinder {
    private final TunQueue queue;
    private final int index;
    private final Tags tags;

    /**
     * Meters tagged {@code device} and {@code queue}.
     *
     * @param queue an open queue
     * @param index its index on the device (its place in {@code openQueues}' array)
     */
    public TunQueueMetrics(TunQueue queue, int index) {
        this(queue, index, List.of());
    }

    /**
     * Meters tagged {@code device}, {@code queue} and {@code tags}.
     *
     * @param queue an open queue
     * @param index its index on the device
     * @param tags extra tags for every meter
     */
    public TunQueueMetrics(TunQueue queue, int index, Iterable<Tag> tags) {
        this.queue = queue;
        this.index = index;
        this.tags = Tags.of(tags);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        DeviceCounterMeters.bind(registry, "jpair.queue", queue.counters(),
            tags.and("device", queue.interfaceName()).and("queue", Integer.toString(index)));
    }
}

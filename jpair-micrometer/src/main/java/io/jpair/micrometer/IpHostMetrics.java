package io.jpair.micrometer;

import io.jpair.host.IpHost;
import io.jpair.metrics.IpHostCounterReader;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Binds every counter of an {@link IpHost} ({@link IpHost#counters()}) to a Micrometer registry,
 * tagged {@code device=<interface>}:
 *
 * <ul>
 * <li>{@code layer.counter} becomes the {@code FunctionCounter} {@code jpair.host.<layer>.<counter>},
 *     the camel case split into dotted lower-case words: {@code ip.received} is
 *     {@code jpair.host.ip.received}, {@code arp.requestsAnswered} is
 *     {@code jpair.host.arp.requests.answered}, {@code icmp.echoReplies} is
 *     {@code jpair.host.icmp.echo.replies};</li>
 * <li>{@code layer.drop.REASON} becomes {@code jpair.host.<layer>.drops} tagged
 *     {@code reason=REASON}: {@code ip.drop.BAD_CHECKSUM} is
 *     {@code jpair.host.ip.drops{reason=BAD_CHECKSUM}};</li>
 * <li>the three sizes ({@code arp.cacheEntries}, {@code icmpv6.cacheEntries}, {@code link.pending})
 *     are gauges: {@code jpair.host.arp.cache.entries}, {@code jpair.host.icmpv6.cache.entries},
 *     {@code jpair.host.link.pending}.</li>
 * </ul>
 *
 * <p>Values are read on the host's reactor thread ({@link IpHostCounterReader}): one snapshot,
 * shared by all the host's meters, at most {@link #DEFAULT_MAX_AGE} old (or the age given);
 * {@code NaN} while the reactor does not answer within the reader's timeout. The registry holds
 * the meters' state strongly, so {@code new IpHostMetrics(host).bindTo(registry)} is enough.
 *
 * <pre>{@code
 * TuntapPort port = host.listen("jtap0", reactor);
 * new IpHostMetrics(host).bindTo(registry);
 * }</pre>
 */
public final class IpHostMetrics implements MeterBinder {
    /** How long one snapshot of the host's counters serves its meters by default. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(1);

    /** Counters that are sizes now rather than counts since start. */
    private static final Set<String> GAUGES = Set.of("arp.cacheEntries", "icmpv6.cacheEntries", "link.pending");

    private final IpHostCounterReader reader;
    private final Duration maxAge;
    private final Tags tags;

    /**
     * Meters tagged {@code device}, with the default snapshot age and reader timeout.
     *
     * @param host a host attached to a port ({@link IpHost#listen})
     * @throws IllegalStateException if the host is not attached to a port
     */
    public IpHostMetrics(IpHost host) {
        this(new IpHostCounterReader(host), DEFAULT_MAX_AGE, List.of());
    }

    /**
     * Meters tagged {@code device} and {@code tags}.
     *
     * @param reader reads the host's counters (its timeout bounds each wait for the reactor)
     * @param maxAge how long one snapshot serves the meters; {@link Duration#ZERO} reads anew for
     *     every meter
     * @param tags extra tags for every meter
     * @throws IllegalArgumentException if {@code maxAge} is negative
     */
    public IpHostMetrics(IpHostCounterReader reader, Duration maxAge, Iterable<Tag> tags) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("maxAge must not be negative: " + maxAge);
        }
        this.tags = Tags.of(tags);
    }

    /**
     * The meter name of a counter of {@link IpHost#counters()}.
     *
     * @param counter e.g. {@code "arp.requestsAnswered"} or {@code "ip.drop.BAD_CHECKSUM"}
     * @return e.g. {@code "jpair.host.arp.requests.answered"} or {@code "jpair.host.ip.drops"}
     */
    public static String meterName(String counter) {
        int dot = counter.indexOf('.');
        String layer = counter.substring(0, dot);
        String rest = counter.substring(dot + 1);
        if (rest.startsWith("drop.")) {
            return "jpair.host." + layer + ".drops";
        }
        return "jpair.host." + layer + "." + rest.replaceAll("([a-z0-9])([A-Z])", "$1.$2").toLowerCase(Locale.ROOT);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        HostCounterSnapshot snapshot = new HostCounterSnapshot(reader, maxAge.toNanos());
        Tags device = tags.and("device", reader.interfaceName());
        for (String counter : reader.names()) {
            String name = meterName(counter);
            int drop = counter.indexOf(".drop.");
            Tags meterTags = drop < 0 ? device : device.and("reason", counter.substring(drop + ".drop.".length()));
            if (GAUGES.contains(counter)) {
                Gauge.builder(name, snapshot, s -> s.value(counter))
                    .tags(meterTags)
                    .description("IpHost " + counter)
                    .strongReference(true)
                    .register(registry);
            } else {
                // Micrometer holds a FunctionCounter's object weakly; the function holds the snapshot.
                FunctionCounter.builder(name, snapshot, s -> snapshot.value(counter))
                    .tags(meterTags)
                    .description("IpHost " + counter)
                    .register(registry);
            }
        }
    }
}

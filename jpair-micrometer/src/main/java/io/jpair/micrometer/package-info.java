/**
 * Micrometer {@link io.micrometer.core.instrument.binder.MeterBinder}s for jpair's counters, for
 * Prometheus, OTLP, Datadog or any other Micrometer registry (the JMX view with no dependency is
 * {@code io.jpair.metrics.JmxMetrics} in jpair-core).
 *
 * <pre>{@code
 * TuntapPort port = host.listen("jtap0", reactor);
 * new TuntapPortMetrics(port).bindTo(registry);      // jpair.port.*{device="jtap0"}
 * new IpHostMetrics(host).bindTo(registry);          // jpair.host.*{device="jtap0"}
 * }</pre>
 *
 * <p>Every meter is tagged {@code device} (the interface name) plus the binder's extra tags. All
 * are {@code FunctionCounter}s over the live counters except three gauges.
 *
 * <table class="striped">
 * <caption>Meters</caption>
 * <thead><tr><th>meter</th><th>tags</th><th>from</th></tr></thead>
 * <tbody>
 * <tr><td>{@code jpair.port.packets.read}, {@code jpair.port.bytes.read},
 *     {@code jpair.port.superpackets.read}, {@code jpair.port.packets.written},
 *     {@code jpair.port.bytes.written}, {@code jpair.port.superpackets.written}</td>
 *     <td>{@code device}</td><td>{@code TuntapPort.counters()}: {@code packetsRead}, ...</td></tr>
 * <tr><td>{@code jpair.port.drops}</td><td>{@code device}, {@code direction=read|write}</td>
 *     <td>{@code droppedReads}, {@code droppedWrites}</td></tr>
 * <tr><td>{@code jpair.port.read.errors}, {@code jpair.port.protocol.errors}</td><td>{@code device}</td>
 *     <td>{@code readErrors}, {@code protocolErrors}</td></tr>
 * <tr><td>{@code jpair.queue.*}: the same ten, from {@code TunQueue.counters()}</td>
 *     <td>{@code device}, {@code queue}</td><td>{@link io.jpair.micrometer.TunQueueMetrics}</td></tr>
 * <tr><td>{@code jpair.host.<layer>.<counter>}: {@code jpair.host.ip.received},
 *     {@code jpair.host.icmp.echo.replies}, {@code jpair.host.arp.requests.answered}, ...</td>
 *     <td>{@code device}</td><td>{@code IpHost.counters()}'s {@code layer.counter}, the counter's
 *     camel case split into dotted words</td></tr>
 * <tr><td>{@code jpair.host.<layer>.drops}</td><td>{@code device}, {@code reason}</td>
 *     <td>{@code layer.drop.REASON}: {@code jpair.host.ip.drops{reason=BAD_CHECKSUM}}</td></tr>
 * <tr><td>gauges {@code jpair.host.arp.cache.entries}, {@code jpair.host.icmpv6.cache.entries},
 *     {@code jpair.host.link.pending}</td><td>{@code device}</td>
 *     <td>{@code arp.cacheEntries}, {@code icmpv6.cacheEntries}, {@code link.pending}: sizes now,
 *     not counts</td></tr>
 * </tbody>
 * </table>
 *
 * <p>Threads: port and queue counters are read live on the registry's thread. Host counters are
 * read on the host's reactor thread through {@code io.jpair.metrics.IpHostCounterReader}, one
 * snapshot shared by all of a host's meters for {@link io.jpair.micrometer.IpHostMetrics#DEFAULT_MAX_AGE}
 * (so a scrape costs one hand-off, not one per meter); while the reactor does not answer they read
 * {@code NaN} and one warning is logged.
 */
package io.jpair.micrometer;

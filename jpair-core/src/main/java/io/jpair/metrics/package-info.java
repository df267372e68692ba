/**
 * jpair's counters for the monitoring people already run: JMX on the platform MBean server, with
 * no dependency ({@link io.jpair.metrics.JmxMetrics}, {@link io.jpair.metrics.JmxRegistration}),
 * and the pieces an exporter needs to read them correctly from its own thread
 * ({@link io.jpair.metrics.DeviceCounter}, {@link io.jpair.metrics.IpHostCounterReader}); the
 * optional {@code jpair-micrometer} module binds the same counters to a Micrometer registry.
 *
 * <table class="striped">
 * <caption>MBeans (every attribute a read-only {@code long})</caption>
 * <thead><tr><th>ObjectName</th><th>attributes</th><th>read</th></tr></thead>
 * <tbody>
 * <tr><td>{@code io.jpair:type=TuntapPort,name=<interface>}</td>
 *     <td>{@code packetsRead}, {@code bytesRead}, {@code superPacketsRead}, {@code packetsWritten},
 *     {@code bytesWritten}, {@code superPacketsWritten}, {@code droppedReads}, {@code droppedWrites},
 *     {@code readErrors}, {@code protocolErrors} (the getters of {@code DeviceCounters})</td>
 *     <td>live, on the JMX client's thread (opaque reads)</td></tr>
 * <tr><td>{@code io.jpair:type=TunQueue,name=<interface>,queue=<index>}</td>
 *     <td>the same ten</td><td>the same</td></tr>
 * <tr><td>{@code io.jpair:type=IpHost,name=<interface>}</td>
 *     <td>the names of {@code IpHost.counters()}: {@code layer.counter} ({@code ip.received},
 *     {@code arp.requestsAnswered}, {@code link.pending}) and {@code layer.drop.REASON}
 *     ({@code ip.drop.BAD_CHECKSUM}, {@code udp.drop.NO_LISTENER})</td>
 *     <td>on the host's reactor thread, one snapshot per {@code getAttributes} call, waiting at
 *     most one second</td></tr>
 * </tbody>
 * </table>
 *
 * <p>Why the host is read on its reactor thread: its counters are plain fields the reactor
 * thread writes (no fence per packet), and a snapshot of every layer from another thread would
 * be neither consistent nor, by the memory model, guaranteed fresh. A hand-off costs one
 * {@code callFromThread} per read, not per packet.
 *
 * <p>Depends on {@code io.jpair.host} and {@code io.jpair.tuntap} (and what they depend on, never
 * {@code io.jpair.sys}); nothing in the library depends on it, and it needs only the JDK's
 * {@code java.management} module.
 */
package io.jpair.metrics;

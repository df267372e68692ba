/**
 * A complete userspace IP host on one TUN or TAP device, assembled from the stack's layers:
 * {@link io.jpair.host.IpHost}. What the {@code jpair host} and {@code jpair demo} commands run.
 *
 * <p>Depends on {@code io.jpair.udp}, {@code io.jpair.neighbour}, {@code io.jpair.ip},
 * {@code io.jpair.ethernet}, {@code io.jpair.tuntap}, {@code io.jpair.transport} and
 * {@code io.jpair.reactor}; never on {@code io.jpair.sys}.
 */
package io.jpair.host;

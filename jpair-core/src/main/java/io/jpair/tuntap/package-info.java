/**
 * Linux TUN/TAP devices: {@link io.jpair.tuntap.TuntapPort} (Twisted's
 * {@code twisted.pair.tuntap.TuntapPort}), its options ({@link io.jpair.tuntap.TunnelOptions}),
 * flags and address ({@link io.jpair.tuntap.TunnelFlags}, {@link io.jpair.tuntap.TunnelAddress}),
 * and the system-call seam ({@link io.jpair.tuntap.IOSystem}, real:
 * {@link io.jpair.tuntap.RealIOSystem}; fake: {@code io.jpair.testing.MemoryIOSystem}).
 *
 * <p>Depends on {@code io.jpair.transport}, {@code io.jpair.reactor} and {@code io.jpair.sys}.
 */
package io.jpair.tuntap;

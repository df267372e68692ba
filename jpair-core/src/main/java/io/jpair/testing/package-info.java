/**
 * Test support shipped with the library, so users can test their own protocols without root
 * (Twisted's {@code twisted.pair.testing} and {@code MemoryReactorClock}):
 * {@link io.jpair.testing.MemoryIOSystem} and {@link io.jpair.testing.MemoryTunnel} (an in-memory
 * TUN/TAP device with scripted faults), {@link io.jpair.testing.MemoryReactor} and
 * {@link io.jpair.testing.ManualClock} (deterministic time and readiness),
 * {@link io.jpair.testing.MemoryNetlink} (an in-memory rtnetlink kernel for
 * {@code RtNetlink} and {@code LinkMonitor}: links, addresses, routes, scripted errors and
 * notifications, every request recorded), and {@link io.jpair.testing.Packets} (frame and packet
 * builders).
 *
 * <p>Implements the public interfaces of {@code io.jpair.tuntap}, {@code io.jpair.reactor} and
 * {@code io.jpair.netlink} ({@code NetlinkChannel}); never uses {@code io.jpair.sys}.
 */
package io.jpair.testing;

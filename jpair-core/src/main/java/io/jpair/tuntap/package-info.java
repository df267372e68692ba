/**
 * Linux TUN/TAP devices: {@link io.jpair.tuntap.TuntapPort} (Twisted's
 * {@code twisted.pair.tuntap.TuntapPort}), its options ({@link io.jpair.tuntap.TunnelOptions}),
 * flags and address ({@link io.jpair.tuntap.TunnelFlags}, {@link io.jpair.tuntap.TunnelAddress}),
 * and the system-call seam ({@link io.jpair.tuntap.IOSystem}, real:
 * {@link io.jpair.tuntap.RealIOSystem}; fake: {@code io.jpair.testing.MemoryIOSystem}).
 *
 * <p>Offload and batching: {@link io.jpair.tuntap.TunQueue} (one fd of a TUN device, batch
 * read/write, multi-queue), {@link io.jpair.tuntap.OffloadOptions} and
 * {@link io.jpair.tuntap.Offloads} ({@code IFF_VNET_HDR}, {@code TUNSETOFFLOAD}),
 * {@link io.jpair.tuntap.VirtioNetHeader}, {@link io.jpair.tuntap.GsoSplitter} (GSO split on
 * read) and {@link io.jpair.tuntap.GroTable} (TCP/UDP coalescing on write), which checksum
 * segments with {@link io.jpair.wire.InternetChecksum}.
 *
 * <p>Depends on {@code io.jpair.transport}, {@code io.jpair.reactor}, {@code io.jpair.sys} and
 * {@code io.jpair.wire}.
 */
package io.jpair.tuntap;

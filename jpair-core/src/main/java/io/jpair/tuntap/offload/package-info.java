/**
 * Virtio-net offload for TUN devices opened with {@code IFF_VNET_HDR}: the header flyweight
 * ({@link io.jpair.tuntap.offload.VirtioNetHeader}), the {@code TUN_F_*} bits
 * ({@link io.jpair.tuntap.offload.Offloads}) and the switches
 * ({@link io.jpair.tuntap.offload.OffloadOptions}), GSO split on read
 * ({@link io.jpair.tuntap.offload.GsoSplitter}), TCP/UDP coalescing on write
 * ({@link io.jpair.tuntap.offload.GroTable}) and the held writes of a port
 * ({@link io.jpair.tuntap.offload.WriteBatch}).
 *
 * <p>Pure packet arithmetic over buffers: depends only on the Internet checksum, never on a
 * device, a reactor or the OS, so the device code ({@code io.jpair.tuntap}) and benchmarks share it.
 */
package io.jpair.tuntap.offload;

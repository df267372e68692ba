/**
 * Linux TUN/TAP devices: {@link io.jpair.tuntap.TuntapPort} (Twisted's
 * {@code twisted.pair.tuntap.TuntapPort}), its options ({@link io.jpair.tuntap.TunnelOptions}),
 * flags and address ({@link io.jpair.tuntap.TunnelFlags}, {@link io.jpair.tuntap.TunnelAddress}),
 * and the system-call seam ({@link io.jpair.tuntap.IOSystem}, real:
 * {@link io.jpair.tuntap.RealIOSystem}; fake: {@code io.jpair.testing.MemoryIOSystem}).
 *
 * <p>One device, two front-ends: {@link io.jpair.tuntap.TunDevice} is the only code that opens,
 * configures (type, PI, persist, owner, group, virtio header, offload negotiation, multi-queue)
 * and closes a TUN/TAP fd. {@code TuntapPort} drives it from a reactor, one packet per callback,
 * with plain or virtio framing behind one read loop and one send path;
 * {@link io.jpair.tuntap.TunQueue} reads and writes batches into caller buffers (multi-queue:
 * one per fd, driven by a {@link io.jpair.tuntap.TunQueueReader}). Both count with
 * {@link io.jpair.tuntap.DeviceCounters}. The virtio-net offload machinery they share (split on
 * read, coalesce on write) is {@code io.jpair.tuntap.offload}.
 *
 * <p>Depends on {@code io.jpair.tuntap.offload}, {@code io.jpair.transport},
 * {@code io.jpair.reactor}, {@code io.jpair.errno} and {@code io.jpair.sys}; the offload
 * package checksums segments with {@code io.jpair.wire}.
 */
package io.jpair.tuntap;

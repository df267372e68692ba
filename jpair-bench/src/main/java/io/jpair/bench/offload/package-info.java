/**
 * Stand-alone benchmark programs for {@code io.jpair.tuntap.TunQueue} on a real kernel, run by the
 * scripts in {@code bench/offload/} inside network namespaces they create:
 * {@link io.jpair.bench.offload.TunQueueRxBench} (super-packet receive, split or pass-through),
 * {@link io.jpair.bench.offload.TunForwarder} (a two-port forwarder for TCP through TUN) and
 * {@link io.jpair.bench.offload.MultiQueueDrainBench} (draining a multi-queue device with one
 * reactor thread per queue). Each prints one {@code RESULT} line; none asserts on time.
 *
 * <p>Depends only on jpair-core's public packages ({@code tuntap}, {@code reactor}, {@code errno}).
 */
package io.jpair.bench.offload;

/**
 * The whole-path benchmark harness: {@link io.jpair.bench.Scenario} drives a real TUN device
 * through {@code TuntapPort} and {@code EpollReactor} exactly as a user program would, and prints
 * one machine-readable result line per run ({@code scenario=... size=... pps=... gbps=...
 * cpu_ns_per_pkt=... alloc_bytes_per_pkt=...}), mirroring the C baseline {@code tunbench.c}.
 *
 * <p>Scenarios run inside a network namespace prepared by {@code bench/scenario} or
 * {@code bench/compare} (tun {@code tb0} = 10.99.0.1/24, peer 10.99.0.2), never in the host's.
 * May depend on jpair-core's public packages; on {@code sys} only in {@link io.jpair.bench.GsoFlood},
 * the offload scenario's UDP GSO sender ({@code DatagramChannel} cannot set {@code UDP_SEGMENT}).
 */
package io.jpair.bench;

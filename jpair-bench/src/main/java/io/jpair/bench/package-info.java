/**
 * The whole-path benchmark harness: {@link io.jpair.bench.Scenario} drives a real TUN device
 * through {@code TuntapPort} and {@code EpollReactor} exactly as a user program would, and prints
 * one machine-readable result line per run ({@code scenario=... size=... pps=... gbps=...
 * cpu_ns_per_pkt=... alloc_bytes_per_pkt=...}), mirroring the C baseline {@code tunbench.c}.
 *
 * <p>Scenarios run inside a network namespace prepared by {@code bench/scenario} or
 * {@code bench/compare} (tun {@code tb0} = 10.99.0.1/24, peer 10.99.0.2), never in the host's.
 * Depends on jpair-core's exported packages only (module {@code io.jpair.bench} requires
 * {@code io.jpair.core}, which does not export {@code io.jpair.sys}, so javac refuses any use of
 * it); the offload scenario's UDP GSO sender, which needs {@code UDP_SEGMENT}, is a python3 child
 * process ({@link io.jpair.bench.GsoFlood}).
 */
package io.jpair.bench;

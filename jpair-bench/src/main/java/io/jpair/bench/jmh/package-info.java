/**
 * JMH micro-benchmarks of jpair's per-packet building blocks: checksums, reactor dispatch, and
 * {@code TuntapPort.doRead} through the in-memory I/O system.
 *
 * <p>Every benchmark extends {@link io.jpair.bench.jmh.AbstractMicrobenchmark}, which fixes forks,
 * warm-up and JVM arguments; packet-sized ones extend
 * {@link io.jpair.bench.jmh.AbstractPacketBenchmark} for the {@code @Param} over sizes. Run them
 * with {@code -prof gc} to see {@code gc.alloc.rate.norm} (bytes per operation), which must be
 * about 0 for the packet path. Nothing here asserts on time, and nothing runs in the test suite.
 *
 * <p>May depend on jpair-core's public packages ({@code reactor}, {@code transport},
 * {@code tuntap}, {@code testing}) and on {@code sys} only for benchmark plumbing (a pipe).
 */
package io.jpair.bench.jmh;

package io.jpair.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The settings every jpair benchmark shares (Netty's {@code AbstractMicrobenchmark}): one fork
 * with native access enabled and a fixed heap, 5 x 1 s warm-up, 5 x 1 s measurement, average
 * time in nanoseconds per operation. A subclass may override any of these with its own
 * annotation.
 *
 * <p>Run: {@code java -jar jpair-bench/target/benchmarks.jar -prof gc} (all), or name a class,
 * e.g. {@code java -jar jpair-bench/target/benchmarks.jar ChecksumBenchmark -prof gc}.
 */
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms512m", "-Xmx512m",
    "-XX:+UseParallelGC"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public abstract class AbstractMicrobenchmark {
    /** For subclasses. */
    protected AbstractMicrobenchmark() {
    }
}

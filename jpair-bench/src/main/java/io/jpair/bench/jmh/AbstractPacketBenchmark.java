package io.jpair.bench.jmh;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * A benchmark over packets of the sizes the whole-path scenarios use: a 64-byte and a 1400-byte
 * UDP payload (92 and 1428 bytes as IPv4 packets).
 */
@State(Scope.Thread)
public abstract class AbstractPacketBenchmark extends AbstractMicrobenchmark {
    /** IPv4 + UDP header bytes in front of the payload. */
    protected static final int HEADERS = 28;

    /** The UDP payload size in bytes. */
    @Param({"64", "1400"})
    public int payload;

    /** For subclasses. */
    protected AbstractPacketBenchmark() {
    }
}

package io.jpair.reactor;

import io.jpair.sys.LibC;
import io.jpair.sys.Pipe;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A real non-blocking pipe for reactor tests: its read end becomes readable when a byte is
 * written, and its write end is writable while the pipe has room. Closed by {@link #close()}.
 */
final class PipeFixture implements AutoCloseable {
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment scratch = arena.allocate(4096);
    final int readFd;
    final int writeFd;

    PipeFixture() {
        int[] fds = new int[2];
        int rc = Pipe.create(fds);
        if (rc < 0) {
            throw new IllegalStateException("pipe2 failed: " + rc);
        }
        readFd = fds[Pipe.READ_END];
        writeFd = fds[Pipe.WRITE_END];
    }

    /** Makes the read end readable. */
    void makeReadable() {
        scratch.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 1);
        long n = LibC.write(writeFd, scratch.address(), 1);
        if (n != 1) {
            throw new IllegalStateException("pipe write failed: " + n);
        }
    }

    /**
     * Reads whatever is buffered, so the read end is no longer readable.
     *
     * @return bytes drained
     */
    long drain() {
        long total = 0;
        long n;
        while ((n = LibC.read(readFd, scratch.address(), scratch.byteSize())) > 0) {
            total += n;
        }
        return total;
    }

    @Override
    public void close() {
        LibC.close(readFd);
        LibC.close(writeFd);
        arena.close();
    }
}

package io.jpair.sys;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.errno.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link LibC#read} and {@link LibC#write} (through {@code syscall(2)} here): results and {@code -errno}. */
class LibCTest {
    private final Arena arena = Arena.ofConfined();
    private final int[] pipe = new int[2];

    @BeforeEach
    void openPipe() {
        assertThat(Pipe.create(pipe)).isZero();
    }

    @AfterEach
    void closePipe() {
        LibC.close(pipe[Pipe.READ_END]);
        LibC.close(pipe[Pipe.WRITE_END]);
        arena.close();
    }

    @Test
    void writeThenReadMovesTheBytesAndReturnsTheirCount() {
        MemorySegment out = arena.allocateFrom("jpair");
        MemorySegment in = arena.allocate(64);

        assertThat(LibC.write(pipe[Pipe.WRITE_END], out.address(), 5)).isEqualTo(5);
        assertThat(LibC.read(pipe[Pipe.READ_END], in.address(), 64)).isEqualTo(5);
        assertThat(in.getString(0)).isEqualTo("jpair");
    }

    @Test
    void anEmptyNonBlockingReadReturnsMinusEagain() {
        MemorySegment in = arena.allocate(64);

        assertThat(LibC.read(pipe[Pipe.READ_END], in.address(), 64)).isEqualTo(-Errno.EAGAIN);
    }

    @Test
    void aClosedFdReturnsMinusEbadfForBoth() {
        MemorySegment buffer = arena.allocate(ValueLayout.JAVA_LONG);
        int fd = pipe[Pipe.READ_END];
        LibC.close(fd);
        pipe[Pipe.READ_END] = -1;

        assertThat(LibC.read(fd, buffer.address(), 8)).isEqualTo(-Errno.EBADF);
        assertThat(LibC.write(fd, buffer.address(), 8)).isEqualTo(-Errno.EBADF);
    }
}

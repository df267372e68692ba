package io.jpair.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * {@code pipe2(2)}: a unidirectional byte channel, two fds. jpair itself does not need pipes;
 * they are the cheapest real fds with controllable readiness, for testing the reactor against
 * the kernel. Returns follow {@link LibC}: result or {@code -errno}.
 */
public final class Pipe {
    /** Index of the read end in the array filled by {@link #create}. */
    public static final int READ_END = 0;
    /** Index of the write end in the array filled by {@link #create}. */
    public static final int WRITE_END = 1;

    private static final class Create {
        // int pipe2(int pipefd[2], int flags); https://man7.org/linux/man-pages/man2/pipe.2.html
        static final MethodHandle H = Downcalls.link("pipe2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    }

    private Pipe() {
    }

    /**
     * {@code pipe2(fds, O_NONBLOCK|O_CLOEXEC)}.
     *
     * @param fds receives the read end at {@link #READ_END} and the write end at
     *     {@link #WRITE_END}; length at least 2
     * @return 0, or {@code -errno} (then {@code fds} is unchanged)
     */
    public static int create(int[] fds) {
        if (fds.length < 2) {
            throw new IllegalArgumentException("pipe2 needs room for 2 fds, got " + fds.length);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pair = arena.allocate(JAVA_INT, 2);
            MemorySegment capture = Downcalls.capture();
            int result = (int) Downcalls.result(
                (int) Create.H.invokeExact(capture, pair, Arch.O_NONBLOCK | Arch.O_CLOEXEC), capture);
            Downcalls.trace("pipe2(O_NONBLOCK|O_CLOEXEC)", result);
            if (result == 0) {
                fds[READ_END] = pair.getAtIndex(JAVA_INT, 0);
                fds[WRITE_END] = pair.getAtIndex(JAVA_INT, 1);
            }
            return result;
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }
}

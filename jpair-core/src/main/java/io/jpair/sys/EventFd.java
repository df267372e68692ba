package io.jpair.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * {@code eventfd(2)}: a counter fd used to wake an epoll loop from another thread.
 * Increment with an 8-byte {@link LibC#write}, reset with an 8-byte {@link LibC#read}.
 */
public final class EventFd {
    /** {@code EFD_NONBLOCK}. */
    public static final int EFD_NONBLOCK = Arch.O_NONBLOCK;
    /** {@code EFD_CLOEXEC}. */
    public static final int EFD_CLOEXEC = Arch.O_CLOEXEC;

    private static final class Create {
        // int eventfd(unsigned int initval, int flags); https://man7.org/linux/man-pages/man2/eventfd.2.html
        static final MethodHandle H = Downcalls.link("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private EventFd() {
    }

    /**
     * {@code eventfd(0, EFD_NONBLOCK|EFD_CLOEXEC)}.
     *
     * @return the fd, or {@code -errno}
     */
    public static int create() {
        try {
            MemorySegment capture = Downcalls.capture();
            return (int) Downcalls.result(
                (int) Create.H.invokeExact(capture, 0, EFD_NONBLOCK | EFD_CLOEXEC), capture);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }
}

package io.jpair.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * {@code epoll(7)}: {@code epoll_create1}, {@code epoll_ctl}, {@code epoll_wait}, and the
 * {@code struct epoll_event} array they use.
 *
 * <pre>
 * struct epoll_event {
 *     uint32_t     events;   // offset 0
 *     epoll_data_t data;     // offset 4 on x86_64 (packed, 12 bytes), 8 elsewhere (16 bytes)
 * };
 * </pre>
 * jpair stores the fd in {@code data}. Returns follow {@link LibC}: result or {@code -errno}.
 */
public final class Epoll {
    /** {@code EPOLLIN}. */
    public static final int EPOLLIN = 0x001;
    /** {@code EPOLLOUT}. */
    public static final int EPOLLOUT = 0x004;
    /** {@code EPOLLERR}. */
    public static final int EPOLLERR = 0x008;
    /** {@code EPOLLHUP}. */
    public static final int EPOLLHUP = 0x010;
    /** {@code EPOLL_CTL_ADD}. */
    public static final int EPOLL_CTL_ADD = 1;
    /** {@code EPOLL_CTL_DEL}. */
    public static final int EPOLL_CTL_DEL = 2;
    /** {@code EPOLL_CTL_MOD}. */
    public static final int EPOLL_CTL_MOD = 3;
    /** {@code EPOLL_CLOEXEC}. */
    public static final int EPOLL_CLOEXEC = Arch.O_CLOEXEC;

    /** {@code sizeof(struct epoll_event)}. */
    public static final long EVENT_SIZE = Arch.EPOLL_EVENT_PACKED ? 12 : 16;
    private static final long DATA_OFFSET = Arch.EPOLL_EVENT_PACKED ? 4 : 8;
    private static final ValueLayout.OfLong DATA = JAVA_LONG.withByteAlignment(1);

    private static final class Create {
        // int epoll_create1(int flags); https://man7.org/linux/man-pages/man2/epoll_create1.2.html
        static final MethodHandle H = Downcalls.link("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    private static final class Ctl {
        // int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event); https://man7.org/linux/man-pages/man2/epoll_ctl.2.html
        static final MethodHandle H = Downcalls.link("epoll_ctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    }

    private static final class Wait {
        // int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout); https://man7.org/linux/man-pages/man2/epoll_wait.2.html
        static final MethodHandle H = Downcalls.link("epoll_wait",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT));
    }

    private Epoll() {
    }

    /**
     * An array of {@code count} events.
     *
     * @param arena where to allocate
     * @param count entries
     * @return the zeroed array
     */
    public static MemorySegment allocateEvents(Arena arena, int count) {
        return arena.allocate(MemoryLayout.sequenceLayout(count * EVENT_SIZE, ValueLayout.JAVA_BYTE), 8);
    }

    /**
     * {@code epoll_create1(EPOLL_CLOEXEC)}.
     *
     * @return the epoll fd, or {@code -errno}
     */
    public static int create() {
        try {
            MemorySegment capture = Downcalls.capture();
            return (int) Downcalls.result((int) Create.H.invokeExact(capture, EPOLL_CLOEXEC), capture);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code epoll_ctl(epfd, op, fd, {events, data = fd})}.
     *
     * @param epfd the epoll fd
     * @param op {@link #EPOLL_CTL_ADD}, {@link #EPOLL_CTL_MOD} or {@link #EPOLL_CTL_DEL}
     * @param fd the watched fd
     * @param events the interest set
     * @param scratch one event's worth of memory (reused)
     * @return 0, or {@code -errno}
     */
    public static int ctl(int epfd, int op, int fd, int events, MemorySegment scratch) {
        scratch.set(JAVA_INT, 0, events);
        scratch.set(DATA, DATA_OFFSET, fd);
        try {
            MemorySegment capture = Downcalls.capture();
            return (int) Downcalls.result((int) Ctl.H.invokeExact(capture, epfd, op, fd, scratch.address()), capture);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code epoll_wait}. Blocks up to {@code timeoutMillis}; {@code -EINTR} is a normal result.
     *
     * @param epfd the epoll fd
     * @param events an array from {@link #allocateEvents}
     * @param max its length
     * @param timeoutMillis -1 forever, 0 poll
     * @return the number of ready entries, or {@code -errno}
     */
    public static int waitEvents(int epfd, MemorySegment events, int max, int timeoutMillis) {
        try {
            MemorySegment capture = Downcalls.capture();
            return (int) Downcalls.result(
                (int) Wait.H.invokeExact(capture, epfd, events.address(), max, timeoutMillis), capture);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * The ready mask of entry {@code index}.
     *
     * @param events the array
     * @param index the entry
     * @return {@code EPOLLIN|EPOLLOUT|...}
     */
    public static int events(MemorySegment events, int index) {
        return events.get(JAVA_INT, index * EVENT_SIZE);
    }

    /**
     * The fd stored in entry {@code index}.
     *
     * @param events the array
     * @param index the entry
     * @return the fd
     */
    public static int fd(MemorySegment events, int index) {
        return (int) events.get(DATA, index * EVENT_SIZE + DATA_OFFSET);
    }
}

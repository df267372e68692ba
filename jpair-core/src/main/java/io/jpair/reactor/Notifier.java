package io.jpair.reactor;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.sys.EventFd;
import io.jpair.sys.LibC;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Reference;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A readable fd that any thread can make ready: an {@code eventfd(2)} counter. {@link #signal()}
 * adds one (from any thread); the fd is readable, level-triggered, until the reactor thread
 * {@link #drain() drains} it. Give its {@link #fileno()} to a {@link ReadDescriptor} to have a
 * reader woken by another thread with no task object per wake-up (many signals before a turn
 * cost one {@code doRead}), or to have a reader that is ready on every turn (signal once, never
 * drain), as jpair-bench's dispatch benchmark does.
 *
 * <pre>
 * int eventfd(unsigned int initval, int flags);   // EFD_NONBLOCK | EFD_CLOEXEC
 * write(fd, &amp;(uint64_t){1}, 8);                 // signal(): counter += 1
 * read(fd, &amp;count, 8);                            // drain(): count = counter, counter = 0
 * </pre>
 * See https://man7.org/linux/man-pages/man2/eventfd.2.html
 *
 * <p>Threads: {@link #signal()} from any thread; {@link #drain()} from the thread that reads (the
 * reactor thread); {@link #close()} once no thread signals any more (a signal racing a close
 * could reach an fd number the kernel has already given to another open). The reactor does not
 * own the notifier: remove the reader, then close the notifier.
 */
public final class Notifier implements AutoCloseable {
    /** Native memory tied to this object's reachability, so a late signal never writes freed memory. */
    private final MemorySegment one = Arena.ofAuto().allocate(ValueLayout.JAVA_LONG);
    private final MemorySegment count = Arena.ofAuto().allocate(ValueLayout.JAVA_LONG);
    private final AtomicInteger fd;

    private Notifier(int fd) {
        this.fd = new AtomicInteger(fd);
        one.set(ValueLayout.JAVA_LONG, 0, 1L);
    }

    /**
     * Creates a notifier with a count of zero (not readable).
     *
     * @return the notifier
     * @throws ErrnoException if {@code eventfd} fails (e.g. {@code EMFILE})
     */
    public static Notifier open() throws ErrnoException {
        int fd = EventFd.create();
        if (fd < 0) {
            throw new ErrnoException("eventfd", null, -fd);
        }
        return new Notifier(fd);
    }

    /**
     * The fd to watch for reading.
     *
     * @return the fd, or -1 once closed
     */
    public int fileno() {
        return fd.get();
    }

    /**
     * Adds one to the count, making the fd readable. Any thread; does not block; does nothing once
     * closed.
     */
    public void signal() {
        int f = fd.get();
        if (f >= 0) {
            // Fails only with EAGAIN at a count of 2^64 - 2, which leaves the fd readable anyway.
            LibC.write(f, one.address(), Long.BYTES);
        }
        Reference.reachabilityFence(one);
    }

    /**
     * Reads and resets the count: the fd is not readable afterwards until the next signal. On the
     * reading thread only.
     *
     * @return the signals since the last drain, 0 if none (or once closed)
     * @throws ErrnoException if the read fails with anything but {@code EAGAIN}
     */
    public long drain() throws ErrnoException {
        int f = fd.get();
        if (f < 0) {
            return 0;
        }
        long n = LibC.read(f, count.address(), Long.BYTES);
        long value = count.get(ValueLayout.JAVA_LONG, 0);
        Reference.reachabilityFence(count);
        if (n == Long.BYTES) {
            return value;
        }
        if (n == -Errno.EAGAIN) {
            return 0;
        }
        throw new ErrnoException("read(eventfd)", null, (int) -n);
    }

    /** Closes the fd, once however often it is called. */
    @Override
    public void close() {
        int f = fd.getAndSet(-1);
        if (f >= 0) {
            LibC.close(f);
        }
    }

    @Override
    public String toString() {
        return "Notifier[fd=" + fd.get() + "]";
    }
}

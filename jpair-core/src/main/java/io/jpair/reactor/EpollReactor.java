package io.jpair.reactor;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.sys.Epoll;
import io.jpair.sys.EventFd;
import io.jpair.sys.LibC;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The real reactor: level-triggered {@code epoll(7)}, an {@code eventfd} for wake-ups from other
 * threads, and a timer heap.
 *
 * <p>One turn ({@link #runOnce}) waits in {@code epoll_wait} until an fd is ready, the next timer
 * is due or another thread hands off work; then it calls {@code doRead} for readable readers,
 * {@code doWrite} for writable writers, due timers, and handed-off tasks, in that order. Readiness
 * dispatch allocates nothing: selectables are found through arrays indexed by fd.
 *
 * <p>Threading as documented on {@link Reactor}. Close it ({@link #close()}) when done; that
 * releases the epoll and eventfd descriptors but not the selectables'.
 */
public final class EpollReactor extends AbstractReactor implements AutoCloseable {
    private static final int MAX_EVENTS = 256;

    private final int epfd;
    private final int wakeFd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment events = Epoll.allocateEvents(arena, MAX_EVENTS);
    private final MemorySegment ctlScratch = Epoll.allocateEvents(arena, 1);
    private final MemorySegment wakeValue = arena.allocate(ValueLayout.JAVA_LONG);
    private final MemorySegment drainValue = arena.allocate(ValueLayout.JAVA_LONG);
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final Map<Selectable, Integer> registeredFd = new IdentityHashMap<>();
    private ReadDescriptor[] readerByFd = new ReadDescriptor[64];
    private WriteDescriptor[] writerByFd = new WriteDescriptor[64];
    private int[] interestByFd = new int[64];
    private volatile Thread thread;
    private volatile boolean stopRequested;
    private final AtomicBoolean running = new AtomicBoolean();
    private boolean closed;

    /**
     * Creates a reactor whose caught errors are logged.
     *
     * @throws ErrnoException if epoll or eventfd cannot be created
     */
    public EpollReactor() throws ErrnoException {
        this(null);
    }

    /**
     * Creates a reactor.
     *
     * @param errorHandler receives exceptions caught from callbacks; {@code null} logs them
     * @throws ErrnoException if epoll or eventfd cannot be created
     */
    public EpollReactor(ErrorHandler errorHandler) throws ErrnoException {
        super(errorHandler);
        int ep = Epoll.create();
        if (ep < 0) {
            throw new ErrnoException("epoll_create1", null, -ep);
        }
        int ev = EventFd.create();
        if (ev < 0) {
            LibC.close(ep);
            throw new ErrnoException("eventfd", null, -ev);
        }
        epfd = ep;
        wakeFd = ev;
        wakeValue.set(ValueLayout.JAVA_LONG, 0, 1L);
        int rc = Epoll.ctl(epfd, Epoll.EPOLL_CTL_ADD, wakeFd, Epoll.EPOLLIN, ctlScratch);
        if (rc < 0) {
            LibC.close(ep);
            LibC.close(ev);
            throw new ErrnoException("epoll_ctl(ADD eventfd)", null, -rc);
        }
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public boolean inReactorThread() {
        Thread owner = thread;
        return owner == null || owner == Thread.currentThread();
    }

    @Override
    protected void wakeUp() {
        if (wakePending.compareAndSet(false, true) && !closed) {
            LibC.write(wakeFd, wakeValue.address(), 8);
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the reader's fd is already closed ({@code -1})
     * @throws IllegalStateException if epoll refuses the fd (e.g. EPERM for a regular file); the
     *     reader is then not watched
     */
    @Override
    public void addReader(ReadDescriptor reader) {
        if (readers.contains(reader)) {
            return;
        }
        int fd = register(reader);
        try {
            updateInterest(fd, interestByFd[fd] | Epoll.EPOLLIN, reader);
        } catch (RuntimeException refused) {
            unregisterIfIdle(reader);
            throw refused;
        }
        readers.add(reader);
        readerByFd[fd] = reader;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the writer's fd is already closed ({@code -1})
     * @throws IllegalStateException if epoll refuses the fd; the writer is then not watched
     */
    @Override
    public void addWriter(WriteDescriptor writer) {
        if (writers.contains(writer)) {
            return;
        }
        int fd = register(writer);
        try {
            updateInterest(fd, interestByFd[fd] | Epoll.EPOLLOUT, writer);
        } catch (RuntimeException refused) {
            unregisterIfIdle(writer);
            throw refused;
        }
        writers.add(writer);
        writerByFd[fd] = writer;
    }

    @Override
    public void removeReader(ReadDescriptor reader) {
        if (readers.remove(reader)) {
            int fd = registeredFd.get(reader);
            readerByFd[fd] = null;
            updateInterest(fd, interestByFd[fd] & ~Epoll.EPOLLIN, reader);
            unregisterIfIdle(reader);
        }
    }

    @Override
    public void removeWriter(WriteDescriptor writer) {
        if (writers.remove(writer)) {
            int fd = registeredFd.get(writer);
            writerByFd[fd] = null;
            updateInterest(fd, interestByFd[fd] & ~Epoll.EPOLLOUT, writer);
            unregisterIfIdle(writer);
        }
    }

    private int register(Selectable selectable) {
        Integer known = registeredFd.get(selectable);
        if (known != null) {
            return known;
        }
        int fd = selectable.fileno();
        if (fd < 0) {
            throw new IllegalArgumentException(selectable.logPrefix() + ": cannot watch a closed fd (" + fd + ")");
        }
        if (fd >= interestByFd.length) {
            int size = Math.max(fd + 1, interestByFd.length * 2);
            readerByFd = Arrays.copyOf(readerByFd, size);
            writerByFd = Arrays.copyOf(writerByFd, size);
            interestByFd = Arrays.copyOf(interestByFd, size);
        }
        registeredFd.put(selectable, fd);
        return fd;
    }

    private void unregisterIfIdle(Selectable selectable) {
        if (!readers.contains(selectable) && !writers.contains(selectable)) {
            registeredFd.remove(selectable);
        }
    }

    private void updateInterest(int fd, int interest, Selectable owner) {
        int old = interestByFd[fd];
        if (old == interest) {
            return;
        }
        int op = old == 0 ? Epoll.EPOLL_CTL_ADD : interest == 0 ? Epoll.EPOLL_CTL_DEL : Epoll.EPOLL_CTL_MOD;
        int rc = Epoll.ctl(epfd, op, fd, interest, ctlScratch);
        // A closed fd has already left the epoll set: EBADF/ENOENT on DEL is expected.
        if (rc < 0 && !(op == Epoll.EPOLL_CTL_DEL && (rc == -Errno.EBADF || rc == -Errno.ENOENT))) {
            throw new IllegalStateException(owner.logPrefix() + ": "
                + new ErrnoException("epoll_ctl", "fd " + fd, -rc).getMessage());
        }
        interestByFd[fd] = interest;
    }

    @Override
    public void run() {
        // Clear a stale stop before claiming the loop, so a stop() issued as soon as
        // isRunning() turns true is never overwritten.
        if (running.get()) {
            throw new IllegalStateException("reactor is already running");
        }
        stopRequested = false;
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("reactor is already running");
        }
        thread = Thread.currentThread();
        try {
            while (!stopRequested) {
                runOnce(-1);
            }
        } finally {
            running.set(false);
        }
    }

    @Override
    public int runOnce(long timeoutNanos) {
        if (thread == null) {
            thread = Thread.currentThread();
        }
        int timeoutMillis = waitMillis(timeoutNanos);
        int ready = Epoll.waitEvents(epfd, events, MAX_EVENTS, timeoutMillis);
        int work = 0;
        if (ready < 0 && ready != -Errno.EINTR) {
            handleError(null, new ErrnoException("epoll_wait", null, -ready));
        }
        for (int i = 0; i < ready; i++) {
            int fd = Epoll.fd(events, i);
            int mask = Epoll.events(events, i);
            if (fd == wakeFd) {
                LibC.read(wakeFd, drainValue.address(), 8);
                wakePending.set(false);
                continue;
            }
            if ((mask & (Epoll.EPOLLIN | Epoll.EPOLLHUP | Epoll.EPOLLERR)) != 0) {
                ReadDescriptor reader = fd < readerByFd.length ? readerByFd[fd] : null;
                if (reader != null) {
                    dispatchRead(reader);
                    work++;
                }
            }
            if ((mask & (Epoll.EPOLLOUT | Epoll.EPOLLHUP | Epoll.EPOLLERR)) != 0) {
                WriteDescriptor writer = fd < writerByFd.length ? writerByFd[fd] : null;
                if (writer != null) {
                    dispatchWrite(writer);
                    work++;
                }
            }
        }
        work += runTimers();
        work += runHandedOff();
        return work;
    }

    private int waitMillis(long timeoutNanos) {
        if (timeoutNanos == 0 || hasHandedOff()) {
            return 0;
        }
        long next = timers.nextDeadline();
        long limit = timeoutNanos < 0 ? Long.MAX_VALUE : timeoutNanos;
        if (next != Long.MAX_VALUE) {
            limit = Math.min(limit, Math.max(0, next - nanoTime()));
        }
        if (limit == Long.MAX_VALUE) {
            return -1;
        }
        // Round up so a timer is never polled for in a busy loop just before it is due.
        long millis = (limit + 999_999) / 1_000_000;
        return (int) Math.min(millis, Integer.MAX_VALUE);
    }

    @Override
    public void stop() {
        stopRequested = true;
        wakeUp();
    }

    @Override
    public boolean isRunning() {
        return running.get();
    }

    /**
     * Releases the epoll and eventfd descriptors. Reactor thread (or after {@link #run()} has
     * returned); the reactor cannot be used afterwards.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LibC.close(epfd);
            LibC.close(wakeFd);
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "EpollReactor[epfd=" + epfd + ", readers=" + readers.size() + ", writers=" + writers.size() + "]";
    }
}

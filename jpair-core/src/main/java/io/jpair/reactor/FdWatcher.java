package io.jpair.reactor;

import io.jpair.sys.LibC;
import java.util.Objects;

/**
 * Puts any file descriptor on the reactor: a pipe, an {@code eventfd}, a socket or device opened
 * elsewhere (through FFM, inherited from a parent, received over a UNIX socket). The reactor calls
 * the {@link Handler} when the fd is readable or writable, level-triggered, on its thread; the
 * handler does its own non-blocking I/O on {@link #fileno()}.
 *
 * <pre>{@code
 * FdWatcher watcher = FdWatcher.borrow(reactor, fd, new FdWatcher.Handler() {
 *     public void readable(FdWatcher w) { ... read(w.fileno(), ...) until EAGAIN ... }
 * });
 * watcher.startReading();
 * ...
 * watcher.close();          // stops watching; a borrowed fd stays open
 * }</pre>
 *
 * <p><b>Ownership.</b> {@link #own} hands the fd to the watcher: it is closed exactly once, by
 * {@link #close()} or when the reactor drops the watcher. {@link #borrow} leaves it to the caller,
 * who must stop watching ({@link #close()}) before closing the fd, since epoll would otherwise keep
 * reporting a number the kernel may reuse. Put the fd in non-blocking mode first
 * ({@code O_NONBLOCK}): a blocking read would stall the whole reactor.
 *
 * <p><b>Errors.</b> An exception thrown by the handler disconnects the watcher, as for any
 * selectable: the reactor reports it to its {@link ErrorHandler}, removes the watcher and calls
 * {@link Handler#closed} with it (after closing an owned fd). Reactor thread only.
 */
public final class FdWatcher implements ReadDescriptor, WriteDescriptor {
    /** What to do when the fd is ready. Called on the reactor thread. */
    public interface Handler {
        /**
         * The fd is readable (or hung up, or has an error pending): read until {@code EAGAIN} or a
         * bound.
         *
         * @param watcher the watcher, for {@link FdWatcher#fileno()} and interest changes
         * @throws Exception to be disconnected
         */
        void readable(FdWatcher watcher) throws Exception;

        /**
         * The fd is writable. Does nothing by default; a handler that asks for writability
         * overrides it.
         *
         * @param watcher the watcher
         * @throws Exception to be disconnected
         */
        default void writable(FdWatcher watcher) throws Exception {
        }

        /**
         * The watcher stopped for good: {@link FdWatcher#close()} ({@link ConnectionDone}) or the
         * exception a callback threw. Does nothing by default.
         *
         * @param reason why
         */
        default void closed(Throwable reason) {
        }
    }

    private final Reactor reactor;
    private final Handler handler;
    private final boolean owned;
    private int fd;

    private FdWatcher(Reactor reactor, int fd, Handler handler, boolean owned) {
        if (fd < 0) {
            throw new IllegalArgumentException("not a file descriptor: " + fd);
        }
        this.reactor = Objects.requireNonNull(reactor, "reactor");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.fd = fd;
        this.owned = owned;
    }

    /**
     * Watches an fd the watcher takes over: closed by {@link #close()} or when the reactor drops the
     * watcher.
     *
     * @param reactor the reactor
     * @param fd the descriptor, non-blocking
     * @param handler the callbacks
     * @return the watcher, not yet watching
     */
    public static FdWatcher own(Reactor reactor, int fd, Handler handler) {
        return new FdWatcher(reactor, fd, handler, true);
    }

    /**
     * Watches an fd the caller keeps: never closed by the watcher.
     *
     * @param reactor the reactor
     * @param fd the descriptor, non-blocking
     * @param handler the callbacks
     * @return the watcher, not yet watching
     */
    public static FdWatcher borrow(Reactor reactor, int fd, Handler handler) {
        return new FdWatcher(reactor, fd, handler, false);
    }

    @Override
    public int fileno() {
        return fd;
    }

    /**
     * Whether {@link #close()} closes the fd.
     *
     * @return true for {@link #own}
     */
    public boolean isOwned() {
        return owned;
    }

    /**
     * Whether the watcher can still watch.
     *
     * @return false once closed
     */
    public boolean isOpen() {
        return fd >= 0;
    }

    /** Calls {@link Handler#readable} whenever the fd is readable. */
    public void startReading() {
        requireOpen();
        reactor.addReader(this);
    }

    /** Stops calling {@link Handler#readable}. */
    public void stopReading() {
        reactor.removeReader(this);
    }

    /** Calls {@link Handler#writable} whenever the fd is writable. */
    public void startWriting() {
        requireOpen();
        reactor.addWriter(this);
    }

    /** Stops calling {@link Handler#writable}. */
    public void stopWriting() {
        reactor.removeWriter(this);
    }

    private void requireOpen() {
        if (fd < 0) {
            throw new IllegalStateException("FdWatcher is closed");
        }
    }

    @Override
    public void doRead() throws Exception {
        handler.readable(this);
    }

    @Override
    public void doWrite() throws Exception {
        handler.writable(this);
    }

    /** Stops watching, closes an owned fd and calls {@link Handler#closed} with {@link ConnectionDone}. Idempotent. */
    public void close() {
        connectionLost(new ConnectionDone("FdWatcher closed"));
    }

    /**
     * Stops watching, closes an owned fd (once) and tells the handler. Idempotent.
     *
     * @param reason why
     */
    @Override
    public void connectionLost(Throwable reason) {
        if (fd < 0) {
            return;
        }
        reactor.removeReader(this);
        reactor.removeWriter(this);
        int closing = fd;
        fd = -1;
        if (owned) {
            LibC.close(closing);
        }
        handler.closed(reason);
    }

    @Override
    public String logPrefix() {
        return "fd " + fd;
    }

    @Override
    public String toString() {
        return "FdWatcher[fd=" + fd + (owned ? ", owned" : ", borrowed") + "]";
    }
}

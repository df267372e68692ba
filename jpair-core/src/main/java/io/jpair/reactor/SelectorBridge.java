package io.jpair.reactor;

import io.jpair.errno.ErrnoException;
import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.Semaphore;

/**
 * Puts JDK {@link SelectableChannel}s ({@code SocketChannel}, {@code DatagramChannel},
 * {@code ServerSocketChannel}, {@code Pipe} channels, ...) on the reactor: their readiness is
 * delivered to a {@link Handler} on the reactor thread, with the channel's {@link SelectionKey}.
 *
 * <pre>{@code
 * SelectorBridge bridge = SelectorBridge.open(reactor);
 * channel.configureBlocking(false);
 * SelectorBridge.Registration watch = bridge.register(channel, SelectionKey.OP_READ,
 *     key -> { ... ((DatagramChannel) key.channel()).receive(buffer) ... });
 * ...
 * watch.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
 * bridge.close();                    // channels stay open
 * }</pre>
 *
 * <p><b>How, and what it costs.</b> The JDK gives no public way to learn a channel's fd (only
 * {@code sun.nio.ch} internals, which need {@code --add-exports}), and a JDK {@link Selector} does
 * not expose its epoll fd either, so the channels cannot join the reactor's own epoll set. The
 * bridge therefore runs a JDK selector on one daemon thread: when {@code select()} finds ready
 * keys, that thread signals a {@link Notifier} (an {@code eventfd} the reactor watches) and
 * waits; the reactor thread runs the handlers for the selected keys, then lets the selector thread
 * select again. Per batch of readiness that is two thread hand-offs and about four extra system
 * calls (the eventfd write and read, and the selector's own), so a bridged channel costs
 * microseconds of latency and some CPU more than an fd on the reactor itself. Nothing is
 * allocated per batch beyond what the JDK selector does. For sockets on the hot path use
 * {@code io.jpair.socket} (kernel TCP) or {@link FdWatcher} (any fd); use the bridge to integrate
 * code that already speaks {@code java.nio}.
 *
 * <p><b>Threading.</b> {@link #register}, the {@link Registration} methods and {@link #close()}
 * on the reactor thread. Handlers run on the reactor thread while the selector thread waits, so
 * they may use the key and channel freely. A handler that throws has its key cancelled (the
 * channel stays open) and the exception goes to the reactor's {@link ErrorHandler}.
 */
public final class SelectorBridge implements AutoCloseable {
    /** Runs when a registered channel is ready. */
    @FunctionalInterface
    public interface Handler {
        /**
         * The channel is ready for some of its interest set ({@link SelectionKey#readyOps()}).
         *
         * @param key the channel's key in the bridge's selector
         * @throws Exception to have the key cancelled and the error reported
         */
        void ready(SelectionKey key) throws Exception;
    }

    /** One channel's registration with the bridge. Reactor thread only. */
    public final class Registration {
        private final SelectionKey key;

        private Registration(SelectionKey key) {
            this.key = key;
        }

        /**
         * The channel's key.
         *
         * @return the key
         */
        public SelectionKey key() {
            return key;
        }

        /**
         * Changes the events watched, effective at once (the selector thread is woken).
         *
         * @param ops {@code SelectionKey.OP_*} bits the channel supports
         */
        public void interestOps(int ops) {
            key.interestOps(ops);
            selector.wakeup();
        }

        /** Stops watching the channel; it stays open. */
        public void cancel() {
            key.cancel();
            selector.wakeup();
        }
    }

    private final Reactor reactor;
    private final Selector selector;
    private final Notifier notifier;
    private final Semaphore dispatched = new Semaphore(0);
    private final Thread thread;
    private final ReadDescriptor reader;
    private volatile boolean closed;
    private volatile boolean selected;

    private SelectorBridge(Reactor reactor, Selector selector, Notifier notifier) {
        this.reactor = reactor;
        this.selector = selector;
        this.notifier = notifier;
        this.reader = new ReadDescriptor() {
            @Override
            public int fileno() {
                return notifier.fileno();
            }

            @Override
            public void doRead() throws ErrnoException {
                notifier.drain();
                dispatch();
            }

            @Override
            public void connectionLost(Throwable reason) {
                close();
            }

            @Override
            public String logPrefix() {
                return "selector bridge";
            }
        };
        this.thread = Thread.ofPlatform().name("jpair-selector-bridge").daemon().unstarted(this::selectLoop);
    }

    /**
     * Opens a JDK selector, watches its hand-off {@code eventfd} on {@code reactor} and starts the
     * selector thread. Reactor thread (or before it runs).
     *
     * @param reactor the reactor the handlers run on
     * @return the bridge
     * @throws IOException if the selector or the eventfd cannot be opened
     */
    public static SelectorBridge open(Reactor reactor) throws IOException {
        Objects.requireNonNull(reactor, "reactor");
        Notifier notifier = Notifier.open();
        Selector selector;
        try {
            selector = Selector.open();
        } catch (IOException e) {
            notifier.close();
            throw e;
        }
        SelectorBridge bridge = new SelectorBridge(reactor, selector, notifier);
        try {
            reactor.addReader(bridge.reader);
        } catch (RuntimeException e) {
            notifier.close();
            selector.close();
            throw e;
        }
        bridge.thread.start();
        return bridge;
    }

    /**
     * Watches a non-blocking channel.
     *
     * @param channel the channel, in non-blocking mode
     * @param ops the {@code SelectionKey.OP_*} interest set
     * @param handler runs on the reactor thread when the channel is ready
     * @return the registration
     * @throws IOException if the channel is closed or blocking
     */
    public Registration register(SelectableChannel channel, int ops, Handler handler) throws IOException {
        Objects.requireNonNull(handler, "handler");
        if (closed) {
            throw new IllegalStateException("SelectorBridge is closed");
        }
        SelectionKey key = channel.register(selector, ops, handler);
        selector.wakeup();
        return new Registration(key);
    }

    private void selectLoop() {
        try {
            while (!closed) {
                if (selector.select() == 0 && selector.selectedKeys().isEmpty()) {
                    continue;
                }
                if (closed) {
                    return;
                }
                selected = true;
                notifier.signal();
                dispatched.acquireUninterruptibly();
            }
        } catch (IOException | ClosedSelectorException e) {
            if (!closed) {
                reactor.callFromThread(() -> {
                    throw new IllegalStateException("selector bridge stopped: " + e.getMessage(), e);
                });
            }
        }
    }

    /** On the reactor thread while the selector thread waits: runs the handlers of the selected keys. */
    private void dispatch() {
        if (!selected) {
            return;
        }
        selected = false;
        try {
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                if (!key.isValid()) {
                    continue;
                }
                try {
                    ((Handler) key.attachment()).ready(key);
                } catch (Exception e) {
                    key.cancel();
                    reactor.callFromThread(() -> {
                        throw new IllegalStateException("selector bridge handler for " + key.channel() + " failed", e);
                    });
                }
            }
        } finally {
            dispatched.release();
        }
    }

    /**
     * Whether the bridge is running.
     *
     * @return false once closed
     */
    public boolean isOpen() {
        return !closed;
    }

    /**
     * Stops the selector thread, closes the selector (cancelling every key; the channels stay
     * open) and the eventfd. Idempotent; reactor thread.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        reactor.removeReader(reader);
        selector.wakeup();
        dispatched.release();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // Closing a selector only deregisters keys; nothing is left to release.
        }
        notifier.close();
    }
}

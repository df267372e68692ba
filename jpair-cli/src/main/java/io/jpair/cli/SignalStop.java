package io.jpair.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Stops a long-running command cleanly on Ctrl-C (SIGINT) or SIGTERM. The JVM runs its shutdown
 * hooks for both; this one asks the command to stop (typically: stop the port and the reactor,
 * from the reactor thread) and then holds the JVM until the command has released its devices and
 * files ({@link #close()}), for a bounded time ({@value #GRACE_SECONDS} seconds by default), and
 * until its last lines are written ({@link ProcessOutput#drain()}, bounded too).
 *
 * <pre>{@code
 * try (SignalStop signals = new SignalStop(() -> reactor.callFromThread(this::stop))) {
 *     reactor.run();          // returns after stop, on a signal or when the work is done
 *     ... release ...
 * }                           // lets a pending shutdown proceed
 * }</pre>
 */
final class SignalStop implements AutoCloseable {
    /** How long a signal waits, by default, for the command to release what it holds. */
    static final int GRACE_SECONDS = 5;

    private final Thread hook;
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile boolean signalled;

    /**
     * Installs the hook.
     *
     * @param stop asks the command to stop; called on the hook's thread, must not block
     */
    SignalStop(Runnable stop) {
        this(stop, GRACE_SECONDS);
    }

    /**
     * Installs the hook with another grace period.
     *
     * @param stop asks the command to stop; called on the hook's thread, must not block
     * @param graceSeconds how long the JVM waits for {@link #close()} after a signal
     */
    SignalStop(Runnable stop, int graceSeconds) {
        hook = new Thread(() -> {
            signalled = true;
            stop.run();
            try {
                released.await(graceSeconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ProcessOutput.drain();
        }, "jpair-signal-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Whether a signal (or {@code System.exit} elsewhere) started the JVM's shutdown.
     *
     * @return true once the hook ran
     */
    boolean signalled() {
        return signalled;
    }

    /** The command has released everything: a pending shutdown may finish; the hook is removed. */
    @Override
    public void close() {
        released.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is already shutting down: the hook has run or is running.
        }
    }
}

package io.jpair.reactor;

/**
 * Handing work to the reactor thread (Twisted's {@code IReactorThreads.callFromThread}).
 */
public interface ReactorThreads {
    /**
     * Runs {@code task} on the reactor thread as soon as possible, in submission order, waking
     * the reactor if it is blocked. Thread-safe: this is how other threads talk to ports.
     *
     * @param task what to run
     */
    void callFromThread(Runnable task);

    /**
     * Whether the caller is the reactor thread.
     *
     * @return true on the thread running the loop (and, before the loop has run, on any thread)
     */
    boolean inReactorThread();
}

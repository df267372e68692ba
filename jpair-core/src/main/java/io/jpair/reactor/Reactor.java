package io.jpair.reactor;

/**
 * An event loop: fd readiness, timers and thread hand-off in one thread (Twisted's reactor,
 * facets {@link ReactorFdSet}, {@link ReactorTime} and {@link ReactorThreads}).
 *
 * <p>Threading: {@link #callFromThread}, {@link #stop()}, {@link #nanoTime()} and
 * {@link #inReactorThread()} are thread-safe; everything else belongs to the reactor thread (or
 * to whoever sets up before {@link #run()}).
 *
 * <p>Errors: an exception from {@code doRead}/{@code doWrite} disconnects that selectable
 * ({@link Selectable#connectionLost} with the exception); an exception from a task or from
 * {@code connectionLost} goes to the {@link ErrorHandler}. Nothing escapes {@link #run()}.
 */
public interface Reactor extends ReactorFdSet, ReactorTime, ReactorThreads {
    /**
     * Runs the loop on the calling thread until {@link #stop()}.
     *
     * @throws IllegalStateException if the loop is already running
     */
    void run();

    /**
     * Runs one turn: waits up to {@code timeoutNanos} for readiness (less if a timer is due
     * sooner), then dispatches ready selectables, due timers and handed-off tasks. For driving the
     * loop from a caller's own cycle or a test.
     *
     * @param timeoutNanos 0 to poll, negative to wait for the first event
     * @return how many callbacks ran
     */
    int runOnce(long timeoutNanos);

    /**
     * Asks the loop to return from {@link #run()} after its current turn. Thread-safe.
     */
    void stop();

    /**
     * Whether {@link #run()} is executing.
     *
     * @return true while running
     */
    boolean isRunning();

    /**
     * How many exceptions the loop has caught so far (from all callbacks).
     *
     * @return the count
     */
    long errorCount();

    /**
     * Removes a selectable as reader and writer and calls its {@code connectionLost(reason)},
     * sending any exception from that to the error handler: what the loop does when
     * {@code doRead}/{@code doWrite} throws.
     *
     * @param selectable what to disconnect
     * @param reason why
     */
    void disconnect(Selectable selectable, Throwable reason);
}

package io.jpair.reactor;

/**
 * A call scheduled by {@link ReactorTime#callLater} (Twisted's {@code IDelayedCall}).
 */
public interface DelayedCall {
    /**
     * Cancels the call if it has not run yet. Thread-safe.
     *
     * @return true if this call cancelled it; false if it had already run or been cancelled
     */
    boolean cancel();

    /**
     * Whether the call is still to run.
     *
     * @return false once it ran or was cancelled
     */
    boolean isActive();

    /**
     * When the call is due.
     *
     * @return the deadline on the reactor's {@link ReactorTime#nanoTime()} clock
     */
    long time();
}

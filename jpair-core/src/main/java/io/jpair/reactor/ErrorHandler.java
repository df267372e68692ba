package io.jpair.reactor;

/**
 * Receives exceptions the reactor caught from callbacks, so they never escape the loop (Agrona's
 * {@code ErrorHandler}). Called on the reactor thread; must not throw.
 */
@FunctionalInterface
public interface ErrorHandler {
    /**
     * An exception was caught.
     *
     * @param source the selectable whose callback threw, or {@code null} for a scheduled task
     * @param error the exception
     */
    void onError(Selectable source, Throwable error);
}

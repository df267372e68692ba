package io.jpair.reactor;

/**
 * Something a reactor can watch: an fd plus the way to tell its owner the fd is finished
 * (Twisted's {@code IFileDescriptor} and {@code ILoggingContext}).
 *
 * <p>Called on the reactor thread only.
 */
public interface Selectable {
    /**
     * The descriptor to watch.
     *
     * @return the fd, or -1 once it is closed
     */
    int fileno();

    /**
     * The reactor removed this selectable because it failed or was closed; release its resources.
     *
     * @param reason why: a {@link ConnectionDone} for an orderly close, or the exception thrown by
     *     {@code doRead}/{@code doWrite}
     */
    void connectionLost(Throwable reason);

    /**
     * A short prefix for log lines about this selectable.
     *
     * @return the prefix; {@code "-"} by default
     */
    default String logPrefix() {
        return "-";
    }
}

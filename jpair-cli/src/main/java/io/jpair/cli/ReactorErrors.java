package io.jpair.cli;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.reactor.ErrorHandler;
import io.jpair.reactor.Selectable;
import io.jpair.tuntap.TuntapPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reactor's error handler for {@code jpair host} and {@code jpair capture}. Every error the
 * reactor catches is logged in one line ({@link ErrorReport#oneLine}); {@code --verbose} adds the
 * stack trace. An error from the command's {@link TuntapPort} means the reactor is disconnecting
 * it (its {@code connectionLost} gets the same exception), so there is nothing left to serve: the
 * failure is kept for {@link #portFailure()} (no log line: the command's own error line says it)
 * and the command is asked to stop, so it exits with status 1 instead of idling forever. A device
 * deleted under the port ({@code read} fails with {@code EBADFD}) reads "jt0 was deleted".
 *
 * <p>Called on the reactor thread.
 */
final class ReactorErrors implements ErrorHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ReactorErrors.class);

    private final boolean verbose;
    private Runnable stop = () -> { };
    private volatile CommandException portFailure;

    /**
     * Creates the handler.
     *
     * @param verbose whether to log stack traces ({@code --verbose})
     */
    ReactorErrors(boolean verbose) {
        this.verbose = verbose;
    }

    /**
     * Sets how the command stops when its port fails (once the port exists).
     *
     * @param stop asks the command to stop; run through the reactor's hand-off queue
     */
    void stopWith(Runnable stop) {
        this.stop = stop;
    }

    @Override
    public void onError(Selectable source, Throwable error) {
        if (source instanceof TuntapPort port) {
            if (portFailure == null) {
                portFailure = new CommandException(describe(port.interfaceName(), error), error);
                port.reactor().callFromThread(stop);
            }
            return;
        }
        String where = source == null ? "scheduled call" : source.logPrefix();
        if (verbose) {
            LOG.error("{}: {}", where, ErrorReport.oneLine(error), error);
        } else {
            LOG.error("{}: {}", where, ErrorReport.oneLine(error));
        }
    }

    /**
     * Why the port was lost.
     *
     * @return the failure to report (exit status 1), or {@code null} if the port did not fail
     */
    CommandException portFailure() {
        return portFailure;
    }

    /**
     * The one line for a port's failure.
     *
     * @param device the device name
     * @param error what the reactor caught
     * @return e.g. {@code "jt0 was deleted (read: EBADFD)"}
     */
    static String describe(String device, Throwable error) {
        if (error instanceof ErrnoException errno && errno.errno() == Errno.EBADFD) {
            return device + " was deleted (" + errno.operation() + ": " + Errno.name(Errno.EBADFD) + ")";
        }
        return device + " failed: " + ErrorReport.oneLine(error);
    }
}

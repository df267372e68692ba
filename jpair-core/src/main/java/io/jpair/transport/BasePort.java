package io.jpair.transport;

import io.jpair.reactor.ConnectionDone;
import io.jpair.reactor.DelayedCall;
import io.jpair.reactor.Reactor;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listening port (Twisted's {@code twisted.internet.base.BasePort}): a packet port writes each
 * packet synchronously, so it never has bytes in {@link FileDescriptor}'s buffer. Every method of
 * Twisted's list still does something sensible on it: {@link #doWrite()} has nothing to flush and
 * stops asking for writability; {@link #loseWriteConnection()} closes the write side at once
 * (later writes are refused) and leaves the port reading. Unlike Twisted, neither disconnects the
 * port: Twisted's {@code doWrite} raised, and the reactor then dropped the port.
 *
 * <p>It also owns the stop lifecycle every port shares: {@link #stopListening()} stops reading at
 * once and closes on the next reactor turn; {@link #connectionLost} sends held writes, stops the
 * protocol, releases the fd exactly once (even if the protocol's stop throws) and completes the
 * stop future. A subclass supplies the steps ({@link #isOpen()}, {@link #stopProtocol()},
 * {@link #release()}) and calls {@link #listeningStarted()} when it (re)opens.
 */
public abstract class BasePort extends FileDescriptor implements ListeningPort {
    private static final Logger LOG = LoggerFactory.getLogger(BasePort.class);

    private boolean reading;
    private CompletableFuture<Void> stopFuture;
    private DelayedCall pendingStop;

    /**
     * Creates the port.
     *
     * @param reactor its reactor
     */
    protected BasePort(Reactor reactor) {
        super(reactor);
    }

    /** Nothing is ever buffered: stops asking the reactor for writability. */
    @Override
    public void doWrite() {
        stopWriting();
    }

    /** Closes the write side now (there is no buffer to drain); reading goes on. */
    @Override
    public void loseWriteConnection() {
        closeWriteSideNow();
    }

    /**
     * Never called: a port's writes do not go through the buffer.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    protected int writeSomeData(ByteBuffer data) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " writes packets, not buffered bytes");
    }

    /**
     * Sends writes the port holds for batching (Netty's {@code flush}); the port runs it before it
     * closes, so nothing written before {@link #stopListening()} is lost.
     */
    public abstract void flush();

    /**
     * Whether the port has an fd to release.
     *
     * @return true between a successful open and {@link #release()}
     */
    protected abstract boolean isOpen();

    /** Detaches and stops the protocol; may throw (the fd is released all the same). */
    protected abstract void stopProtocol();

    /** Closes the fd exactly once and frees what the port allocated for it. */
    protected abstract void release();

    /** Cancels the subclass's own timers before closing. Does nothing by default. */
    protected void cancelTimers() {
    }

    /**
     * Marks the port open again for a (re)start: connected, no stop pending. Call after the fd is
     * open and before connecting the protocol.
     */
    protected final void listeningStarted() {
        reopened();
        stopFuture = null;
        pendingStop = null;
    }

    @Override
    public void startReading() {
        reading = true;
        super.startReading();
    }

    @Override
    public void stopReading() {
        reading = false;
        super.stopReading();
    }

    /**
     * Whether the port is in the reactor's readers.
     *
     * @return true while reading
     */
    public boolean isReading() {
        return reading;
    }

    /**
     * Stops reading now and closes on the next reactor turn.
     *
     * @return completes after {@code connectionLost}; the same future for repeated calls while
     *     stopping; an already-completed one if the port is not listening. Cancelling it does not
     *     cancel the close.
     */
    @Override
    public CompletableFuture<Void> stopListening() {
        if (connected || reading) {
            stopReading();
        }
        if (disconnecting && stopFuture != null) {
            return stopFuture;
        }
        if (connected) {
            disconnecting = true;
            stopFuture = new CompletableFuture<>();
            pendingStop = reactor.callLater(Duration.ZERO, () -> connectionLost(new ConnectionDone("stopListening")));
            return stopFuture;
        }
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Releases everything: sends held writes, leaves the reactor, stops the protocol, releases the
     * fd exactly once (even if the protocol's stop throws), completes the stop future. Idempotent.
     *
     * @param reason why
     */
    @Override
    public void connectionLost(Throwable reason) {
        if (pendingStop != null) {
            pendingStop.cancel();
            pendingStop = null;
        }
        cancelTimers();
        if (!isOpen()) {
            completeStop(null);
            return;
        }
        LOG.debug("({} closed: {})", logPrefix(), reason == null ? "" : reason.getMessage());
        flush();
        super.connectionLost(reason);
        Throwable failure = null;
        try {
            stopProtocol();
        } catch (Throwable t) {
            failure = t;
            LOG.error("{}: protocol stop failed", logPrefix(), t);
        } finally {
            release();
        }
        completeStop(failure);
    }

    private void completeStop(Throwable failure) {
        CompletableFuture<Void> future = stopFuture;
        if (future != null) {
            if (failure == null) {
                future.complete(null);
            } else {
                future.completeExceptionally(failure);
            }
        }
    }
}

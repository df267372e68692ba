package io.jpair.transport;

import io.jpair.reactor.Reactor;
import java.nio.ByteBuffer;

/**
 * A listening port that never writes through the buffered path (Twisted's
 * {@code twisted.internet.base.BasePort}): {@link #doWrite()} and {@link #writeSomeData} fail,
 * so a port either writes synchronously or not at all.
 */
public abstract class BasePort extends FileDescriptor implements ListeningPort {
    /**
     * Creates the port.
     *
     * @param reactor its reactor
     */
    protected BasePort(Reactor reactor) {
        super(reactor);
    }

    /**
     * Always fails: a port has no buffered writes.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public void doWrite() {
        throw new UnsupportedOperationException("doWrite called on a " + getClass().getSimpleName());
    }

    /**
     * Always fails: a port has no buffered writes.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    protected int writeSomeData(ByteBuffer data) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not implement writeSomeData");
    }
}

package io.jpair.transport;

import io.jpair.reactor.Reactor;
import java.nio.ByteBuffer;

/**
 * A listening port (Twisted's {@code twisted.internet.base.BasePort}): a packet port writes each
 * packet synchronously, so it never has bytes in {@link FileDescriptor}'s buffer. Every method of
 * Twisted's list still does something sensible on it: {@link #doWrite()} has nothing to flush and
 * stops asking for writability; {@link #loseWriteConnection()} closes the write side at once
 * (later writes are refused) and leaves the port reading. Unlike Twisted, neither disconnects the
 * port: Twisted's {@code doWrite} raised, and the reactor then dropped the port.
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
}

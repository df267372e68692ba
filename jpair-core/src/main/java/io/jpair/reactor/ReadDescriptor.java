package io.jpair.reactor;

/**
 * A selectable that reads when its fd is readable (Twisted's {@code IReadDescriptor}).
 */
public interface ReadDescriptor extends Selectable {
    /**
     * The fd is readable (or has hung up / errored): read what is there, bounded per call.
     *
     * <p>Called on the reactor thread. Throwing anything disconnects this selectable: the reactor
     * removes it as reader and writer and calls {@link #connectionLost} with the exception, then
     * goes on serving the others.
     *
     * @throws Exception to be disconnected
     */
    void doRead() throws Exception;
}

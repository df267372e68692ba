package io.jpair.reactor;

/**
 * A selectable that writes when its fd is writable (Twisted's {@code IWriteDescriptor}).
 */
public interface WriteDescriptor extends Selectable {
    /**
     * The fd is writable: flush buffered output.
     *
     * <p>Called on the reactor thread. Throwing anything disconnects this selectable, as for
     * {@link ReadDescriptor#doRead()}.
     *
     * @throws Exception to be disconnected
     */
    void doWrite() throws Exception;
}

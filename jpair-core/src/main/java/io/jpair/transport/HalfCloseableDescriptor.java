package io.jpair.transport;

/**
 * A descriptor whose read and write sides can be lost separately (Twisted's
 * {@code IHalfCloseableDescriptor}).
 */
public interface HalfCloseableDescriptor {
    /**
     * The read side is gone.
     *
     * @param reason why
     */
    void readConnectionLost(Throwable reason);

    /**
     * The write side is gone.
     *
     * @param reason why
     */
    void writeConnectionLost(Throwable reason);
}

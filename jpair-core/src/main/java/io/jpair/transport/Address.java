package io.jpair.transport;

/**
 * The address of a transport endpoint (Twisted's {@code IAddress}): a marker; implementations
 * define value equality.
 */
public interface Address {
}

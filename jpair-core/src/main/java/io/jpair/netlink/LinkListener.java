package io.jpair.netlink;

/**
 * Receives {@link LinkEvent}s from a {@link LinkMonitor}, on the reactor thread.
 *
 * <p>Exceptions thrown here are logged by the monitor and do not stop it.
 */
@FunctionalInterface
public interface LinkListener {
    /**
     * A link changed.
     *
     * @param event what changed
     */
    void linkChanged(LinkEvent event);
}

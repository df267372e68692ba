package io.jpair.netlink;

/**
 * A change to a network link, as {@link LinkMonitor} saw it in the kernel's {@code RTMGRP_LINK}
 * notifications.
 *
 * @param type what changed
 * @param index the interface index
 * @param name the interface name
 * @param flags the {@code IFF_*} flags after the change
 * @param mtu the MTU after the change
 * @param previousMtu the MTU before the change ({@link Type#MTU_CHANGED}); otherwise equal to
 *     {@code mtu}
 */
public record LinkEvent(Type type, int index, String name, int flags, int mtu, int previousMtu) {
    /** The kinds of change. */
    public enum Type {
        /** A link appeared. */
        ADDED,
        /** A link went away. */
        REMOVED,
        /** A link became administratively up ({@code IFF_UP} set). */
        UP,
        /** A link became administratively down ({@code IFF_UP} cleared). */
        DOWN,
        /** A link's MTU changed. */
        MTU_CHANGED
    }

    /**
     * Whether the link is administratively up after the change.
     *
     * @return true if {@code IFF_UP} is set
     */
    public boolean up() {
        return (flags & IfInfoMsg.IFF_UP) != 0;
    }
}

package io.jpair.neighbour;

/**
 * Told when a neighbour's link-layer address becomes known (an ARP reply, a neighbour
 * advertisement), e.g. to send packets that waited for it. Called on the reactor thread, from
 * inside the receive path.
 */
@FunctionalInterface
public interface NeighbourListener {
    /**
     * A neighbour was resolved.
     *
     * @param high the high 64 bits of the protocol address (0 for IPv4)
     * @param low the low 64 bits (for IPv4, the address in the low 32 bits)
     * @param mac its MAC, {@code long} form
     */
    void neighbourResolved(long high, long low, long mac);
}

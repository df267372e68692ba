package io.jpair.netlink;

/**
 * The state of a neighbour entry ({@code NUD_*} in {@code include/uapi/linux/neighbour.h}),
 * as {@code ip neigh add ... nud STATE} names it.
 */
public enum NeighbourState {
    /** {@code NUD_REACHABLE}: confirmed recently; ages to {@code STALE}. */
    REACHABLE(0x02),
    /** {@code NUD_STALE}: usable, but re-confirmed on next use. */
    STALE(0x04),
    /** {@code NUD_NOARP}: needs no resolution; never ages. */
    NOARP(0x40),
    /** {@code NUD_PERMANENT}: static, never ages or is replaced by traffic ({@code ip neigh add}'s default). */
    PERMANENT(0x80);

    private final int bits;

    NeighbourState(int bits) {
        this.bits = bits;
    }

    /**
     * The {@code NUD_*} value sent in {@code ndm_state}.
     *
     * @return e.g. {@code 0x80} for {@link #PERMANENT}
     */
    public int bits() {
        return bits;
    }

    /**
     * The state with these {@code NUD_*} bits.
     *
     * @param bits an {@code ndm_state}
     * @return the state, or {@code null} for one not listed here
     */
    public static NeighbourState of(int bits) {
        for (NeighbourState state : values()) {
            if (state.bits == bits) {
                return state;
            }
        }
        return null;
    }
}

package io.jpair.tunnel;

import java.util.Arrays;

/**
 * Replay rejection for counter nonces: a sliding window of the last {@value #WINDOW} counters
 * below the highest one seen, kept as a ring of 64-bit blocks (RFC 6479, the scheme of
 * WireGuard's {@code counter_validate}). A counter is fresh if it is above everything seen, or
 * inside the window and not seen yet; anything older than the window is refused, since it can no
 * longer be told from a replay. Counters are unsigned.
 *
 * <p>Check with {@link #isFresh} before authenticating (cheap, so replays cost no decryption),
 * and {@link #accept} only after the datagram authenticated: a forged counter must never move the
 * window. Allocation-free; one thread.
 */
public final class ReplayWindow {
    /** Bits in the ring. */
    private static final int RING_BITS = 2048;
    private static final int BLOCKS = RING_BITS / Long.SIZE;
    /** How far below the highest counter a counter may arrive and still be accepted once. */
    public static final int WINDOW = RING_BITS - Long.SIZE;

    private final long[] ring = new long[BLOCKS];
    private long highest;
    private boolean any;

    /** A window that has seen nothing: every counter is fresh. */
    public ReplayWindow() {
    }

    /**
     * What {@link #accept} would say, without changing anything.
     *
     * @param counter the datagram's counter
     * @return {@code null} if fresh, else {@link TunnelDrop#REPLAYED} or {@link TunnelDrop#TOO_OLD}
     */
    public TunnelDrop check(long counter) {
        if (!any || Long.compareUnsigned(counter, highest) > 0) {
            return null;
        }
        if (highest - counter >= WINDOW) {
            return TunnelDrop.TOO_OLD;
        }
        return (ring[block(counter)] & bit(counter)) != 0 ? TunnelDrop.REPLAYED : null;
    }

    /**
     * Whether a counter would be accepted.
     *
     * @param counter the datagram's counter
     * @return true if neither seen nor too old
     */
    public boolean isFresh(long counter) {
        return check(counter) == null;
    }

    /**
     * Records an authenticated counter.
     *
     * @param counter the datagram's counter
     * @return {@code null} if it was fresh (and is now recorded), else why it is refused
     */
    public TunnelDrop accept(long counter) {
        TunnelDrop refusal = check(counter);
        if (refusal != null) {
            return refusal;
        }
        if (!any || Long.compareUnsigned(counter, highest) > 0) {
            slideTo(counter);
        }
        ring[block(counter)] |= bit(counter);
        return null;
    }

    /** Moves the top to {@code counter}, clearing the blocks the window leaves behind. */
    private void slideTo(long counter) {
        long current = highest >>> 6;
        long next = counter >>> 6;
        long steps = any ? next - current : BLOCKS;
        if (Long.compareUnsigned(steps, BLOCKS) >= 0) {
            Arrays.fill(ring, 0L);
        } else {
            for (long i = 1; i <= steps; i++) {
                ring[(int) ((current + i) & (BLOCKS - 1))] = 0L;
            }
        }
        highest = counter;
        any = true;
    }

    /**
     * The highest counter accepted.
     *
     * @return it, or 0 before the first
     */
    public long highest() {
        return highest;
    }

    private static int block(long counter) {
        return (int) ((counter >>> 6) & (BLOCKS - 1));
    }

    private static long bit(long counter) {
        return 1L << (counter & 63);
    }
}

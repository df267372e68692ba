package io.jpair.wire;

import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.Objects;

/**
 * The registrations of a demultiplexer (Twisted's {@code addProto}): for each number of a header
 * field, an EtherType, an IP protocol number or a UDP port, the protocols that get its packets,
 * in the order they were added. {@code EthernetProtocol}, {@code IPProtocol} and
 * {@code RawUDPProtocol} each keep one, so adding, removing and looking up work the same in every
 * layer.
 *
 * <p>An array with one slot per possible number ({@code 1 << bits}), each holding an array of
 * protocols: {@link #get} is an index, never allocates and never returns {@code null}, so the
 * receive path can loop over its result directly. Registration copies the slot's array
 * (registrations are rare, packets are not). Adding a protocol twice delivers to it twice, as in
 * Twisted.
 *
 * <p>Reactor thread only, or before the stack starts.
 *
 * @param <P> the protocols of the layer above
 */
public final class DemuxTable<P> {
    private final int bits;
    private final P[] none;
    private final P[][] slots;

    /**
     * An empty table for numbers of {@code bits} bits.
     *
     * @param bits the width of the field: 8 for IP protocol numbers, 16 for EtherTypes and ports
     * @param none an empty array of the protocol type (the runtime type of every slot)
     */
    @SuppressWarnings("unchecked")
    public DemuxTable(int bits, P[] none) {
        if (bits < 1 || bits > 16) {
            throw new IllegalArgumentException("bits must be 1..16, not " + bits);
        }
        if (none.length != 0) {
            throw new IllegalArgumentException("none must be empty");
        }
        this.bits = bits;
        this.none = none;
        this.slots = (P[][]) Array.newInstance(none.getClass(), 1 << bits);
        Arrays.fill(slots, none);
    }

    /**
     * Registers {@code protocol} for {@code number}, after those already there.
     *
     * @param number 0 .. 2<sup>bits</sup> - 1
     * @param protocol the protocol
     * @throws IllegalArgumentException if {@code number} is out of range
     * @throws NullPointerException if {@code protocol} is null
     */
    public void add(int number, P protocol) {
        Objects.requireNonNull(protocol, () -> "Added protocol must be an instance of "
            + none.getClass().getComponentType().getSimpleName() + ", not null");
        if (number < 0) {
            throw new IllegalArgumentException("Added protocol must be positive or zero: " + number);
        }
        if (number >= slots.length) {
            throw new IllegalArgumentException("Added protocol must fit in " + bits + " bits: " + number);
        }
        P[] list = Arrays.copyOf(slots[number], slots[number].length + 1);
        list[list.length - 1] = protocol;
        slots[number] = list;
    }

    /**
     * Unregisters the first registration of {@code protocol} (the same object) for {@code number}.
     *
     * @param number the number it was added for (out of range: nothing is registered there)
     * @param protocol the protocol
     * @return true if it was registered
     */
    public boolean remove(int number, P protocol) {
        if (number < 0 || number >= slots.length) {
            return false;
        }
        P[] list = slots[number];
        for (int i = 0; i < list.length; i++) {
            if (list[i] == protocol) {
                P[] shorter = Arrays.copyOf(none, list.length - 1);
                System.arraycopy(list, 0, shorter, 0, i);
                System.arraycopy(list, i + 1, shorter, i, list.length - i - 1);
                slots[number] = shorter;
                return true;
            }
        }
        return false;
    }

    /**
     * The protocols registered for {@code number}, in registration order. The array is the
     * table's own: read it, do not change it.
     *
     * @param number 0 .. 2<sup>bits</sup> - 1 (the caller's header field guarantees the range)
     * @return the protocols, empty when there are none
     */
    public P[] get(int number) {
        return slots[number];
    }
}

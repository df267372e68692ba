package io.jpair.tuntap;

import io.jpair.tuntap.offload.VirtioNetHeader;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Native views of callers' direct buffers, one per slot, rebuilt only when a slot's buffer or
 * start changes: a write or read straight from or into a caller's buffer then allocates nothing
 * in steady state (a {@link MemorySegment#ofBuffer} per call would). Slots are batch indices for
 * {@link TunQueue} ({@link #at}); a port's send path looks its few buffers up by identity
 * ({@link #find}), replacing the oldest entry on a miss.
 */
final class SegmentCache {
    private ByteBuffer[] buffers;
    private int[] starts;
    private MemorySegment[] segments;
    private int victim;

    SegmentCache(int slots) {
        buffers = new ByteBuffer[slots];
        starts = new int[slots];
        segments = new MemorySegment[slots];
    }

    /**
     * The native memory of {@code buffer} from {@code start} to its capacity.
     *
     * @param slot the slot (grown on demand)
     * @param buffer a direct buffer
     * @param start index in the buffer
     * @return the view
     * @throws IllegalArgumentException for a heap buffer or a start outside it
     */
    MemorySegment at(int slot, ByteBuffer buffer, int start) {
        if (slot >= buffers.length) {
            int size = Math.max(slot + 1, buffers.length * 2);
            buffers = Arrays.copyOf(buffers, size);
            starts = Arrays.copyOf(starts, size);
            segments = Arrays.copyOf(segments, size);
        }
        if (buffers[slot] != buffer || starts[slot] != start) {
            if (!buffer.isDirect()) {
                throw new IllegalArgumentException("batch buffers must be direct ByteBuffers");
            }
            if (start < 0 || start >= buffer.capacity()) {
                throw new IllegalArgumentException("offset " + start + " outside a buffer of capacity "
                    + buffer.capacity() + " (is the head-room at least " + VirtioNetHeader.LENGTH + "?)");
            }
            segments[slot] = MemorySegment.ofBuffer(buffer.duplicate().clear()).asSlice(start);
            buffers[slot] = buffer;
            starts[slot] = start;
        }
        return segments[slot];
    }

    /**
     * The native memory of {@code buffer} from {@code start}, from whichever slot holds it; on a
     * miss the slots are taken in turn, so a handful of buffers written in rotation all stay.
     *
     * @param buffer a direct buffer
     * @param start index in the buffer
     * @return the view
     */
    MemorySegment find(ByteBuffer buffer, int start) {
        for (int i = 0; i < buffers.length; i++) {
            if (buffers[i] == buffer && starts[i] == start) {
                return segments[i];
            }
        }
        int slot = victim;
        victim = (victim + 1) % buffers.length;
        return at(slot, buffer, start);
    }
}

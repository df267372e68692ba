package io.jpair.tuntap.offload;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The writes a TUN port with write offload holds back until they are flushed:
 * each packet is copied into its own slot behind {@value VirtioNetHeader#LENGTH} bytes of
 * head-room; when the batch ends (or the slots run out) {@link GroTable} coalesces them into as
 * few super-packets as it can, and the port writes each slot that {@link #coalesce()} names.
 *
 * <p>A slot holds a whole IP packet (65,535 bytes), since a super-packet grows in its first
 * packet's slot: {@value #SLOTS} slots are about 4 MiB of native memory, allocated once per port.
 * Allocation-free after construction; reactor thread only.
 */
public final class WriteBatch {
    /** Packets held per batch: also the most segments one super-packet gets. */
    public static final int SLOTS = 64;
    /** The largest packet a slot holds (an IP packet); longer writes are not held. */
    public static final int MAX_PACKET = 65535;
    private static final int HEAD_ROOM = VirtioNetHeader.LENGTH;
    private static final int SLOT_SIZE = HEAD_ROOM + MAX_PACKET;

    private final MemorySegment[] segments = new MemorySegment[SLOTS];
    private final ByteBuffer[] slots = new ByteBuffer[SLOTS];
    private final GroTable gro;
    private final VirtioNetHeader header = new VirtioNetHeader();
    private int count;

    /**
     * Slots in {@code arena}.
     *
     * @param arena where the slots live (as long as the port)
     * @param udp coalesce UDP as well as TCP (only when the kernel accepted USO)
     */
    public WriteBatch(Arena arena, boolean udp) {
        MemorySegment all = arena.allocate((long) SLOT_SIZE * SLOTS, 64);
        for (int i = 0; i < SLOTS; i++) {
            segments[i] = all.asSlice((long) i * SLOT_SIZE, SLOT_SIZE);
            slots[i] = segments[i].asByteBuffer();
        }
        gro = new GroTable(SLOTS, true, udp);
    }

    /**
     * Whether nothing is held.
     *
     * @return true when empty
     */
    public boolean isEmpty() {
        return count == 0;
    }

    /**
     * Whether every slot holds a packet.
     *
     * @return true when full
     */
    public boolean isFull() {
        return count == SLOTS;
    }

    /**
     * How many packets are held.
     *
     * @return the count
     */
    public int size() {
        return count;
    }

    /**
     * Copies {@code packet[position, limit)} into the next slot; the caller checked {@link #isFull()}.
     *
     * @param packet the packet (position not moved)
     */
    public void add(ByteBuffer packet) {
        int length = packet.remaining();
        next(length).put(HEAD_ROOM, packet, packet.position(), length);
    }

    /**
     * Copies {@code packet} into the next slot; the caller checked {@link #isFull()}.
     *
     * @param packet the whole array is the packet
     */
    public void add(byte[] packet) {
        next(packet.length).put(HEAD_ROOM, packet, 0, packet.length);
    }

    /**
     * Copies the concatenation of {@code parts[offset, offset + n)} into the next slot as one packet.
     *
     * @param parts the pieces (positions not moved)
     * @param offset the first piece
     * @param n how many pieces
     * @param total their summed length, at most {@value #MAX_PACKET}
     */
    public void add(ByteBuffer[] parts, int offset, int n, int total) {
        ByteBuffer slot = next(total);
        int at = HEAD_ROOM;
        for (int i = offset; i < offset + n; i++) {
            ByteBuffer part = parts[i];
            int length = part.remaining();
            slot.put(at, part, part.position(), length);
            at += length;
        }
    }

    private ByteBuffer next(int length) {
        ByteBuffer slot = slots[count++];
        slot.limit(HEAD_ROOM + length).position(HEAD_ROOM);
        return slot;
    }

    /**
     * Coalesces the held packets and writes their virtio headers.
     *
     * @return how many packets to write: {@link #packet(int)} and {@link #length(int)} for
     *     {@code 0 <= w < result}
     */
    public int coalesce() {
        return gro.coalesce(slots, count, HEAD_ROOM);
    }

    /**
     * The {@code w}-th packet to write, virtio header first.
     *
     * @param w from 0 to what {@link #coalesce()} returned
     * @return its slot's memory
     */
    public MemorySegment packet(int w) {
        return segments[gro.writeIndices()[w]];
    }

    /**
     * The {@code w}-th packet's length with its virtio header.
     *
     * @param w as for {@link #packet}
     * @return bytes to write
     */
    public int length(int w) {
        return slots[gro.writeIndices()[w]].limit();
    }

    /**
     * How many of the held packets the {@code w}-th write carries.
     *
     * @param w as for {@link #packet}
     * @return 1, or more for a super-packet
     */
    public int packets(int w) {
        return gro.segmentCount(gro.writeIndices()[w]);
    }

    /**
     * The bytes of the held packets the {@code w}-th write carries: each one's headers count, as if
     * written one by one.
     *
     * @param w as for {@link #packet}
     * @return the bytes
     */
    public long originalBytes(int w) {
        ByteBuffer slot = slots[gro.writeIndices()[w]];
        int packets = packets(w);
        long bytes = slot.limit() - HEAD_ROOM;
        if (packets > 1) {
            bytes += (long) (packets - 1) * header.wrap(slot, 0).hdrLen();
        }
        return bytes;
    }

    /** Forgets the held packets (after they were written or dropped). */
    public void clear() {
        count = 0;
    }
}

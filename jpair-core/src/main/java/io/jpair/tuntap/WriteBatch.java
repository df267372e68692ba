package io.jpair.tuntap;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The writes a {@link TuntapPort} with write offload holds back while it delivers one read batch:
 * each packet is copied into its own slot behind {@value VirtioNetHeader#LENGTH} bytes of
 * head-room; when the batch ends (or the slots run out) {@link GroTable} coalesces them into as
 * few super-packets as it can, and the port writes each slot that {@link #coalesce()} names.
 *
 * <p>A slot holds a whole IP packet (65,535 bytes), since a super-packet grows in its first
 * packet's slot: {@value #SLOTS} slots are about 4 MiB of native memory, allocated once per port.
 * Allocation-free after construction; reactor thread only.
 */
final class WriteBatch {
    /** Packets held per batch: also the most segments one super-packet gets. */
    static final int SLOTS = 64;
    /** The largest packet a slot holds (an IP packet); longer writes are not held. */
    static final int MAX_PACKET = 65535;
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
    WriteBatch(Arena arena, boolean udp) {
        MemorySegment all = arena.allocate((long) SLOT_SIZE * SLOTS, 64);
        for (int i = 0; i < SLOTS; i++) {
            segments[i] = all.asSlice((long) i * SLOT_SIZE, SLOT_SIZE);
            slots[i] = segments[i].asByteBuffer();
        }
        gro = new GroTable(SLOTS, true, udp);
    }

    boolean isEmpty() {
        return count == 0;
    }

    boolean isFull() {
        return count == SLOTS;
    }

    int size() {
        return count;
    }

    /** Copies {@code packet[position, limit)} into the next slot; the caller checked {@link #isFull()}. */
    void add(ByteBuffer packet) {
        int length = packet.remaining();
        next(length).put(HEAD_ROOM, packet, packet.position(), length);
    }

    void add(byte[] packet) {
        next(packet.length).put(HEAD_ROOM, packet, 0, packet.length);
    }

    /** Copies the concatenation of {@code parts[offset, offset + n)} into the next slot as one packet. */
    void add(ByteBuffer[] parts, int offset, int n, int total) {
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
    int coalesce() {
        return gro.coalesce(slots, count, HEAD_ROOM);
    }

    /** The {@code w}-th packet to write, virtio header first. */
    MemorySegment packet(int w) {
        return segments[gro.writeIndices()[w]];
    }

    /** Its length with the virtio header. */
    int length(int w) {
        return slots[gro.writeIndices()[w]].limit();
    }

    /** How many of the held packets it carries. */
    int packets(int w) {
        return gro.segmentCount(gro.writeIndices()[w]);
    }

    /** The bytes of the held packets it carries: each one's headers count, as if written one by one. */
    long originalBytes(int w) {
        ByteBuffer slot = slots[gro.writeIndices()[w]];
        int packets = packets(w);
        long bytes = slot.limit() - HEAD_ROOM;
        if (packets > 1) {
            bytes += (long) (packets - 1) * header.wrap(slot, 0).hdrLen();
        }
        return bytes;
    }

    /** Forgets the held packets (after they were written or dropped). */
    void clear() {
        count = 0;
    }
}

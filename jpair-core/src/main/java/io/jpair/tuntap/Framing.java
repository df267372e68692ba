package io.jpair.tuntap;

import io.jpair.tuntap.offload.VirtioNetHeader;
import java.nio.ByteBuffer;

/**
 * How packets sit on a device fd: {@link PlainFraming} (the packet, as Twisted reads it) or
 * {@link VirtioFraming} (a virtio-net header before each packet, and super-packets to split).
 * {@link TuntapPort} has one read loop and one write path, and this strategy is the only place
 * that knows which of the two the fd speaks.
 */
abstract sealed class Framing permits PlainFraming, VirtioFraming {
    /**
     * The bytes before each packet on the fd.
     *
     * @return 0 or {@link io.jpair.tuntap.offload.VirtioNetHeader#LENGTH}
     */
    abstract int headerLength();

    /**
     * Hands every packet in what one read returned to {@code sink}.
     *
     * @param frame what was read, from index 0
     * @param length how many bytes were read
     * @param sink where packets go
     */
    abstract void deliver(ByteBuffer frame, int length, PacketSink sink);

    /**
     * Writes the header of one plain, complete packet at {@code at} (nothing without a header).
     *
     * @param buffer the buffer
     * @param at where the header starts
     */
    abstract void putHeader(ByteBuffer buffer, int at);
}

package io.jpair.tuntap;

import java.nio.ByteBuffer;

/** Where a {@link Framing} hands each packet it finds in what one read returned. */
@FunctionalInterface
interface PacketSink {
    /**
     * One packet, from {@code packet}'s position; valid during the call only.
     *
     * @param packet the packet (position to limit)
     * @param length its length
     */
    void packet(ByteBuffer packet, int length);
}

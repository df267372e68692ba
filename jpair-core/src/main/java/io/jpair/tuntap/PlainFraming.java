package io.jpair.tuntap;

import java.nio.ByteBuffer;

/** Packets alone on the fd: each read is one packet, each write one packet. */
final class PlainFraming extends Framing {
    static final PlainFraming INSTANCE = new PlainFraming();

    private PlainFraming() {
    }

    @Override
    int headerLength() {
        return 0;
    }

    @Override
    void deliver(ByteBuffer frame, int length, PacketSink sink) {
        frame.limit(length).position(0);
        sink.packet(frame, length);
    }

    @Override
    void putHeader(ByteBuffer buffer, int at) {
        // nothing precedes a plain packet
    }
}

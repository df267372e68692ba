package io.jpair.cli;

import io.jpair.transport.AbstractPacketProtocol;
import io.jpair.transport.RawPacketProtocol;
import java.nio.ByteBuffer;

/** Hands every IP packet of a TUN device to a {@link PacketRecorder}. */
final class TunCaptureProtocol extends AbstractPacketProtocol implements RawPacketProtocol {
    private final PacketRecorder recorder;

    TunCaptureProtocol(PacketRecorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public void datagramReceived(ByteBuffer packet) {
        recorder.record(packet);
    }

    @Override
    public void datagramReceived(ByteBuffer packet, long destination, long source, int etherType) {
        recorder.record(packet);
    }
}

package io.jpair.cli;

import io.jpair.transport.AbstractPacketProtocol;
import io.jpair.transport.FrameProtocol;
import java.nio.ByteBuffer;

/** Hands every Ethernet frame of a TAP device to a {@link PacketRecorder}. */
final class TapCaptureProtocol extends AbstractPacketProtocol implements FrameProtocol {
    private final PacketRecorder recorder;

    TapCaptureProtocol(PacketRecorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public void datagramReceived(ByteBuffer frame) {
        recorder.record(frame);
    }
}

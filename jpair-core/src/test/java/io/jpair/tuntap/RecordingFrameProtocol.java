package io.jpair.tuntap;

import io.jpair.transport.AbstractPacketProtocol;
import io.jpair.transport.FrameProtocol;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** A TAP-side protocol that copies every frame it receives (Twisted's EthernetRecordingProtocol). */
class RecordingFrameProtocol extends AbstractPacketProtocol implements FrameProtocol {
    final List<byte[]> received = new ArrayList<>();

    @Override
    public void datagramReceived(ByteBuffer frame) {
        byte[] copy = new byte[frame.remaining()];
        frame.get(frame.position(), copy);
        received.add(copy);
    }
}

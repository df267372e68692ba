package io.jpair.cli;

import io.jpair.transport.AbstractPacketProtocol;
import io.jpair.transport.FrameProtocol;
import java.nio.ByteBuffer;

/** A TAP protocol that reads nothing: for opening a device only to create or probe it. */
final class NoFrames extends AbstractPacketProtocol implements FrameProtocol {
    @Override
    public void datagramReceived(ByteBuffer frame) {
    }
}

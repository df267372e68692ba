package io.jpair.cli;

import io.jpair.transport.AbstractPacketProtocol;
import io.jpair.transport.RawPacketProtocol;
import java.nio.ByteBuffer;

/** A TUN protocol that reads nothing: for opening a device only to create or probe it. */
final class NoPackets extends AbstractPacketProtocol implements RawPacketProtocol {
    @Override
    public void datagramReceived(ByteBuffer packet, long destination, long source, int etherType) {
    }
}

package io.jpair.tuntap;

import io.jpair.transport.AbstractPacketProtocol;
import io.jpair.transport.RawPacketProtocol;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** A TUN-side protocol that copies every packet it receives (Twisted's IPRecordingProtocol). */
class RecordingIpProtocol extends AbstractPacketProtocol implements RawPacketProtocol {
    final List<byte[]> received = new ArrayList<>();

    @Override
    public void datagramReceived(ByteBuffer packet, long destination, long source, int etherType) {
        byte[] copy = new byte[packet.remaining()];
        packet.get(packet.position(), copy);
        received.add(copy);
    }
}

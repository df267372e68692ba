package io.jpair.tuntap;

import java.io.IOException;
import java.nio.ByteBuffer;
import io.jpair.transport.SegmentOffload;

/** A {@link TuntapPort}'s {@link SegmentOffload}: the port's framing and write path, seen from above. */
final class PortSegmentOffload implements SegmentOffload {
    private final TuntapPort port;

    PortSegmentOffload(TuntapPort port) {
        this.port = port;
    }

    @Override
    public int receivedSegmentSize() {
        return port.receivedSegmentSize();
    }

    @Override
    public boolean receivedChecksumTrusted() {
        return port.receivedChecksumTrusted();
    }

    @Override
    public boolean canWriteTcpSuperPackets() {
        return port.canWriteTcpSuperPackets();
    }

    @Override
    public int writeTcpSuperPacket(ByteBuffer packet, int mss) throws IOException {
        return port.writeTcpSuperPacket(packet, mss);
    }

    @Override
    public String toString() {
        return "SegmentOffload[" + port.logPrefix() + "]";
    }
}

package io.jpair.transport;

import java.nio.ByteBuffer;

/** {@link SegmentOffload#NONE}: a port that delivers and writes plain packets only. */
final class NoSegmentOffload implements SegmentOffload {
    @Override
    public int receivedSegmentSize() {
        return 0;
    }

    @Override
    public boolean receivedChecksumTrusted() {
        return false;
    }

    @Override
    public boolean canWriteTcpSuperPackets() {
        return false;
    }

    @Override
    public int writeTcpSuperPacket(ByteBuffer packet, int mss) {
        throw new UnsupportedOperationException("this port writes no TCP super-packets (no TUN virtio header, "
            + "or OffloadOptions.withTcpSuperPackets(true) not set)");
    }

    @Override
    public String toString() {
        return "SegmentOffload.NONE";
    }
}

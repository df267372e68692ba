package io.jpair.tuntap;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.testing.MemoryIOSystem;
import io.jpair.testing.MemoryReactor;
import io.jpair.tuntap.offload.OffloadOptions;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The send path copies at most once: a direct buffer reaches {@code write(2)} as its own memory
 * (no copy into the port's buffer), a heap buffer is copied once into the port's native buffer.
 */
class TuntapPortSendPathTest {
    private final MemoryReactor reactor = new MemoryReactor();
    private final List<Long> writtenFrom = new ArrayList<>();
    private final IOSystem system = new ForwardingIOSystem(new MemoryIOSystem()) {
        @Override
        public int write(int fd, MemorySegment src, int length) {
            writtenFrom.add(src.address());
            return super.write(fd, src, length);
        }
    };

    private TuntapPort listening() throws Exception {
        TuntapPort port = new TuntapPort("tun0", new RecordingIpProtocol(), TunnelOptions.defaults(),
            OffloadOptions.disabled(), reactor, system);
        port.startListening();
        return port;
    }

    @Test
    void aDirectBufferIsWrittenFromItsOwnMemory() throws Exception {
        TuntapPort port = listening();
        ByteBuffer packet = ByteBuffer.allocateDirect(100);
        packet.position(16).limit(84);

        assertThat(port.write(packet)).isEqualTo(68);

        assertThat(writtenFrom).containsExactly(MemorySegment.ofBuffer(packet).address());
        assertThat(packet.position()).isEqualTo(16);
    }

    @Test
    void theSameDirectBufferAtAnotherPositionIsWrittenFromThere() throws Exception {
        TuntapPort port = listening();
        ByteBuffer packet = ByteBuffer.allocateDirect(100);
        port.write(packet.duplicate().position(0).limit(20));
        packet.position(2).limit(40);
        port.write(packet);

        assertThat(writtenFrom.get(1)).isEqualTo(MemorySegment.ofBuffer(packet).address());
    }

    @Test
    void aHeapBufferIsCopiedOnceIntoThePortsBuffer() throws Exception {
        TuntapPort port = listening();
        ByteBuffer first = ByteBuffer.allocate(60);
        ByteBuffer second = ByteBuffer.allocate(60);
        port.write(first);
        port.write(second);

        assertThat(writtenFrom).hasSize(2);
        assertThat(writtenFrom.get(0)).as("both staged in the port's one write buffer").isEqualTo(writtenFrom.get(1));
    }

    @Test
    void anEmptyDirectBufferAtItsEndIsWrittenLikeAnyEmptyPacket() throws Exception {
        TuntapPort port = listening();
        ByteBuffer empty = ByteBuffer.allocateDirect(10).position(10);

        assertThat(port.write(empty)).isZero();
        assertThat(writtenFrom).hasSize(1);
    }
}

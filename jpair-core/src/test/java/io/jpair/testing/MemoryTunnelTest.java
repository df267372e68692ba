package io.jpair.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpair.errno.Errno;
import io.jpair.tuntap.IOSystem;
import io.jpair.tuntap.TuntapPort;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class MemoryTunnelTest {
    @Test
    void aBlockingReadOfAnEmptyTunnelIsRefusedRatherThanHanging() {
        MemoryIOSystem system = new MemoryIOSystem();
        int fd = system.open(TuntapPort.TUN_DEVICE, IOSystem.O_RDWR);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(64);
            assertThatThrownBy(() -> system.read(fd, buffer, 64)).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Test
    void stickyFaultsLastUntilCleared() {
        MemoryIOSystem system = new MemoryIOSystem();
        int fd = system.open(TuntapPort.TUN_DEVICE, IOSystem.O_RDWR | IOSystem.O_NONBLOCK);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(64);
            system.openFiles().get(fd).failReadsWith(Errno.EIO);
            assertThat(system.read(fd, buffer, 64)).isEqualTo(-Errno.EIO);
            assertThat(system.read(fd, buffer, 64)).isEqualTo(-Errno.EIO);
            system.openFiles().get(fd).failReadsWith(0);
            assertThat(system.read(fd, buffer, 64)).isEqualTo(-Errno.EAGAIN);
        }
    }

    @Test
    void privilegedCallsFailWithEpermWhenNotPermitted() {
        MemoryIOSystem system = new MemoryIOSystem();
        system.permissions().remove("open");
        assertThat(system.open(TuntapPort.TUN_DEVICE, IOSystem.O_RDWR)).isEqualTo(-Errno.EPERM);
    }
}

package io.jpair.tuntap;

import io.jpair.tuntap.offload.Offloads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.tuntap.internal.TunIoctl;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

class OffloadsTest {
    /** Answers TUNSETOFFLOAD with EINVAL unless {@code accepts} holds for the bits; records the calls. */
    private static final class OffloadKernel implements IOSystem {
        final IntPredicate accepts;
        final List<String> calls = new ArrayList<>();

        OffloadKernel(IntPredicate accepts) {
            this.accepts = accepts;
        }

        @Override
        public int ioctl(int fd, long request, long value) {
            assertThat(request).isEqualTo(TunIoctl.TUNSETOFFLOAD);
            calls.add(Offloads.describe((int) value));
            return accepts.test((int) value) ? 0 : -Errno.EINVAL;
        }

        @Override
        public int open(String path, int flags) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int ioctl(int fd, long request, MemorySegment arg) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(int fd, MemorySegment dst, int length) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int write(int fd, MemorySegment src, int length) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long writev(int fd, ByteBuffer[] parts, int offset, int count) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int close(int fd) {
            return 0;
        }

        @Override
        public int interfaceIndex(String name) {
            return 1;
        }
    }

    @Test
    void negotiateTakesTheFullSetWhenTheKernelHasUso() throws Exception {
        OffloadKernel kernel = new OffloadKernel(bits -> true);
        assertThat(TunDevice.negotiateOffloads(kernel, 3, "tun0", true, true)).isEqualTo(Offloads.FULL_SET);
        assertThat(kernel.calls).containsExactly("CSUM|TSO4|TSO6|USO4|USO6");
    }

    @Test
    void negotiateFallsBackToTsoOnAKernelWithoutUso() throws Exception {
        OffloadKernel kernel = new OffloadKernel(bits -> (bits & (Offloads.TUN_F_USO4 | Offloads.TUN_F_USO6)) == 0);
        assertThat(TunDevice.negotiateOffloads(kernel, 3, "tun0", true, true)).isEqualTo(Offloads.TCP_SET);
        assertThat(kernel.calls).containsExactly("CSUM|TSO4|TSO6|USO4|USO6", "CSUM|TSO4|TSO6");
    }

    @Test
    void negotiateFallsBackToNoneWhenTsoIsRefused() throws Exception {
        OffloadKernel kernel = new OffloadKernel(bits -> bits == 0);
        assertThat(TunDevice.negotiateOffloads(kernel, 3, "tun0", true, true)).isZero();
        assertThat(kernel.calls).containsExactly("CSUM|TSO4|TSO6|USO4|USO6", "CSUM|TSO4|TSO6", "none");
    }

    @Test
    void udpSwitchOffNeverAsksForUso() throws Exception {
        OffloadKernel kernel = new OffloadKernel(bits -> true);
        assertThat(TunDevice.negotiateOffloads(kernel, 3, "tun0", true, false)).isEqualTo(Offloads.TCP_SET);
        assertThat(kernel.calls).containsExactly("CSUM|TSO4|TSO6");
    }

    @Test
    void rxSwitchOffClearsLeftoverOffloads() throws Exception {
        OffloadKernel kernel = new OffloadKernel(bits -> true);
        assertThat(TunDevice.negotiateOffloads(kernel, 3, "tun0", false, true)).isZero();
        assertThat(kernel.calls).containsExactly("none");
    }

    @Test
    void failureToClearIsAnErrorNamingTheDevice() {
        OffloadKernel kernel = new OffloadKernel(bits -> false);
        assertThatThrownBy(() -> TunDevice.negotiateOffloads(kernel, 3, "tun7", true, true))
            .isInstanceOf(ErrnoException.class).hasMessageContaining("tun7").hasMessageContaining("TUNSETOFFLOAD");
    }

    @Test
    void describeNamesEveryBit() {
        assertThat(Offloads.describe(0x7F)).isEqualTo("CSUM|TSO4|TSO6|TSO_ECN|UFO|USO4|USO6");
        assertThat(Offloads.describe(0x180)).isEqualTo("0x180");
    }
}

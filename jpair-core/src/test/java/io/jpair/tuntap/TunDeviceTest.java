package io.jpair.tuntap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpair.errno.ErrnoException;
import io.jpair.testing.MemoryIOSystem;
import io.jpair.testing.MemoryReactor;
import io.jpair.transport.CannotListenException;
import io.jpair.tuntap.offload.OffloadOptions;
import io.jpair.tuntap.offload.Offloads;
import org.junit.jupiter.api.Test;

/** The one place a TUN/TAP fd is opened, configured and closed, on the in-memory system. */
class TunDeviceTest {
    private final MemoryIOSystem system = new MemoryIOSystem();

    @Test
    void openConfiguresTheDeviceAndAdoptsTheKernelsName() throws Exception {
        try (TunDevice device = TunDevice.open("tun%d", TunnelFlags.IFF_TUN, TunnelOptions.defaults(),
                OffloadOptions.disabled(), system)) {
            assertThat(device.name()).isEqualTo("tun0");
            assertThat(device.mode()).isEqualTo(TunnelFlags.IFF_TUN);
            assertThat(device.hasVirtioHeader()).isFalse();
            assertThat(system.openFiles()).containsKey(device.fd());
        }
        assertThat(system.openFiles()).isEmpty();
    }

    @Test
    void offloadOpensAVirtioHeaderAndNegotiatesTheOffloads() throws Exception {
        try (TunDevice device = TunDevice.open("tun0", TunnelFlags.IFF_TUN, TunnelOptions.defaults(),
                OffloadOptions.enabled(), system)) {
            assertThat(device.hasVirtioHeader()).isTrue();
            assertThat(device.offloads()).isEqualTo(Offloads.FULL_SET);
        }
    }

    @Test
    void aFailedConfigurationLeavesNoFdBehind() {
        system.permissions().remove("ioctl");
        assertThatThrownBy(() -> TunDevice.open("tun0", TunnelFlags.IFF_TAP, TunnelOptions.defaults(),
                OffloadOptions.disabled(), system))
            .isInstanceOf(ErrnoException.class)
            .hasMessage("tun0: ioctl(TUNSETIFF): EPERM (Operation not permitted): needs CAP_NET_ADMIN or a device"
                + " owned by this user (e.g. 'jpair mkdev --user U' or 'ip tuntap add DEV mode tun user U')");
        assertThat(system.openFiles()).isEmpty();
    }

    @Test
    void portAndQueueReportTheSameFailureInTheSameWords() {
        system.permissions().remove("ioctl");
        TuntapPort port = new TuntapPort("tun0", new RecordingIpProtocol(), TunnelOptions.defaults(),
            new MemoryReactor(), system);
        Throwable portFailure = org.assertj.core.api.Assertions.catchThrowable(port::startListening);
        Throwable queueFailure = org.assertj.core.api.Assertions.catchThrowable(() ->
            TunQueue.open("tun0", TunnelOptions.defaults(), OffloadOptions.disabled(), system));

        assertThat(portFailure).isInstanceOf(CannotListenException.class);
        assertThat(portFailure.getCause()).hasMessage(queueFailure.getMessage());
    }

    @Test
    void detachingASingleQueueDeviceSaysItIsNotMultiQueue() throws Exception {
        try (TunDevice device = TunDevice.open("tun0", TunnelFlags.IFF_TUN, TunnelOptions.defaults(),
                OffloadOptions.disabled(), system)) {
            assertThatThrownBy(device::detach).isInstanceOf(ErrnoException.class)
                .hasMessageContaining("ioctl(TUNSETQUEUE)").hasMessageEndingWith("the device is not multi-queue");
        }
    }

    @Test
    void closingTwiceClosesTheFdOnce() throws Exception {
        TunDevice device = TunDevice.open("tun0", TunnelFlags.IFF_TUN, TunnelOptions.defaults(),
            OffloadOptions.disabled(), system);
        assertThat(device.closeFd()).isZero();
        assertThat(device.closeFd()).isZero();
        assertThat(device.fd()).isEqualTo(-1);
        assertThat(system.openFiles()).isEmpty();
    }

    @Test
    void aBadNameIsRefusedBeforeAnythingIsOpened() {
        assertThatThrownBy(() -> TunDevice.open("a/b", TunnelFlags.IFF_TUN, TunnelOptions.defaults(),
                OffloadOptions.disabled(), system))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid interface name 'a/b'");
        assertThat(system.openFiles()).isEmpty();
    }
}

package io.jpair.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.errno.Errno;
import io.jpair.tuntap.IOSystem;
import io.jpair.tuntap.TunnelFlags;
import io.jpair.tuntap.TuntapPort;
import io.jpair.tuntap.internal.InterfaceRequest;
import io.jpair.tuntap.internal.TunIoctl;
import io.jpair.tuntap.offload.Offloads;
import io.jpair.tuntap.offload.VirtioNetHeader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The in-memory device with {@code IFF_VNET_HDR}: the offload ioctls and the bytes that cross the fd. */
class MemoryTunnelOffloadTest {
    private final MemoryIOSystem system = new MemoryIOSystem();
    private final Arena arena = Arena.ofConfined();
    private int fd;

    @BeforeEach
    void openWithVirtioHeader() {
        fd = system.open(TuntapPort.TUN_DEVICE, IOSystem.O_RDWR | IOSystem.O_NONBLOCK);
        MemorySegment ifreq = InterfaceRequest.allocate(arena);
        InterfaceRequest.name(ifreq, "tun0");
        InterfaceRequest.flags(ifreq, TunnelFlags.IFF_TUN.value() | TunnelFlags.IFF_NO_PI.value()
            | TunnelFlags.IFF_VNET_HDR.value());
        assertThat(system.ioctl(fd, TunIoctl.TUNSETIFF, ifreq)).isZero();
    }

    @AfterEach
    void close() {
        arena.close();
    }

    private MemoryTunnel tunnel() {
        return system.openFiles().get(fd);
    }

    @Test
    void segmentationOffloadsWithoutChecksumOffloadAreRefusedAsByTheKernel() {
        assertThat(system.ioctl(fd, TunIoctl.TUNSETOFFLOAD, Offloads.TUN_F_TSO4)).isEqualTo(-Errno.EINVAL);
        assertThat(system.ioctl(fd, TunIoctl.TUNSETOFFLOAD, Offloads.FULL_SET)).isZero();
        assertThat(tunnel().offloads()).isEqualTo(Offloads.FULL_SET);
    }

    @Test
    void anOlderKernelWithoutUsoCanBePlayed() {
        system.supportedOffloads(Offloads.TCP_SET);
        assertThat(system.ioctl(fd, TunIoctl.TUNSETOFFLOAD, Offloads.FULL_SET)).isEqualTo(-Errno.EINVAL);
        assertThat(system.ioctl(fd, TunIoctl.TUNSETOFFLOAD, Offloads.TCP_SET)).isZero();
    }

    @Test
    void aVirtioHeaderShorterThanTenBytesIsRefused() {
        MemorySegment size = arena.allocateFrom(ValueLayout.JAVA_INT, 8);
        assertThat(system.ioctl(fd, TunIoctl.TUNSETVNETHDRSZ, size)).isEqualTo(-Errno.EINVAL);
        size.set(ValueLayout.JAVA_INT, 0, 12);
        assertThat(system.ioctl(fd, TunIoctl.TUNSETVNETHDRSZ, size)).isZero();
        assertThat(tunnel().virtioHeaderSize()).isEqualTo(12);
    }

    @Test
    void aQueuedPacketIsReadBehindAZeroVirtioHeader() {
        byte[] packet = Packets.ipv4Udp("10.0.0.1", 1000, "10.0.0.2", 53, new byte[20]);
        tunnel().addToReadBuffer(packet);
        MemorySegment buffer = arena.allocate(2048);

        assertThat(system.read(fd, buffer, 2048)).isEqualTo(VirtioNetHeader.LENGTH + packet.length);
        assertThat(buffer.asSlice(0, VirtioNetHeader.LENGTH).toArray(ValueLayout.JAVA_BYTE))
            .containsOnly((byte) 0);
        assertThat(buffer.asSlice(VirtioNetHeader.LENGTH, packet.length).toArray(ValueLayout.JAVA_BYTE))
            .isEqualTo(packet);
    }

    @Test
    void writtenPacketsSplitAWrittenUdpSuperPacketAsTheKernelWould() {
        byte[] whole = Packets.ipv4Udp("10.0.0.2", 53, "10.0.0.1", 1000, new byte[3 * 100]);
        ByteBuffer write = ByteBuffer.allocate(VirtioNetHeader.LENGTH + whole.length);
        write.put(VirtioNetHeader.LENGTH, whole);
        write.putShort(VirtioNetHeader.LENGTH + 26, (short) 0);  // checksum left to the "kernel"
        new VirtioNetHeader().wrap(write, 0).gsoType(VirtioNetHeader.GSO_UDP_L4).hdrLen(28).gsoSize(100);
        MemorySegment source = arena.allocate(write.capacity());
        source.copyFrom(MemorySegment.ofArray(write.array()));

        assertThat(system.write(fd, source, write.capacity())).isEqualTo(write.capacity());
        assertThat(tunnel().writeBuffer()).hasSize(1);
        assertThat(tunnel().writtenPackets()).hasSize(3).allSatisfy(segment -> assertThat(segment).hasSize(128));
    }
}

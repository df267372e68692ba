package io.jpair.tuntap;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.errno.Errno;
import io.jpair.testing.Packets;
import io.jpair.tuntap.internal.InterfaceRequest;
import io.jpair.tuntap.internal.TunIoctl;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Twisted's {@code TunnelDeviceTestsMixin}: what a tunnel device does at the system-call level. Run
 * on the in-memory system and on the real kernel, which proves the fake against the kernel.
 */
abstract class TunnelDeviceContract {
    static final int PORT = 12345;
    final Arena arena = Arena.ofConfined();
    int fd = -1;
    String name;

    /** The system under test. */
    abstract IOSystem system();

    /** TUNSETIFF flags: type and maybe IFF_NO_PI. */
    abstract TunnelFlags tunnelType();

    /** The device name to ask for. */
    abstract String device();

    /** Our address on the device (the kernel side). */
    abstract String local();

    /** The peer's address, reached through the device. */
    abstract String remote();

    /** Makes the device usable for traffic (addresses, link up, neighbour). */
    abstract void configure(String deviceName);

    /** Has the "kernel side" send a UDP datagram from local to remote:port, out through the device. */
    abstract void sendUdp(byte[] payload, int port) throws Exception;

    /** What the "kernel side" receives at local:port from packets written to the device. */
    abstract byte[] receiveUdp(int port) throws Exception;

    @BeforeEach
    void openDevice() {
        fd = system().open(TuntapPort.TUN_DEVICE, IOSystem.O_RDWR | IOSystem.O_NONBLOCK | IOSystem.O_CLOEXEC);
        assertThat(fd).as("open %s", TuntapPort.TUN_DEVICE).isNotNegative();
        MemorySegment ifreq = InterfaceRequest.allocate(arena);
        InterfaceRequest.name(ifreq, device());
        InterfaceRequest.flags(ifreq, tunnelType().value());
        assertThat(system().ioctl(fd, TunIoctl.TUNSETIFF, ifreq)).as("TUNSETIFF").isZero();
        name = InterfaceRequest.name(ifreq);
        configure(name);
    }

    @AfterEach
    void closeDevice() {
        if (fd >= 0) {
            system().close(fd);
        }
        arena.close();
    }

    int closedFd() {
        int other = system().open(TuntapPort.TUN_DEVICE, IOSystem.O_RDWR | IOSystem.O_NONBLOCK);
        system().close(other);
        return other;
    }

    boolean packetInformation() {
        return !tunnelType().contains(TunnelFlags.IFF_NO_PI);
    }

    boolean tap() {
        return tunnelType().contains(TunnelFlags.IFF_TAP);
    }

    /** A packet from remote:50000 to local:port, framed for this device. */
    byte[] encapsulate(int port, byte[] payload) {
        byte[] packet = Packets.ipv4Udp(remote(), 50000, local(), port, payload);
        if (tap()) {
            byte[] broadcast = {-1, -1, -1, -1, -1, -1};
            packet = Packets.ethernet(new byte[] {2, 0, 0, 0, 0, 2}, broadcast, Packets.ETHERTYPE_IPV4, packet);
        }
        if (packetInformation()) {
            byte[] withHeader = new byte[4 + packet.length];
            withHeader[2] = (byte) (tap() ? 0x08 : 0x08);
            System.arraycopy(packet, 0, withHeader, 4, packet.length);
            packet = withHeader;
        }
        return packet;
    }

    @Test
    void openingANonexistentDeviceGivesEnoent() {
        assertThat(system().open("/dev/there-is-no-such-device-ever", IOSystem.O_RDWR)).isEqualTo(-Errno.ENOENT);
    }

    @Test
    void readOnAClosedFdGivesEbadf() {
        MemorySegment buffer = arena.allocate(64);
        assertThat(system().read(closedFd(), buffer, 64)).isEqualTo(-Errno.EBADF);
    }

    @Test
    void writeOnAClosedFdGivesEbadf() {
        MemorySegment buffer = arena.allocate(64);
        assertThat(system().write(closedFd(), buffer, 64)).isEqualTo(-Errno.EBADF);
    }

    @Test
    void closeOnAClosedFdGivesEbadf() {
        assertThat(system().close(closedFd())).isEqualTo(-Errno.EBADF);
    }

    @Test
    void ioctlOnAClosedFdGivesEbadf() {
        MemorySegment ifreq = InterfaceRequest.allocate(arena);
        InterfaceRequest.name(ifreq, "tap0");
        assertThat(system().ioctl(closedFd(), TunIoctl.TUNSETIFF, ifreq)).isEqualTo(-Errno.EBADF);
    }

    @Test
    void unknownIoctlGivesEinval() {
        MemorySegment garbage = arena.allocateFrom("garbage");
        assertThat(system().ioctl(fd, 0xDEADBEEFL, garbage)).isEqualTo(-Errno.EINVAL);
    }

    @Test
    void emptyNonBlockingReadGivesEagain() {
        MemorySegment buffer = arena.allocate(2048);
        drainQuietly(buffer);
        assertThat(system().read(fd, buffer, 2048)).isEqualTo(-Errno.EAGAIN);
    }

    @Test
    void receivesWhatTheKernelSideSendsThroughTheDevice() throws Exception {
        byte[] message = ("hello, " + getClass().getSimpleName()).getBytes(StandardCharsets.US_ASCII);
        sendUdp(message, PORT);
        MemorySegment buffer = arena.allocate(65536);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        byte[] found = null;
        while (found == null && System.nanoTime() < deadline) {
            int n = system().read(fd, buffer, 65536);
            if (n == -Errno.EAGAIN) {
                Thread.sleep(5);
                continue;
            }
            assertThat(n).as("read").isPositive();
            byte[] packet = buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
            found = Packets.udpPayloadTo(packet, PORT, packetInformation() ? 4 : 0, tap());
        }
        assertThat(found).isEqualTo(message);
    }

    @Test
    void theKernelSideReceivesWhatIsWrittenToTheDevice() throws Exception {
        byte[] message = ("hello, " + getClass().getSimpleName()).getBytes(StandardCharsets.US_ASCII);
        byte[] packet = encapsulate(PORT, message);
        MemorySegment out = arena.allocate(packet.length);
        MemorySegment.copy(packet, 0, out, ValueLayout.JAVA_BYTE, 0, packet.length);
        int n = system().write(fd, out, packet.length);
        assertThat(n).isEqualTo(packet.length);
        assertThat(receiveUdp(PORT)).isEqualTo(message);
    }

    private void drainQuietly(MemorySegment buffer) {
        for (int i = 0; i < 1000 && system().read(fd, buffer, (int) buffer.byteSize()) > 0; i++) {
            // Discard whatever the kernel emitted on its own (router solicitations, MLD, ...).
        }
    }
}

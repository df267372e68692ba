package io.jpair.tuntap;

import io.jpair.testing.MemoryIOSystem;
import org.junit.jupiter.api.Nested;

/** The tunnel device contract on {@link MemoryIOSystem} (Twisted's FakeTun/FakeTap device tests). */
class MemoryTunnelDeviceTest {
    abstract static class OnMemory extends TunnelDeviceContract {
        final MemoryIOSystem system = new MemoryIOSystem();
        byte[] pendingReceive;

        @Override
        IOSystem system() {
            return system;
        }

        @Override
        String device() {
            return "tap-jpairtest";
        }

        @Override
        String local() {
            return "172.16.2.1";
        }

        @Override
        String remote() {
            return "172.16.2.2";
        }

        @Override
        void configure(String deviceName) {
        }

        @Override
        void sendUdp(byte[] payload, int port) {
            system.sendUDP(payload, remote(), port);
        }

        @Override
        byte[] receiveUdp(int port) {
            return system.receiveUDP(fd, port).getFirst();
        }
    }

    @Nested
    class Tun extends OnMemory {
        @Override
        TunnelFlags tunnelType() {
            return TunnelFlags.IFF_TUN.or(TunnelFlags.IFF_NO_PI);
        }
    }

    @Nested
    class Tap extends OnMemory {
        @Override
        TunnelFlags tunnelType() {
            return TunnelFlags.IFF_TAP.or(TunnelFlags.IFF_NO_PI);
        }
    }

    @Nested
    class TapWithPacketInformation extends OnMemory {
        @Override
        TunnelFlags tunnelType() {
            return TunnelFlags.IFF_TAP;
        }
    }
}

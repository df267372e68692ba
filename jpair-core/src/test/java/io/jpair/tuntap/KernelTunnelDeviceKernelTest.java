package io.jpair.tuntap;

import io.jpair.kernel.KernelTest;
import io.jpair.kernel.Shell;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Nested;

/**
 * The tunnel device contract on the real kernel, in this run's private network namespace
 * (Twisted's RealDeviceWith/WithoutProtocolInformationTests, which needed a hand-made setup).
 */
@KernelTest
class KernelTunnelDeviceKernelTest {
    abstract static class OnKernel extends TunnelDeviceContract {
        @Override
        IOSystem system() {
            return RealIOSystem.INSTANCE;
        }

        @Override
        void configure(String deviceName) {
            Shell.ip("addr", "add", local() + "/24", "dev", deviceName);
            Shell.ip("link", "set", deviceName, "up");
            if (tap()) {
                // The kernel must know the peer's MAC to send to it (Twisted's setup did the same).
                Shell.ip("neigh", "replace", remote(), "lladdr", "02:00:00:00:00:02", "dev", deviceName,
                    "nud", "permanent");
            }
        }

        @Override
        void sendUdp(byte[] payload, int port) throws Exception {
            try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.ofLiteral(local()), 0))) {
                socket.send(new DatagramPacket(payload, payload.length,
                    new InetSocketAddress(InetAddress.ofLiteral(remote()), port)));
            }
        }

        @Override
        byte[] receiveUdp(int port) throws Exception {
            throw new UnsupportedOperationException("bound before writing: see theKernelSideReceives");
        }
    }

    /** Binds the receiving socket before the write, as the kernel drops datagrams for closed ports. */
    abstract static class OnKernelWithSocket extends OnKernel {
        DatagramSocket receiver;

        @Override
        void configure(String deviceName) {
            super.configure(deviceName);
            try {
                receiver = new DatagramSocket(new InetSocketAddress(InetAddress.ofLiteral(local()), PORT));
                receiver.setSoTimeout(5000);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        byte[] receiveUdp(int port) throws Exception {
            byte[] buffer = new byte[2048];
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                receiver.receive(packet);
            } finally {
                receiver.close();
            }
            return Arrays.copyOf(buffer, packet.getLength());
        }

        @org.junit.jupiter.api.AfterEach
        void closeSocket() {
            if (receiver != null) {
                receiver.close();
            }
        }
    }

    @Nested
    class Tun extends OnKernelWithSocket {
        @Override
        TunnelFlags tunnelType() {
            return TunnelFlags.IFF_TUN.or(TunnelFlags.IFF_NO_PI);
        }

        @Override
        String device() {
            return "jtun-dev";
        }

        @Override
        String local() {
            return "10.71.0.1";
        }

        @Override
        String remote() {
            return "10.71.0.2";
        }
    }

    @Nested
    class Tap extends OnKernelWithSocket {
        @Override
        TunnelFlags tunnelType() {
            return TunnelFlags.IFF_TAP.or(TunnelFlags.IFF_NO_PI);
        }

        @Override
        String device() {
            return "jtap-dev";
        }

        @Override
        String local() {
            return "10.71.1.1";
        }

        @Override
        String remote() {
            return "10.71.1.2";
        }
    }

    @Nested
    class TapWithPacketInformation extends OnKernelWithSocket {
        @Override
        TunnelFlags tunnelType() {
            return TunnelFlags.IFF_TAP;
        }

        @Override
        String device() {
            return "jtap-pi";
        }

        @Override
        String local() {
            return "10.71.2.1";
        }

        @Override
        String remote() {
            return "10.71.2.2";
        }
    }
}

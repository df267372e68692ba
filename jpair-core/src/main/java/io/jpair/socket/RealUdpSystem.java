package io.jpair.socket;

import io.jpair.sys.LibC;
import io.jpair.sys.MultiMessage;
import io.jpair.sys.UdpSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The kernel's UDP sockets: {@code recvmmsg}/{@code sendmmsg} on the batch's native message
 * block, the rest through the FFM bindings. Stateless and thread-safe.
 */
public final class RealUdpSystem implements UdpSystem {
    /** The one instance. */
    public static final RealUdpSystem INSTANCE = new RealUdpSystem();

    private RealUdpSystem() {
    }

    @Override
    public int socket(int family) {
        return UdpSocket.open(family);
    }

    @Override
    public int setOption(int fd, int level, int name, int value) {
        return UdpSocket.setIntOption(fd, level, name, value);
    }

    @Override
    public int getOption(int fd, int level, int name) {
        return UdpSocket.getIntOption(fd, level, name);
    }

    @Override
    public int bind(int fd, int family, InetSocketAddress address) {
        return UdpSocket.bind(fd, family, address.getAddress().getAddress(), address.getPort(), scope(address));
    }

    @Override
    public int connect(int fd, int family, InetSocketAddress address) {
        return UdpSocket.connect(fd, family, address.getAddress().getAddress(), address.getPort(), scope(address));
    }

    @Override
    public int localAddress(int fd, InetSocketAddress[] into) {
        byte[][] raw = new byte[1][];
        int port = UdpSocket.localAddress(fd, raw);
        if (port < 0) {
            return port;
        }
        try {
            // InetAddress.getByAddress turns a v4-mapped IPv6 address into an Inet4Address itself.
            into[0] = new InetSocketAddress(InetAddress.getByAddress(raw[0]), port);
        } catch (UnknownHostException e) {
            throw new AssertionError("getsockname gave " + raw[0].length + " address bytes", e);
        }
        return 0;
    }

    @Override
    public int membership(int fd, InetAddress group, int interfaceIndex, boolean join) {
        return UdpSocket.membership(fd, group.getAddress(), interfaceIndex, join);
    }

    @Override
    public int interfaceIndex(String name) {
        return LibC.ifNameToIndex(name);
    }

    @Override
    public int receive(int fd, DatagramBatch batch, int count) {
        return MultiMessage.recvmmsg(fd, batch.headerAddress(0), count, 0);
    }

    @Override
    public int send(int fd, DatagramBatch batch, int offset, int count) {
        return MultiMessage.sendmmsg(fd, batch.headerAddress(offset), count, 0);
    }

    @Override
    public int close(int fd) {
        return LibC.close(fd);
    }

    private static int scope(InetSocketAddress address) {
        return address.getAddress() instanceof Inet6Address v6 ? v6.getScopeId() : 0;
    }

    @Override
    public String toString() {
        return "RealUdpSystem";
    }
}

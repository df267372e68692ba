package io.jpair.socket;

import io.jpair.transport.Address;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The address of a UDP port (Twisted's {@code IPv4Address('UDP', host, port)} /
 * {@code IPv6Address}): an IP address and a port.
 *
 * @param socketAddress the resolved address and port
 */
public record UdpAddress(InetSocketAddress socketAddress) implements Address {
    /**
     * Checks the address.
     *
     * @param socketAddress the resolved address and port
     */
    public UdpAddress {
        Objects.requireNonNull(socketAddress, "socketAddress");
    }

    /**
     * The port.
     *
     * @return 0..65535
     */
    public int port() {
        return socketAddress.getPort();
    }

    /**
     * Twisted's repr.
     *
     * @return e.g. {@code UdpAddress(UDP, 127.0.0.1, 9999)} or {@code UdpAddress(UDP, ::1, 9999)}
     */
    @Override
    public String toString() {
        return "UdpAddress(UDP, " + socketAddress.getAddress().getHostAddress() + ", " + socketAddress.getPort() + ")";
    }
}

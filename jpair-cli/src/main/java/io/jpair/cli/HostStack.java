package io.jpair.cli;

import io.jpair.netlink.LinkAddress;
import io.jpair.reactor.Reactor;
import io.jpair.tuntap.TunnelOptions;
import io.jpair.tuntap.TuntapPort;
import java.io.PrintWriter;
import java.util.List;

/**
 * The jpair host the {@code host} and {@code demo} commands run: addresses, ICMP echo, UDP echo
 * on given ports, and on TAP a MAC with ARP and neighbour discovery.
 *
 * <p>TEMPORARY PLACEHOLDER until {@code io.jpair.host.IpHost} is merged: it only counts packets.
 */
final class HostStack {
    private final boolean tap;
    private final String mac;

    private HostStack(boolean tap, String mac) {
        this.tap = tap;
        this.mac = mac;
    }

    /**
     * Builds a host.
     *
     * @param tap TAP (Ethernet) rather than TUN
     * @param mac the MAC for TAP, or {@code null} for a random locally administered one
     * @param addresses jpair's addresses
     * @param udpEchoPorts ports that echo UDP datagrams back
     * @return the host, not yet on a device
     */
    static HostStack create(boolean tap, String mac, List<LinkAddress> addresses, List<Integer> udpEchoPorts) {
        return new HostStack(tap, tap ? (mac != null ? mac : "02:6a:70:00:00:02") : null);
    }

    /**
     * Opens the device and starts the host on it.
     *
     * @param device the device name
     * @param options how to open it
     * @param reactor the reactor
     * @return the started port
     * @throws java.io.IOException if the device cannot be opened
     */
    TuntapPort listen(String device, TunnelOptions options, Reactor reactor) throws java.io.IOException {
        PacketRecorder ignore = new PacketRecorder(null, new PrintWriter(PrintWriter.nullWriter()), tap, Long.MAX_VALUE,
            () -> { });
        TuntapPort port = new TuntapPort(device, tap ? new TapCaptureProtocol(ignore) : new TunCaptureProtocol(ignore),
            options, reactor, null);
        port.startListening();
        return port;
    }

    /**
     * The MAC on TAP.
     *
     * @return e.g. {@code 02:6a:70:00:00:02}, or {@code null} on TUN
     */
    String mac() {
        return mac;
    }

    /**
     * The stack's own counters, one line (reactor thread for exact values).
     *
     * @return e.g. {@code "icmp echo 3, udp 3 in / 3 out, arp 1 answered"}
     */
    String counters() {
        return "";
    }
}

package io.jpair.cli;

import io.jpair.ethernet.MacAddress;
import io.jpair.host.IpHost;
import io.jpair.errno.ErrnoException;
import io.jpair.netlink.LinkAddress;
import io.jpair.netlink.LinkMonitor;
import io.jpair.reactor.Reactor;
import io.jpair.tuntap.offload.OffloadOptions;
import io.jpair.tuntap.TunnelOptions;
import io.jpair.tuntap.TuntapPort;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The jpair host that {@code jpair host} and {@code jpair demo} run: an {@link IpHost} with
 * addresses, ICMP echo, UDP echo on given ports ({@link UdpEcho}), TCP services on given ports
 * ({@link TcpService}), and on TAP a MAC with ARP and neighbour discovery, opened with the
 * command's device options.
 */
final class HostStack {
    private final IpHost host;
    private final Map<Integer, TcpService> tcpServices;

    private HostStack(IpHost host, Map<Integer, TcpService> tcpServices) {
        this.host = host;
        this.tcpServices = tcpServices;
    }

    /**
     * Builds a host.
     *
     * @param tap TAP (Ethernet) rather than TUN
     * @param mac the MAC for TAP, or {@code null} for a random locally administered one
     * @param addresses jpair's addresses
     * @param udpEchoPorts ports that echo UDP datagrams back
     * @param tcpServices TCP ports and what each serves (listening starts in {@link #listen})
     * @return the host, not yet on a device
     * @throws IllegalArgumentException for a malformed MAC
     */
    static HostStack create(boolean tap, String mac, List<LinkAddress> addresses, List<Integer> udpEchoPorts,
            Map<Integer, TcpService> tcpServices) {
        IpHost host = tap ? IpHost.onTap(mac != null ? MacAddress.parse(mac) : MacAddress.randomLocal())
            : IpHost.onTun();
        for (LinkAddress address : addresses) {
            host.address(address.address(), address.prefixLength());
        }
        for (int port : udpEchoPorts) {
            host.udp(port, new UdpEcho());
        }
        return new HostStack(host, new LinkedHashMap<>(tcpServices));
    }

    /**
     * Opens the device and starts the host on it, with its TCP services listening.
     *
     * @param device the device name
     * @param options how to open it (the read size is raised to {@link IpHost#MAX_PACKET_SIZE})
     * @param offload the offload switches (TUN only)
     * @param reactor the reactor
     * @return the started port
     * @throws IOException if the device cannot be opened
     */
    TuntapPort listen(String device, TunnelOptions options, OffloadOptions offload, Reactor reactor) throws IOException {
        for (Map.Entry<Integer, TcpService> service : tcpServices.entrySet()) {
            host.listenTcp(service.getKey(), service.getValue().factory(reactor, host::counters));
        }
        return host.listen(device, reactor, options, offload, null);
    }

    /**
     * Gives the host its link's events, so a TAP host announces its addresses (gratuitous ARP,
     * unsolicited NA) when the link comes up, not only when the port starts (when a new device is
     * still down). Call after {@link #listen} and before the link is brought up; stop the monitor
     * on the reactor thread.
     *
     * @param reactor the reactor of the port
     * @return the started monitor
     * @throws ErrnoException if the netlink socket cannot be opened
     */
    LinkMonitor watchLink(Reactor reactor) throws ErrnoException {
        LinkMonitor monitor = new LinkMonitor(reactor, host);
        monitor.start();
        return monitor;
    }

    /**
     * The MAC on TAP.
     *
     * @return e.g. {@code 02:6a:70:00:00:02}, or {@code null} on TUN
     */
    String mac() {
        MacAddress mac = host.mac();
        return mac == null ? null : mac.toString();
    }

    /**
     * The stack's own counters, one line (a snapshot; exact on the reactor thread).
     *
     * @return e.g. {@code "3 pings answered, UDP 3 in / 3 out, TCP 1 accepted, 9 segments in / 7 out, ARP 1
     *     answered, 2 ignored by the stack"} (TCP only with a TCP service)
     */
    String counters() {
        Map<String, Long> counters = host.counters();
        long drops = 0;
        for (Map.Entry<String, Long> counter : counters.entrySet()) {
            if (counter.getKey().contains(".drop.")) {
                drops += counter.getValue();
            }
        }
        StringBuilder line = new StringBuilder()
            .append(counters.getOrDefault("icmp.echoReplies", 0L) + counters.getOrDefault("icmpv6.echoReplies", 0L))
            .append(" pings answered, UDP ").append(counters.getOrDefault("udp.received", 0L)).append(" in / ")
            .append(counters.getOrDefault("udp.sent", 0L)).append(" out");
        if (!tcpServices.isEmpty()) {
            line.append(", TCP ").append(counters.getOrDefault("tcp.passiveOpens", 0L)).append(" accepted, ")
                .append(counters.getOrDefault("tcp.received", 0L)).append(" segments in / ")
                .append(counters.getOrDefault("tcp.sent", 0L)).append(" out");
        }
        if (host.isTap()) {
            line.append(", ARP ").append(counters.getOrDefault("arp.requestsAnswered", 0L)).append(" answered, ND ")
                .append(counters.getOrDefault("icmpv6.advertisementsSent", 0L)).append(" advertised");
        }
        return line.append(", ").append(drops).append(" ignored by the stack (not for jpair, or not handled)").toString();
    }
}

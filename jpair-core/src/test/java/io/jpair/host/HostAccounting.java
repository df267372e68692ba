package io.jpair.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.ethernet.EthernetDrop;
import io.jpair.ip.IcmpDrop;
import io.jpair.ip.IpDrop;
import io.jpair.neighbour.ArpDrop;
import io.jpair.neighbour.EthernetLink;
import io.jpair.neighbour.NeighbourTable;
import io.jpair.udp.UdpDrop;
import java.util.Map;
import java.util.Set;

/**
 * The bookkeeping rules of a host, checked from its counters: every inbound packet ends in exactly
 * one outcome per layer it reaches (delivered or answered, or one drop reason), no protocol threw,
 * and every table and queue is within its bound.
 */
final class HostAccounting {
    private HostAccounting() {
    }

    private static <E extends Enum<E>> long sum(Map<E, Long> drops, Set<E> outbound) {
        long n = 0;
        for (Map.Entry<E, Long> e : drops.entrySet()) {
            if (!outbound.contains(e.getKey())) {
                n += e.getValue();
            }
        }
        return n;
    }

    /**
     * Asserts the rules for a host whose port received {@code packetsIn} packets or frames.
     *
     * @param host the host
     * @param packetsIn what its port delivered to it
     */
    static void assertConsistent(IpHost host, long packetsIn) {
        String counters = host.counters().toString();
        long ipIn = packetsIn;
        if (host.isTap()) {
            var ethernet = host.ethernet();
            assertThat(ethernet.framesReceived()).as(counters).isEqualTo(packetsIn);
            assertThat(ethernet.drops().get(EthernetDrop.PROTOCOL_FAILED)).as(counters).isZero();
            assertThat(ethernet.framesDelivered() + sum(ethernet.drops().toMap(), Set.of(EthernetDrop.PROTOCOL_FAILED)))
                .as("ethernet: received = delivered + drops; %s", counters).isEqualTo(ethernet.framesReceived());
            var arp = host.arp();
            assertThat(arp.requestsAnswered() + arp.repliesReceived() + arp.announcementsAccepted()
                    + sum(arp.drops().toMap(), Set.of(ArpDrop.WRITE_FAILED)))
                .as("arp: received = answered + replies + announcements + drops; %s", counters)
                .isEqualTo(arp.packetsReceived());
            ipIn = ethernet.framesDelivered() - arp.packetsReceived();
            assertThat(arp.table().size()).isLessThanOrEqualTo(arp.table().capacity());
            assertThat(host.neighbourDiscovery().table().size()).isLessThanOrEqualTo(host.neighbourDiscovery().table().capacity())
                .isLessThanOrEqualTo(NeighbourTable.DEFAULT_CAPACITY);
            assertThat(host.link().pendingCount()).isLessThanOrEqualTo(EthernetLink.PENDING_CAPACITY);
        }
        var ip = host.ip();
        assertThat(ip.packetsReceived()).as("ip: what the link delivered; %s", counters).isEqualTo(ipIn);
        assertThat(ip.drops().get(IpDrop.PROTOCOL_FAILED)).as(counters).isZero();
        var fragments = ip.reassembler();
        assertThat(ip.packetsDelivered() + sum(ip.drops().toMap(), Set.of(IpDrop.PROTOCOL_FAILED, IpDrop.NO_LINK, IpDrop.SEND_FAILED))
                + fragments.fragmentsReceived())
            .as("ip: received + reassembled = delivered + drops + fragments; %s", counters)
            .isEqualTo(ip.packetsReceived() + fragments.datagramsReassembled());
        assertThat(fragments.inProgress()).as(counters).isLessThanOrEqualTo(fragments.capacity());
        var icmp = host.icmp();
        var icmpv6 = host.icmpv6();
        var udp = host.udp();
        assertThat(icmp.messagesReceived() + icmpv6.messagesReceived() + udp.datagramsReceived()
                + host.tcp().segmentsReceived())
            .as("ip delivered = icmp + icmpv6 + udp + tcp; %s", counters).isEqualTo(ip.packetsDelivered());
        assertThat(icmp.echoReplies() + icmp.errorsReceived() + sum(icmp.drops().toMap(), Set.of(IcmpDrop.ERROR_RATE_LIMITED)))
            .as("icmp: received = replies + errors + drops; %s", counters).isEqualTo(icmp.messagesReceived());
        assertThat(icmpv6.echoReplies() + icmpv6.errorsReceived() + host.neighbourDiscovery().solicitationsAnswered()
                + host.neighbourDiscovery().advertisementsAccepted() + sum(icmpv6.drops().toMap(), Set.of(IcmpDrop.ERROR_RATE_LIMITED)))
            .as("icmpv6: received = replies + answered + accepted + drops; %s", counters)
            .isEqualTo(icmpv6.messagesReceived());
        assertThat(udp.drops().get(UdpDrop.PROTOCOL_FAILED)).as(counters).isZero();
        assertThat(udp.datagramsDelivered() + sum(udp.drops().toMap(), Set.of(UdpDrop.PROTOCOL_FAILED, UdpDrop.SEND_FAILED,
            UdpDrop.REPLY_TO_SERVICE_PORT, UdpDrop.REPLY_TO_GROUP_DATAGRAM, UdpDrop.REPLY_TO_UNSPECIFIED)))
            .as("udp: received = delivered + drops; %s", counters).isEqualTo(udp.datagramsReceived());
    }
}

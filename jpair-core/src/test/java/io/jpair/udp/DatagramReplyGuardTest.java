package io.jpair.udp;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.host.IpHost;
import io.jpair.ip.IpPacket;
import io.jpair.testing.MemoryIOSystem;
import io.jpair.testing.MemoryReactor;
import io.jpair.testing.MemoryTunnel;
import io.jpair.testing.Packets;
import io.jpair.testing.StackPackets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link DatagramTransport#reply} refuses the replies that turn an echo service into a loop or an
 * amplifier (issue 15, findings 1 and 4): to the echo-like service ports, to datagrams sent to a
 * broadcast or multicast address, and to the unspecified address.
 */
class DatagramReplyGuardTest {
    private static final byte[] DATA = {'h', 'i'};

    private final MemoryReactor reactor = new MemoryReactor();
    private final MemoryIOSystem system = new MemoryIOSystem();

    /** Echoes through the library's reply path, as every echo service does. */
    private static final class Echo extends DatagramProtocol {
        @Override
        public void datagramReceived(ByteBuffer payload, IpPacket packet, int sourcePort) {
            transport().reply(payload, packet, sourcePort);
        }
    }

    private IpHost host(String address) {
        return IpHost.onTun().address(address).address("fd00:77::2/64").udp(7, new Echo());
    }

    private MemoryTunnel start(IpHost host, String device) throws Exception {
        return system.getTunnel(host.listen(device, reactor, system));
    }

    private List<byte[]> repliesTo(IpHost host, byte[] packet) throws Exception {
        MemoryTunnel tunnel = start(host, "jt0");
        tunnel.readBuffer().add(packet);
        reactor.fireReadable();
        return tunnel.writeBuffer();
    }

    @Test
    void aDatagramFromAnEphemeralPortIsEchoed() throws Exception {
        assertThat(repliesTo(host("10.77.0.2/24"), Packets.ipv4Udp("10.77.0.1", 40000, "10.77.0.2", 7, DATA)))
            .hasSize(1);
    }

    @Test
    void aDatagramFromTheEchoPortIsNotAnsweredSoTwoEchoServicesCannotLoop() throws Exception {
        IpHost host = host("10.77.0.2/24");
        assertThat(repliesTo(host, Packets.ipv4Udp("10.77.0.11", 7, "10.77.0.2", 7, DATA))).isEmpty();
        assertThat(host.udp().drops().get(UdpDrop.REPLY_TO_SERVICE_PORT)).isEqualTo(1);
    }

    @Test
    void everyEchoLikeServicePortAndPortZeroIsRefused() throws Exception {
        IpHost host = host("10.77.0.2/24");
        MemoryTunnel tunnel = start(host, "jt0");
        for (int port : new int[] {0, 7, 9, 13, 17, 19, 37}) {
            tunnel.readBuffer().add(Packets.ipv4Udp("10.77.0.1", port, "10.77.0.2", 7, DATA));
        }
        reactor.fireReadable();

        assertThat(tunnel.writeBuffer()).isEmpty();
        assertThat(host.udp().drops().get(UdpDrop.REPLY_TO_SERVICE_PORT)).isEqualTo(7);
    }

    @Test
    void replyToServicePortsAllowsThemWhenAskedTo() throws Exception {
        IpHost host = host("10.77.0.2/24");
        host.udp().replyToServicePorts(true);
        assertThat(repliesTo(host, Packets.ipv4Udp("10.77.0.1", 19, "10.77.0.2", 7, DATA))).hasSize(1);
    }

    @Test
    void twoEchoHostsToldEachOthersAddressExchangeNothing() throws Exception {
        IpHost a = host("10.77.0.10/24");
        IpHost b = IpHost.onTun().address("10.77.0.11/24").udp(7, new Echo());
        MemoryTunnel toA = start(a, "jta0");
        MemoryTunnel toB = start(b, "jtb0");
        toA.readBuffer().add(Packets.ipv4Udp("10.77.0.11", 7, "10.77.0.10", 7, DATA));  // spoofed, from B's echo
        int exchanged = 0;
        for (int round = 0; round < 100; round++) {
            reactor.fireReadable();
            List<byte[]> fromA = new ArrayList<>(toA.writeBuffer());
            List<byte[]> fromB = new ArrayList<>(toB.writeBuffer());
            toA.writeBuffer().clear();
            toB.writeBuffer().clear();
            exchanged += fromA.size() + fromB.size();
            toB.readBuffer().addAll(fromA);
            toA.readBuffer().addAll(fromB);
        }
        assertThat(exchanged).isZero();
    }

    @Test
    void aDatagramToTheSubnetBroadcastIsNotAnswered() throws Exception {
        IpHost host = host("10.77.0.2/24");
        assertThat(repliesTo(host, Packets.ipv4Udp("10.77.0.1", 40000, "10.77.0.255", 7, DATA))).isEmpty();
        assertThat(host.udp().drops().get(UdpDrop.REPLY_TO_GROUP_DATAGRAM)).isEqualTo(1);
    }

    @Test
    void aDatagramToTheLimitedBroadcastIsNotAnswered() throws Exception {
        IpHost host = host("10.77.0.2/24");
        assertThat(repliesTo(host, Packets.ipv4Udp("10.77.0.1", 40000, "255.255.255.255", 7, DATA))).isEmpty();
    }

    @Test
    void aDatagramToAllNodesIsNotAnswered() throws Exception {
        IpHost host = host("10.77.0.2/24");
        assertThat(repliesTo(host, StackPackets.ipv6Udp("fd00:77::1", 40000, "ff02::1", 7, DATA))).isEmpty();
        assertThat(host.udp().drops().get(UdpDrop.REPLY_TO_GROUP_DATAGRAM)).isEqualTo(1);
    }

    @Test
    void answerGroupDatagramsAnswersBroadcastsWhenAskedTo() throws Exception {
        IpHost host = host("10.77.0.2/24");
        host.udp().answerGroupDatagrams(true);
        assertThat(repliesTo(host, Packets.ipv4Udp("10.77.0.1", 40000, "10.77.0.255", 7, DATA))).hasSize(1);
    }

    @Test
    void aDatagramFromTheUnspecifiedIpv6AddressIsNotAnswered() throws Exception {
        IpHost host = host("10.77.0.2/24");
        assertThat(repliesTo(host, StackPackets.ipv6Udp("::", 40000, "fd00:77::2", 7, DATA))).isEmpty();
        assertThat(host.udp().drops().get(UdpDrop.REPLY_TO_UNSPECIFIED)).isEqualTo(1);
    }
}

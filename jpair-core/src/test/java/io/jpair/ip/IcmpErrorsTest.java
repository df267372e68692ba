package io.jpair.ip;

import static io.jpair.ip.FragmentBench.ipv4;
import static io.jpair.ip.FragmentBench.ipv4Fragment;
import static io.jpair.ip.FragmentBench.pattern;
import static io.jpair.ip.FragmentBench.udp;
import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.host.IpHost;
import io.jpair.testing.MemoryIOSystem;
import io.jpair.testing.MemoryReactor;
import io.jpair.testing.MemoryTunnel;
import io.jpair.testing.Packets;
import io.jpair.testing.StackPackets;
import io.jpair.udp.DatagramProtocol;
import io.jpair.wire.InternetChecksum;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ICMP errors, sent and received: port unreachable for UDP to a closed port, protocol unreachable
 * for an unknown protocol, quoting as RFC 1812 / RFC 4443 say, never where RFC 1122 / RFC 4443
 * forbid, limited as Linux; and received errors lowering the path MTU and reaching the protocol
 * that sent the quoted packet ({@link RawDatagramProtocol#icmpErrorReceived}).
 */
class IcmpErrorsTest {
    private final MemoryReactor reactor = new MemoryReactor();
    private final MemoryIOSystem system = new MemoryIOSystem();
    private final IpHost host = IpHost.onTun().address("10.77.0.2/24").address("fd00:77::2/64").udp(7, new Sink());
    private MemoryTunnel tunnel;

    /** Listens on port 7 and keeps nothing. */
    private static final class Sink extends DatagramProtocol {
        @Override
        public void datagramReceived(ByteBuffer payload, IpPacket packet, int sourcePort) {
        }
    }

    private List<byte[]> answers(byte[] packet) throws Exception {
        if (tunnel == null) {
            tunnel = system.getTunnel(host.listen("jt0", reactor, system));
        }
        tunnel.readBuffer().add(packet);
        reactor.fireReadable();
        return tunnel.writeBuffer();
    }

    @Test
    void udpToAClosedPortGetsAPortUnreachableQuotingTheDatagram() throws Exception {
        byte[] datagram = Packets.ipv4Udp("10.77.0.1", 40000, "10.77.0.2", 9999, new byte[] {'h', 'i'});
        List<byte[]> out = answers(datagram);
        assertThat(out).hasSize(1);
        ByteBuffer e = ByteBuffer.wrap(out.get(0));
        assertThat(e.getInt(12)).as("from the address it was sent to").isEqualTo(Ipv4Header.parse("10.77.0.2"));
        assertThat(e.getInt(16)).isEqualTo(Ipv4Header.parse("10.77.0.1"));
        assertThat(e.get(20)).isEqualTo((byte) 3);
        assertThat(e.get(21)).isEqualTo((byte) 3);
        assertThat(InternetChecksum.checksum(e, 20, e.capacity() - 20, 0)).isZero();
        assertThat(Arrays.copyOfRange(out.get(0), 28, out.get(0).length)).isEqualTo(datagram);
        assertThat(host.udp().portUnreachablesSent()).isEqualTo(1);
    }

    @Test
    void ipv6UdpToAClosedPortGetsType1Code4() throws Exception {
        byte[] datagram = StackPackets.ipv6Udp("fd00:77::1", 40000, "fd00:77::2", 9999, new byte[] {'h', 'i'});
        List<byte[]> out = answers(datagram);
        assertThat(out).hasSize(1);
        assertThat(out.get(0)[6]).isEqualTo((byte) 58);
        assertThat(out.get(0)[40]).isEqualTo((byte) 1);
        assertThat(out.get(0)[41]).isEqualTo((byte) 4);
        assertThat(Arrays.copyOfRange(out.get(0), 48, out.get(0).length)).isEqualTo(datagram);
    }

    @Test
    void theQuoteOfALargeDatagramIsCutAt576BytesInAll() throws Exception {
        byte[] datagram = Packets.ipv4Udp("10.77.0.1", 40000, "10.77.0.2", 9999, pattern(1200));
        byte[] error = answers(datagram).get(0);
        assertThat(error).hasSize(576);
        assertThat(Arrays.copyOfRange(error, 28, 576)).isEqualTo(Arrays.copyOf(datagram, 548));
    }

    @Test
    void ipv6QuotesAsMuchAsFitsIn1280Bytes() throws Exception {
        byte[] datagram = StackPackets.ipv6Udp("fd00:77::1", 40000, "fd00:77::2", 9999, pattern(1400));
        assertThat(answers(datagram).get(0)).hasSize(1280);
    }

    @Test
    void noErrorAboutADatagramToTheBroadcast() throws Exception {
        assertThat(answers(Packets.ipv4Udp("10.77.0.1", 40000, "10.77.0.255", 9999, new byte[] {1}))).isEmpty();
        assertThat(answers(Packets.ipv4Udp("10.77.0.1", 40000, "255.255.255.255", 9999, new byte[] {1}))).isEmpty();
        assertThat(host.icmp().errorsSuppressed()).isEqualTo(2);
    }

    @Test
    void noErrorAboutADatagramToAMulticastGroup() throws Exception {
        assertThat(answers(StackPackets.ipv6Udp("fd00:77::1", 40000, "ff02::1", 9999, new byte[] {1}))).isEmpty();
    }

    @Test
    void anUnknownProtocolGetsAProtocolUnreachable() throws Exception {
        byte[] error = answers(Packets.ipv4("10.77.0.1", "10.77.0.2", 99, pattern(20))).get(0);
        assertThat(error[20]).isEqualTo((byte) 3);
        assertThat(error[21]).isEqualTo((byte) 2);
    }

    @Test
    void anUnknownIpv6NextHeaderGetsAParameterProblemPointingAtIt() throws Exception {
        byte[] error = answers(StackPackets.ipv6("fd00:77::1", "fd00:77::2", 99, 64, pattern(20))).get(0);
        assertThat(error[40]).isEqualTo((byte) 4);
        assertThat(error[41]).isEqualTo((byte) 1);
        assertThat(ByteBuffer.wrap(error).getInt(44)).isEqualTo(6);
    }

    @Test
    void aProtocolIsUnreachableOnlyUntilSomethingIsRegisteredForIt() {
        FragmentBench bench = new FragmentBench();
        byte[] segment = ipv4("10.77.0.1", 42, 1, pattern(20));
        bench.receive(segment);
        assertThat(bench.sent).hasSize(1);
        bench.ip.addProto(42, (payload, packet) -> { });
        bench.receive(segment);
        assertThat(bench.sent).hasSize(1);
    }

    @Test
    void theHostsTcpIsAKnownProtocol() throws Exception {
        assertThat(answers(Packets.ipv4("10.77.0.1", "10.77.0.2", IPProtocol.TCP, pattern(20)))
            .stream().filter(p -> p[9] == 1)).isEmpty();
    }

    @Test
    void errorsAreLimitedTo50AtOnceThen1000ASecond() throws Exception {
        for (int i = 0; i < 80; i++) {
            answers(Packets.ipv4Udp("10.77.0.1", 40000 + i, "10.77.0.2", 9999, new byte[] {1}));
        }
        assertThat(tunnel.writeBuffer()).hasSize(50);
        assertThat(host.icmp().drops().get(IcmpDrop.ERROR_RATE_LIMITED)).isEqualTo(30);
        reactor.advance(Duration.ofMillis(10));
        for (int i = 0; i < 20; i++) {
            answers(Packets.ipv4Udp("10.77.0.1", 40000 + i, "10.77.0.2", 9999, new byte[] {1}));
        }
        assertThat(tunnel.writeBuffer()).hasSize(60);
    }

    @Test
    void ipv4AndIpv6ErrorsShareOneBucket() throws Exception {
        for (int i = 0; i < 50; i++) {
            answers(Packets.ipv4Udp("10.77.0.1", 40000 + i, "10.77.0.2", 9999, new byte[] {1}));
        }
        assertThat(answers(StackPackets.ipv6Udp("fd00:77::1", 40000, "fd00:77::2", 9999, new byte[] {1}))).hasSize(50);
    }

    @Test
    void echoRepliesAreNotLimitedByDefault() throws Exception {
        byte[] ping = Packets.ipv4("10.77.0.1", "10.77.0.2", 1, StackPackets.icmpEcho(8, 1, 1, pattern(8)));
        for (int i = 0; i < 200; i++) {
            answers(ping);
        }
        assertThat(tunnel.writeBuffer()).hasSize(200);
    }

    @Test
    void aFragmentedPingOf3000BytesIsAnsweredInFragments() throws Exception {
        byte[] ping = Packets.ipv4("10.77.0.1", "10.77.0.2", 1, StackPackets.icmpEcho(8, 7, 1, pattern(3000)));
        ByteBuffer.wrap(ping).putShort(4, (short) 99).putShort(10, (short) 0);
        ByteBuffer.wrap(ping).putShort(10, (short) InternetChecksum.checksum(ByteBuffer.wrap(ping), 0, 20, 0));
        answers(ipv4Fragment(ping, 0, 1480, false));
        answers(ipv4Fragment(ping, 1480, 2960, false));
        List<byte[]> out = answers(ipv4Fragment(ping, 2960, 3008, true));
        assertThat(out).hasSize(3);
        byte[] reply = FragmentBench.join(out);
        assertThat(reply[20]).as("echo reply").isEqualTo((byte) 0);
        assertThat(Arrays.copyOfRange(reply, 28, reply.length)).isEqualTo(pattern(3000));
    }

    @Test
    void noTimeExceededAboutAFragmentedIcmpError() throws Exception {
        byte[] error = Packets.ipv4("10.77.0.1", "10.77.0.2", 1, icmp(3, 3, 0, pattern(2000)));
        answers(ipv4Fragment(error, 0, 1480, false));
        reactor.advance(Duration.ofSeconds(30));
        assertThat(tunnel.writeBuffer()).isEmpty();
        assertThat(host.ip().reassembler().drops().get(FragmentDrop.TIMEOUT)).isEqualTo(1);
    }

    /** An ICMPv4 message with its checksum. */
    static byte[] icmp(int type, int code, int word, byte[] body) {
        byte[] m = new byte[8 + body.length];
        ByteBuffer b = ByteBuffer.wrap(m).put(0, (byte) type).put(1, (byte) code).putInt(4, word);
        System.arraycopy(body, 0, m, 8, body.length);
        b.putShort(2, (short) InternetChecksum.checksum(b, 0, m.length, 0));
        return m;
    }

    /** A UDP datagram we could have sent: 10.77.0.2:5000 to 10.77.0.1:53, DF set. */
    private static byte[] ours(int length) {
        byte[] p = FragmentBench.ipv4("10.77.0.1", IPProtocol.UDP, 1, udp(5000, 53, pattern(length)));
        ByteBuffer b = ByteBuffer.wrap(p);
        b.put(12, InetAddress.ofLiteral("10.77.0.2").getAddress()).put(16, InetAddress.ofLiteral("10.77.0.1").getAddress());
        b.putShort(6, (short) Ipv4Header.FLAG_DONT_FRAGMENT).putShort(10, (short) 0);
        b.putShort(10, (short) InternetChecksum.checksum(b, 0, 20, 0));
        return p;
    }

    @Test
    void fragmentationNeededLowersThePathMtuAndReachesTheSender() {
        FragmentBench bench = new FragmentBench();
        bench.ip.pathMtu(new PathMtuCache(bench.clock));
        byte[] quote = Arrays.copyOf(ours(1400), 28);
        bench.receive(ipv4("10.77.0.254", 1, 1, icmp(3, 4, 1200, quote)));
        assertThat(bench.errors).containsExactly("3/4 5000->53 mtu 1200");
        assertThat(bench.ip.pathMtu().ipv4(Ipv4Header.parse("10.77.0.1"))).isEqualTo(1200);
        assertThat(bench.icmp.errorsReceived()).isEqualTo(1);
    }

    @Test
    void fragmentationNeededWithoutAnMtuUsesRfc1191sPlateau() {
        FragmentBench bench = new FragmentBench();
        bench.ip.pathMtu(new PathMtuCache(bench.clock));
        bench.receive(ipv4("10.77.0.254", 1, 1, icmp(3, 4, 0, Arrays.copyOf(ours(1400), 28))));
        assertThat(bench.ip.pathMtu().ipv4(Ipv4Header.parse("10.77.0.1"))).as("the plateau below 1428").isEqualTo(1006);
    }

    @Test
    void aPortUnreachableReachesTheProtocolWithTheQuotedPorts() {
        FragmentBench bench = new FragmentBench();
        bench.receive(ipv4("10.77.0.1", 1, 1, icmp(3, 3, 0, ours(10))));
        assertThat(bench.errors).containsExactly("3/3 5000->53 mtu 0");
    }

    @Test
    void anErrorAboutAPacketWeDidNotSendIsDropped() {
        FragmentBench bench = new FragmentBench();
        byte[] notOurs = FragmentBench.ipv4("10.77.0.1", IPProtocol.UDP, 1, udp(5000, 53, pattern(10)));
        bench.receive(ipv4("10.77.0.1", 1, 1, icmp(3, 3, 0, notOurs)));
        assertThat(bench.errors).isEmpty();
        assertThat(bench.icmp.drops().get(IcmpDrop.NOT_OUR_PACKET)).isEqualTo(1);
    }

    @Test
    void anErrorWithAShortQuoteIsDropped() {
        FragmentBench bench = new FragmentBench();
        bench.receive(ipv4("10.77.0.1", 1, 1, icmp(3, 3, 0, Arrays.copyOf(ours(10), 24))));
        assertThat(bench.icmp.drops().get(IcmpDrop.BAD_QUOTE)).isEqualTo(1);
    }

    @Test
    void packetTooBigLowersTheIpv6PathMtu() {
        FragmentBench bench = new FragmentBench();
        bench.ip.pathMtu(new PathMtuCache(bench.clock));
        byte[] quoted = FragmentBench.ipv6("fd00:77::2", IPProtocol.UDP, udp(5000, 53, pattern(1400)));
        ByteBuffer.wrap(quoted).put(8, InetAddress.ofLiteral("fd00:77::2").getAddress())
            .put(24, InetAddress.ofLiteral("fd00:99::1").getAddress());
        byte[] message = new byte[8 + 1232];
        ByteBuffer m = ByteBuffer.wrap(message).put(0, (byte) 2).putInt(4, 1300);
        System.arraycopy(quoted, 0, message, 8, 1232);
        byte[] packet = FragmentBench.ipv6("fd00:77::1", 58, message);
        m.putShort(2, (short) InternetChecksum.checksum(m, 0, message.length,
            StackPackets.pseudoHeaderIpv6("fd00:77::1", "fd00:77::2", 58, message.length)));
        System.arraycopy(message, 0, packet, 40, message.length);
        bench.receive(packet);
        assertThat(bench.errors).containsExactly("2/0 5000->53 mtu 1300");
        assertThat(bench.ip.pathMtu().ipv6(Ipv6Header.high(InetAddress.ofLiteral("fd00:99::1")),
            Ipv6Header.low(InetAddress.ofLiteral("fd00:99::1")))).isEqualTo(1300);
    }
}

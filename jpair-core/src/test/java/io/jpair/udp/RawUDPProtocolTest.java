package io.jpair.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpair.ip.IpPacket;
import io.jpair.testing.Packets;
import io.jpair.testing.StackPackets;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * test_rawudp.py ported (5.3): the IP packet is real (so the host comes from its source address),
 * and the UDP length is correct (Twisted's test used a wrong one, which is now validated).
 */
class RawUDPProtocolTest {
    record Received(String data, String host, int port) {
    }

    static class Recording extends DatagramProtocol {
        final List<Received> received = new ArrayList<>();

        @Override
        public void datagramReceived(byte[] data, InetSocketAddress source) {
            received.add(new Received(new String(data, StandardCharsets.US_ASCII), source.getAddress().getHostAddress(),
                source.getPort()));
        }
    }

    private final IpPacket context = new IpPacket();

    private void feed(RawUDPProtocol udp, String host, int sourcePort, int destinationPort, String data) {
        byte[] packet = Packets.ipv4(host, "10.0.0.1", Packets.PROTO_UDP,
            Packets.udp(sourcePort, destinationPort, data.getBytes(StandardCharsets.US_ASCII)));
        feedPacket(udp, packet);
    }

    private void feedPacket(RawUDPProtocol udp, byte[] packet) {
        ByteBuffer buffer = ByteBuffer.wrap(packet);
        context.wrap(buffer, 0);
        buffer.position(context.payloadOffset()).limit(context.payloadOffset() + context.payloadLength());
        udp.datagramReceived(buffer, context);
    }

    @Test
    void packetParsingDeliversDataHostAndSourcePort() {
        RawUDPProtocol udp = new RawUDPProtocol();
        Recording proto = new Recording();
        udp.addProto(0xF00F, proto);
        feed(udp, "10.1.2.3", 0x43A2, 0xF00F, "foobar");
        assertThat(proto.received).containsExactly(new Received("foobar", "10.1.2.3", 0x43A2));
    }

    @Test
    void multiplePacketsArriveInOrderWithTheirOwnSenders() {
        RawUDPProtocol udp = new RawUDPProtocol();
        Recording proto = new Recording();
        udp.addProto(0xF00F, proto);
        feed(udp, "10.1.2.3", 0x43A2, 0xF00F, "foobar");
        feed(udp, "10.1.2.4", 0x61FE, 0xF00F, "quux");
        assertThat(proto.received).containsExactly(new Received("foobar", "10.1.2.3", 0x43A2),
            new Received("quux", "10.1.2.4", 0x61FE));
    }

    @Test
    void multipleSameProtosAllReceive() {
        RawUDPProtocol udp = new RawUDPProtocol();
        Recording first = new Recording();
        Recording second = new Recording();
        udp.addProto(0xF00F, first);
        udp.addProto(0xF00F, second);
        feed(udp, "10.1.2.3", 0x43A2, 0xF00F, "foobar");
        assertThat(first.received).hasSize(1);
        assertThat(second.received).isEqualTo(first.received);
    }

    @Test
    void wrongProtoNotSeen() {
        RawUDPProtocol udp = new RawUDPProtocol();
        Recording proto = new Recording();
        udp.addProto(1, proto);
        feed(udp, "10.1.2.3", 0x43A2, 0xF00F, "foobar");
        assertThat(proto.received).isEmpty();
        assertThat(udp.drops().get(UdpDrop.NO_LISTENER)).isEqualTo(1);
    }

    @Test
    void demuxingRoutesEachPort() {
        RawUDPProtocol udp = new RawUDPProtocol();
        Recording a = new Recording();
        Recording b = new Recording();
        udp.addProto(0xF00F, a);
        udp.addProto(0xB050, b);
        feed(udp, "10.1.2.3", 0x43A2, 0xF00F, "foobar");
        feed(udp, "10.1.2.4", 0x61FE, 0xB050, "quux");
        feed(udp, "10.1.2.5", 0x43A3, 0xF00F, "foobar2");
        feed(udp, "10.1.2.6", 0x61FF, 0xB050, "quux2");
        assertThat(a.received).containsExactly(new Received("foobar", "10.1.2.3", 0x43A2),
            new Received("foobar2", "10.1.2.5", 0x43A3));
        assertThat(b.received).containsExactly(new Received("quux", "10.1.2.4", 0x61FE),
            new Received("quux2", "10.1.2.6", 0x61FF));
    }

    @Test
    void addingNullProtoIsRejected() {
        assertThatThrownBy(() -> new RawUDPProtocol().addProto(42, null)).isInstanceOf(NullPointerException.class)
            .hasMessageContaining("Added protocol must be an instance of DatagramProtocol");
    }

    @Test
    void addingNegativePortIsRejected() {
        assertThatThrownBy(() -> new RawUDPProtocol().addProto(-1, new Recording()))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("Added protocol must be positive or zero: -1");
    }

    @Test
    void addingPort65536IsRejected() {
        assertThatThrownBy(() -> new RawUDPProtocol().addProto(1 << 16, new Recording()))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("Added protocol must fit in 16 bits: 65536");
    }

    @Test
    void addingPort65537IsRejected() {
        assertThatThrownBy(() -> new RawUDPProtocol().addProto((1 << 16) + 1, new Recording()))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("Added protocol must fit in 16 bits: 65537");
    }

    @Test
    void udpLengthBoundsThePayloadAndBadLengthsAreCounted() {
        RawUDPProtocol udp = new RawUDPProtocol();
        Recording proto = new Recording();
        udp.addProto(7, proto);
        byte[] datagram = Packets.udp(1000, 7, "abc".getBytes(StandardCharsets.US_ASCII));
        byte[] padded = Arrays.copyOf(datagram, datagram.length + 5);
        feedPacket(udp, Packets.ipv4("10.0.0.2", "10.0.0.1", 17, padded));
        byte[] tooLong = datagram.clone();
        tooLong[5] = 40;
        feedPacket(udp, Packets.ipv4("10.0.0.2", "10.0.0.1", 17, tooLong));
        byte[] tooShort = datagram.clone();
        tooShort[5] = 7;
        feedPacket(udp, Packets.ipv4("10.0.0.2", "10.0.0.1", 17, tooShort));
        feedPacket(udp, Packets.ipv4("10.0.0.2", "10.0.0.1", 17, new byte[5]));
        assertThat(proto.received).containsExactly(new Received("abc", "10.0.0.2", 1000));
        assertThat(udp.drops().get(UdpDrop.TRUNCATED)).isEqualTo(2);
        assertThat(udp.drops().get(UdpDrop.BAD_LENGTH)).isEqualTo(1);
    }

    @Test
    void checksumIsVerifiedWhenPresent() {
        RawUDPProtocol udp = new RawUDPProtocol();
        Recording proto = new Recording();
        udp.addProto(7, proto);
        byte[] good = Packets.ipv4Udp("10.0.0.2", 1000, "10.0.0.1", 7, "abc".getBytes(StandardCharsets.US_ASCII));
        feedPacket(udp, good);
        byte[] bad = good.clone();
        bad[bad.length - 1] ^= 0x55;
        feedPacket(udp, bad);
        assertThat(proto.received).hasSize(1);
        assertThat(udp.drops().get(UdpDrop.BAD_CHECKSUM)).isEqualTo(1);
    }

    @Test
    void ipv6RequiresAChecksum() {
        RawUDPProtocol udp = new RawUDPProtocol();
        Recording proto = new Recording();
        udp.addProto(7, proto);
        byte[] good = StackPackets.ipv6Udp("fd00::1", 1000, "fd00::2", 7, "abc".getBytes(StandardCharsets.US_ASCII));
        feedPacket(udp, good);
        byte[] zero = good.clone();
        zero[46] = 0;
        zero[47] = 0;
        feedPacket(udp, zero);
        assertThat(proto.received).containsExactly(new Received("abc", "fd00:0:0:0:0:0:0:1", 1000));
        assertThat(udp.drops().get(UdpDrop.MISSING_CHECKSUM)).isEqualTo(1);
    }

    @Test
    void addProtoConnectsTheProtocolToItsPort() {
        RawUDPProtocol udp = new RawUDPProtocol();
        Recording proto = new Recording();
        udp.addProto(5353, proto);
        assertThat(proto.transport().getPort()).isEqualTo(5353);
        assertThat(udp.removeProto(5353, proto)).isTrue();
        assertThat(proto.transport()).isNull();
    }

    @Test
    void receiveOnlyInstanceCannotSend() {
        RawUDPProtocol udp = new RawUDPProtocol();
        Recording proto = new Recording();
        udp.addProto(7, proto);
        assertThatThrownBy(() -> proto.transport().write(new byte[1], new InetSocketAddress("10.0.0.1", 7)))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("without an IPProtocol");
    }
}

package io.jpair.ethernet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpair.testing.Packets;
import io.jpair.transport.AbstractPacketProtocol;
import io.jpair.transport.RawPacketProtocol;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** test_ethernet.py ported (5.1), plus the fixes and drop counters. */
class EthernetProtocolTest {
    private static final byte[] DEST = "123456".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SOURCE = "987654".getBytes(StandardCharsets.US_ASCII);

    record Received(String data, long destination, long source, int etherType) {
    }

    static class Recording extends AbstractPacketProtocol implements RawPacketProtocol {
        final List<Received> received = new ArrayList<>();

        @Override
        public void datagramReceived(ByteBuffer packet, long destination, long source, int etherType) {
            byte[] copy = new byte[packet.remaining()];
            packet.get(packet.position(), copy);
            received.add(new Received(new String(copy, StandardCharsets.US_ASCII), destination, source, etherType));
        }
    }

    private static ByteBuffer frame(int etherType, String payload) {
        return ByteBuffer.wrap(Packets.ethernet(SOURCE, DEST, etherType, payload.getBytes(StandardCharsets.US_ASCII)));
    }

    private static Received expected(String data, int etherType) {
        return new Received(data, MacAddress.of(DEST).value(), MacAddress.of(SOURCE).value(), etherType);
    }

    @Test
    void packetParsingDeliversPayloadAddressesAndType() {
        EthernetProtocol ethernet = new EthernetProtocol();
        Recording proto = new Recording();
        ethernet.addProto(0x0800, proto);
        ethernet.datagramReceived(frame(0x0800, "foobar"));
        assertThat(proto.received).containsExactly(expected("foobar", 0x0800));
    }

    @Test
    void multiplePacketsArriveInOrder() {
        EthernetProtocol ethernet = new EthernetProtocol();
        Recording proto = new Recording();
        ethernet.addProto(0x0800, proto);
        ethernet.datagramReceived(frame(0x0800, "foobar"));
        ethernet.datagramReceived(frame(0x0800, "quux"));
        assertThat(proto.received).containsExactly(expected("foobar", 0x0800), expected("quux", 0x0800));
    }

    @Test
    void multipleSameProtosAllReceiveTheFrame() {
        EthernetProtocol ethernet = new EthernetProtocol();
        Recording first = new Recording();
        Recording second = new Recording();
        ethernet.addProto(0x0800, first);
        ethernet.addProto(0x0800, second);
        ethernet.datagramReceived(frame(0x0800, "foobar"));
        assertThat(first.received).containsExactly(expected("foobar", 0x0800));
        assertThat(second.received).containsExactly(expected("foobar", 0x0800));
    }

    @Test
    void wrongProtoNotSeen() {
        EthernetProtocol ethernet = new EthernetProtocol();
        Recording proto = new Recording();
        ethernet.addProto(0x0801, proto);
        ethernet.datagramReceived(frame(0x0800, "foobar"));
        assertThat(proto.received).isEmpty();
        assertThat(ethernet.drops().get(EthernetDrop.UNKNOWN_ETHERTYPE)).isEqualTo(1);
    }

    @Test
    void demuxingRoutesEachTypeToItsProtocol() {
        EthernetProtocol ethernet = new EthernetProtocol();
        Recording ip = new Recording();
        Recording arp = new Recording();
        ethernet.addProto(0x0800, ip);
        ethernet.addProto(0x0806, arp);
        ethernet.datagramReceived(frame(0x0800, "foobar"));
        ethernet.datagramReceived(frame(0x0806, "quux"));
        ethernet.datagramReceived(frame(0x0800, "foobar"));
        ethernet.datagramReceived(frame(0x0806, "quux"));
        assertThat(ip.received).containsExactly(expected("foobar", 0x0800), expected("foobar", 0x0800));
        assertThat(arp.received).containsExactly(expected("quux", 0x0806), expected("quux", 0x0806));
    }

    @Test
    void addingNullProtoIsRejected() {
        assertThatThrownBy(() -> new EthernetProtocol().addProto(42, null))
            .isInstanceOf(NullPointerException.class).hasMessageContaining("RawPacketProtocol");
    }

    @Test
    void addingNegativeTypeIsRejected() {
        assertThatThrownBy(() -> new EthernetProtocol().addProto(-1, new Recording()))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("Added protocol must be positive or zero: -1");
    }

    @Test
    void addingTypeOf65536IsRejected() {
        assertThatThrownBy(() -> new EthernetProtocol().addProto(1 << 16, new Recording()))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("Added protocol must fit in 16 bits: 65536");
    }

    @Test
    void addingTypeOf65537IsRejected() {
        assertThatThrownBy(() -> new EthernetProtocol().addProto((1 << 16) + 1, new Recording()))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("Added protocol must fit in 16 bits: 65537");
    }

    @Test
    void removedProtoNoLongerReceives() {
        EthernetProtocol ethernet = new EthernetProtocol();
        Recording proto = new Recording();
        ethernet.addProto(0x0800, proto);
        assertThat(ethernet.removeProto(0x0800, proto)).isTrue();
        assertThat(ethernet.removeProto(0x0800, proto)).isFalse();
        ethernet.datagramReceived(frame(0x0800, "foobar"));
        assertThat(proto.received).isEmpty();
    }

    @Test
    void taggedFramesOfEitherTpidAreDroppedAndCountedByDefault() {
        EthernetProtocol ethernet = new EthernetProtocol();
        Recording proto = new Recording();
        ethernet.addProto(0x0806, proto);
        byte[] tagged = {0x00, 0x64, 0x08, 0x06, 'h', 'i'}; // VLAN 100, inner type ARP
        ethernet.datagramReceived(ByteBuffer.wrap(Packets.ethernet(SOURCE, DEST, 0x8100, tagged)));
        ethernet.datagramReceived(ByteBuffer.wrap(Packets.ethernet(SOURCE, DEST, 0x88A8, tagged)));
        assertThat(proto.received).isEmpty();
        assertThat(ethernet.drops().get(EthernetDrop.VLAN_TAGGED)).isEqualTo(2);
        assertThat(ethernet.framesDelivered()).isZero();
    }

    @Test
    void aTaggedFrameOfAnAcceptedVlanIsDemultiplexedByInnerType() {
        EthernetProtocol ethernet = new EthernetProtocol().acceptVlan(7);
        int[] vlan = {-2, -2};
        Recording proto = new Recording() {
            @Override
            public void datagramReceived(ByteBuffer packet, long destination, long source, int etherType) {
                vlan[0] = ethernet.header().vlanId();
                vlan[1] = ethernet.frameVlan();
                super.datagramReceived(packet, destination, source, etherType);
            }
        };
        ethernet.addProto(0x0800, proto);
        byte[] tagged = {0x20, 0x07, 0x08, 0x00, 'h', 'i'}; // PCP 1, VLAN 7, inner type IPv4
        ethernet.datagramReceived(ByteBuffer.wrap(Packets.ethernet(SOURCE, DEST, 0x8100, tagged)));
        assertThat(proto.received).containsExactly(expected("hi", 0x0800));
        assertThat(vlan).containsExactly(7, 7);
        assertThat(ethernet.frameVlan()).as("outside a delivery").isEqualTo(-1);
    }

    @Test
    void onlyTheAcceptedVlanPasses() {
        EthernetProtocol ethernet = new EthernetProtocol().acceptVlan(7);
        Recording proto = new Recording();
        ethernet.addProto(0x0800, proto);
        byte[] otherVlan = {0x00, 0x08, 0x08, 0x00, 'h', 'i'};
        ethernet.datagramReceived(ByteBuffer.wrap(Packets.ethernet(SOURCE, DEST, 0x8100, otherVlan)));
        assertThat(proto.received).isEmpty();
        assertThat(ethernet.drops().get(EthernetDrop.VLAN_TAGGED)).isEqualTo(1);
        assertThat(ethernet.acceptsVlan(7)).isTrue();
        assertThat(ethernet.acceptsVlan(8)).isFalse();
    }

    @Test
    void ieee8023LengthIsNotTakenForAType() {
        EthernetProtocol ethernet = new EthernetProtocol();
        Recording proto = new Recording();
        ethernet.addProto(0x0005, proto);
        ethernet.datagramReceived(frame(0x0005, "hello"));
        assertThat(proto.received).isEmpty();
        assertThat(ethernet.drops().get(EthernetDrop.NOT_ETHERNET_II)).isEqualTo(1);
    }

    @Test
    void truncatedAndEmptyFramesAreCounted() {
        EthernetProtocol ethernet = new EthernetProtocol();
        ethernet.addProto(0x0800, new Recording());
        ethernet.datagramReceived(ByteBuffer.allocate(0));
        ethernet.datagramReceived(ByteBuffer.allocate(13));
        ethernet.datagramReceived(ByteBuffer.wrap(Packets.ethernet(SOURCE, DEST, 0x8100, new byte[3])));
        assertThat(ethernet.drops().get(EthernetDrop.TRUNCATED)).isEqualTo(3);
    }

    @Test
    void unicastForAnotherStationIsDroppedWhenFilterIsSet() {
        EthernetProtocol ethernet = new EthernetProtocol().localAddress(MacAddress.parse("02:00:00:00:00:01").value());
        Recording proto = new Recording();
        ethernet.addProto(0x0800, proto);
        byte[] other = {0x02, 0, 0, 0, 0, 0x09};
        ethernet.datagramReceived(ByteBuffer.wrap(Packets.ethernet(SOURCE, other, 0x0800, new byte[] {'x'})));
        byte[] broadcast = {-1, -1, -1, -1, -1, -1};
        ethernet.datagramReceived(ByteBuffer.wrap(Packets.ethernet(SOURCE, broadcast, 0x0800, new byte[] {'x'})));
        assertThat(ethernet.drops().get(EthernetDrop.NOT_FOR_US)).isEqualTo(1);
        assertThat(proto.received).hasSize(1);
    }

    @Test
    void throwingProtocolDoesNotStopDeliveryToOthers() {
        EthernetProtocol ethernet = new EthernetProtocol();
        Recording after = new Recording();
        ethernet.addProto(0x0800, new Recording() {
            @Override
            public void datagramReceived(ByteBuffer packet, long destination, long source, int etherType) {
                throw new IllegalStateException("boom");
            }
        });
        ethernet.addProto(0x0800, after);
        ethernet.datagramReceived(frame(0x0800, "foobar"));
        assertThat(after.received).hasSize(1);
        assertThat(ethernet.drops().get(EthernetDrop.PROTOCOL_FAILED)).isEqualTo(1);
    }

    @Test
    void bufferPositionIsRestoredAfterDelivery() {
        EthernetProtocol ethernet = new EthernetProtocol();
        ethernet.addProto(0x0800, new Recording());
        ByteBuffer f = frame(0x0800, "foobar");
        ethernet.datagramReceived(f);
        assertThat(f.position()).isZero();
        assertThat(f.limit()).isEqualTo(20);
    }
}

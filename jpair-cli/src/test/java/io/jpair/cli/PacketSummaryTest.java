package io.jpair.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.testing.Packets;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PacketSummaryTest {
    private static final byte[] KERNEL_MAC = HexFormat.ofDelimiter(":").parseHex("02:00:00:00:00:01");
    private static final byte[] BROADCAST = HexFormat.ofDelimiter(":").parseHex("ff:ff:ff:ff:ff:ff");

    private static String tun(byte[] packet) {
        return new PacketSummary(false).describeWithoutTime(ByteBuffer.wrap(packet));
    }

    private static String tap(byte[] frame) {
        return new PacketSummary(true).describeWithoutTime(ByteBuffer.wrap(frame));
    }

    @Test
    void udpOverIpv4ShowsAddressesPortsAndPayloadLength() {
        byte[] packet = Packets.ipv4Udp("10.0.0.1", 40000, "10.0.0.2", 7, new byte[5]);

        assertThat(tun(packet)).isEqualTo("IPv4 10.0.0.1 > 10.0.0.2: UDP 40000 > 7, payload 5, 33 bytes");
    }

    @Test
    void icmpEchoRequestShowsIdAndSequence() {
        byte[] icmp = {8, 0, 0, 0, 0, 7, 0, 1};
        byte[] packet = Packets.ipv4("10.0.0.1", "10.0.0.2", Packets.PROTO_ICMP, icmp);

        assertThat(tun(packet)).isEqualTo("IPv4 10.0.0.1 > 10.0.0.2: ICMP echo request id 7 seq 1, 28 bytes");
    }

    @Test
    void arpRequestOnTapShowsWhoHasAndTell() {
        byte[] arp = HexFormat.of().parseHex("0001" + "0800" + "06" + "04" + "0001" + "020000000001" + "0a000001"
            + "000000000000" + "0a000002");

        assertThat(tap(Packets.ethernet(KERNEL_MAC, BROADCAST, Packets.ETHERTYPE_ARP, arp)))
            .isEqualTo("02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, ARP who-has 10.0.0.2 tell 10.0.0.1, 42 bytes");
    }

    @Test
    void ipv6NeighborSolicitationShowsTheTarget() {
        byte[] ipv6 = new byte[40 + 24];
        ipv6[0] = 0x60;
        ipv6[5] = 24;
        ipv6[6] = 58;
        ipv6[7] = (byte) 255;
        ipv6[8] = (byte) 0xfd;
        ipv6[23] = 1;
        ipv6[24] = (byte) 0xff;
        ipv6[25] = 2;
        ipv6[39] = 1;
        ipv6[40] = (byte) 135;
        ipv6[48] = (byte) 0xfd;
        ipv6[63] = 2;

        assertThat(tun(ipv6))
            .isEqualTo("IPv6 fd00::1 > ff02::1: ICMPv6 neighbor solicitation, who has fd00::2, 64 bytes");
    }

    @Test
    void shortOrForeignPacketsAreNamedNotThrown() {
        assertThat(tun(new byte[0])).isEqualTo("empty packet, 0 bytes");
        assertThat(tun(new byte[] {0x45, 0})).isEqualTo("not an IP packet (version 4), 2 bytes");
        assertThat(tap(new byte[3])).isEqualTo("truncated Ethernet frame, 3 bytes");
    }

    @Test
    void ipv6AddressesAreCompressed() {
        byte[] raw = new byte[16];
        raw[0] = (byte) 0xfd;
        raw[15] = 2;
        assertThat(PacketSummary.format(raw)).isEqualTo("fd00::2");
        assertThat(PacketSummary.format(new byte[16])).isEqualTo("::");
        raw[15] = 0;
        raw[3] = 1;
        raw[13] = 1;
        assertThat(PacketSummary.format(raw)).isEqualTo("fd00:1::1:0");
    }
}

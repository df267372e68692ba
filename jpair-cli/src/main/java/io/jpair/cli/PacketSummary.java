package io.jpair.cli;

import java.nio.ByteBuffer;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * One line per packet, tcpdump-like, for {@code jpair capture} without {@code -w}:
 * <pre>
 * 20:41:07.123456 IPv4 10.77.1.1 &gt; 10.77.1.2: ICMP echo request id 7 seq 1, 84 bytes
 * 20:41:07.123901 02:6a:70:00:00:01 &gt; ff:ff:ff:ff:ff:ff, ARP who-has 10.77.2.2 tell 10.77.2.1, 42 bytes
 * </pre>
 * Decodes Ethernet (with one VLAN tag), ARP, IPv4, IPv6, UDP, TCP ports, ICMP and ICMPv6 types;
 * anything else or anything short is named as such, never an exception. Allocates (it builds
 * text): for people reading, not for the packet path.
 */
final class PacketSummary {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");

    private final boolean ethernet;

    /**
     * A summarizer for one device type.
     *
     * @param ethernet true for TAP frames, false for TUN (IP) packets
     */
    PacketSummary(boolean ethernet) {
        this.ethernet = ethernet;
    }

    /**
     * Describes a packet stamped with the current local time.
     *
     * @param packet the bytes between position and limit; not moved
     * @return one line
     */
    String describe(ByteBuffer packet) {
        return LocalTime.now().format(TIME) + " " + describeWithoutTime(packet);
    }

    /**
     * Describes a packet.
     *
     * @param packet the bytes between position and limit; not moved
     * @return one line without a timestamp
     */
    String describeWithoutTime(ByteBuffer packet) {
        int start = packet.position();
        int length = packet.limit() - start;
        StringBuilder line = new StringBuilder();
        if (ethernet) {
            ethernet(packet, start, length, line);
        } else {
            ip(packet, start, length, line);
        }
        return line.append(", ").append(length).append(" bytes").toString();
    }

    private static void ethernet(ByteBuffer b, int at, int length, StringBuilder line) {
        if (length < 14) {
            line.append("truncated Ethernet frame");
            return;
        }
        line.append(mac(b, at + 6)).append(" > ").append(mac(b, at)).append(", ");
        int type = u16(b, at + 12);
        int header = 14;
        if (type == 0x8100 && length >= 18) {
            line.append("VLAN ").append(u16(b, at + 14) & 0x0FFF).append(", ");
            type = u16(b, at + 16);
            header = 18;
        }
        switch (type) {
            case 0x0806 -> arp(b, at + header, length - header, line);
            case 0x0800, 0x86DD -> ip(b, at + header, length - header, line);
            default -> line.append(String.format("EtherType 0x%04x", type));
        }
    }

    private static void arp(ByteBuffer b, int at, int length, StringBuilder line) {
        if (length < 28 || u16(b, at + 2) != 0x0800 || (b.get(at + 4) & 0xFF) != 6) {
            line.append("ARP (not IPv4 over Ethernet, or truncated)");
            return;
        }
        int operation = u16(b, at + 6);
        String senderIp = address(b, at + 14, 4);
        String targetIp = address(b, at + 24, 4);
        switch (operation) {
            case 1 -> line.append("ARP who-has ").append(targetIp).append(" tell ").append(senderIp);
            case 2 -> line.append("ARP ").append(senderIp).append(" is-at ").append(mac(b, at + 8));
            default -> line.append("ARP operation ").append(operation);
        }
    }

    private static void ip(ByteBuffer b, int at, int length, StringBuilder line) {
        int version = length > 0 ? (b.get(at) & 0xFF) >>> 4 : 0;
        if (version == 4 && length >= 20) {
            int headerLength = (b.get(at) & 0x0F) * 4;
            int protocol = b.get(at + 9) & 0xFF;
            line.append("IPv4 ").append(address(b, at + 12, 4)).append(" > ").append(address(b, at + 16, 4))
                .append(": ");
            boolean firstFragment = (u16(b, at + 6) & 0x1FFF) == 0;
            if (headerLength < 20 || headerLength > length || !firstFragment) {
                line.append(firstFragment ? "bad header length" : "fragment").append(", protocol ").append(protocol);
                return;
            }
            transport(b, protocol, at + headerLength, length - headerLength, false, line);
        } else if (version == 6 && length >= 40) {
            line.append("IPv6 ").append(address(b, at + 8, 16)).append(" > ").append(address(b, at + 24, 16))
                .append(": ");
            transport(b, b.get(at + 6) & 0xFF, at + 40, length - 40, true, line);
        } else {
            line.append(length == 0 ? "empty packet" : "not an IP packet (version " + version + ")");
        }
    }

    private static void transport(ByteBuffer b, int protocol, int at, int length, boolean v6, StringBuilder line) {
        switch (protocol) {
            case 17 -> {
                if (length < 8) {
                    line.append("truncated UDP");
                } else {
                    line.append("UDP ").append(u16(b, at)).append(" > ").append(u16(b, at + 2))
                        .append(", payload ").append(u16(b, at + 4) - 8);
                }
            }
            case 6 -> line.append(length < 4 ? "truncated TCP" : "TCP " + u16(b, at) + " > " + u16(b, at + 2));
            case 1 -> icmp(b, at, length, line);
            case 58 -> icmpv6(b, at, length, line);
            case 0 -> line.append(v6 ? "IPv6 hop-by-hop options" : "protocol 0");
            default -> line.append("protocol ").append(protocol);
        }
    }

    private static void icmp(ByteBuffer b, int at, int length, StringBuilder line) {
        if (length < 8) {
            line.append("truncated ICMP");
            return;
        }
        int type = b.get(at) & 0xFF;
        switch (type) {
            case 8, 0 -> line.append("ICMP echo ").append(type == 8 ? "request" : "reply").append(" id ")
                .append(u16(b, at + 4)).append(" seq ").append(u16(b, at + 6));
            case 3 -> line.append("ICMP destination unreachable, code ").append(b.get(at + 1) & 0xFF);
            case 11 -> line.append("ICMP time exceeded");
            default -> line.append("ICMP type ").append(type);
        }
    }

    private static void icmpv6(ByteBuffer b, int at, int length, StringBuilder line) {
        if (length < 8) {
            line.append("truncated ICMPv6");
            return;
        }
        int type = b.get(at) & 0xFF;
        switch (type) {
            case 128, 129 -> line.append("ICMPv6 echo ").append(type == 128 ? "request" : "reply").append(" id ")
                .append(u16(b, at + 4)).append(" seq ").append(u16(b, at + 6));
            case 133 -> line.append("ICMPv6 router solicitation");
            case 134 -> line.append("ICMPv6 router advertisement");
            case 135, 136 -> {
                line.append(type == 135 ? "ICMPv6 neighbor solicitation" : "ICMPv6 neighbor advertisement");
                if (length >= 24) {
                    line.append(type == 135 ? ", who has " : ", tgt is ").append(address(b, at + 8, 16));
                }
            }
            case 143 -> line.append("ICMPv6 multicast listener report v2");
            case 1 -> line.append("ICMPv6 destination unreachable, code ").append(b.get(at + 1) & 0xFF);
            default -> line.append("ICMPv6 type ").append(type);
        }
    }

    private static int u16(ByteBuffer b, int at) {
        return ((b.get(at) & 0xFF) << 8) | (b.get(at + 1) & 0xFF);
    }

    private static String mac(ByteBuffer b, int at) {
        StringBuilder text = new StringBuilder(17);
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                text.append(':');
            }
            int octet = b.get(at + i) & 0xFF;
            text.append(Character.forDigit(octet >>> 4, 16)).append(Character.forDigit(octet & 0xF, 16));
        }
        return text.toString();
    }

    private static String address(ByteBuffer b, int at, int length) {
        byte[] raw = new byte[length];
        b.get(at, raw);
        return format(raw);
    }

    /**
     * Text for an IPv4 or IPv6 address, IPv6 compressed as RFC 5952 says ({@code fd00::2}, not
     * Java's {@code fd00:0:0:0:0:0:0:2}).
     *
     * @param raw 4 or 16 bytes
     * @return the text
     */
    static String format(byte[] raw) {
        if (raw.length == 4) {
            return (raw[0] & 0xFF) + "." + (raw[1] & 0xFF) + "." + (raw[2] & 0xFF) + "." + (raw[3] & 0xFF);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((raw[2 * i] & 0xFF) << 8) | (raw[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(i, j);
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}

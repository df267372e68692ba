package io.jpair.host;

import io.jpair.ethernet.MacAddress;
import io.jpair.testing.Packets;
import io.jpair.testing.StackPackets;
import io.jpair.tuntap.offload.OffloadPackets;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Valid frames a host on 10.77.1.2/24 and fd00:77::2/64 (MAC {@link #OUR_MAC}, UDP echo on port 7)
 * may receive, and jqwik arbitraries that mutate them: flipped bits, overwritten bytes,
 * truncation, random tails, and (half of the time) checksums recomputed afterwards so the mutation
 * reaches the layers behind the checksum. Pure random frames are mixed in.
 *
 * <p>{@link #structured} is structure-aware: it takes a valid frame, finds its header fields
 * ({@link #fields}: Ethernet, VLAN, ARP, IPv4, IPv6, ICMP/ICMPv6 and neighbour discovery, UDP,
 * TCP), changes exactly one of them to a boundary or random value, and recomputes the checksums
 * unless the field changed is a checksum, so every input is valid but for one field and reaches
 * the code behind that field.
 */
final class FrameCorpus {
    static final MacAddress OUR_MAC = MacAddress.parse("02:00:00:77:00:02");
    static final byte[] PEER = {0x02, 0, 0, 0x77, 0, 0x01};
    static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};
    static final byte[] ALL_NODES_MAC = {0x33, 0x33, 0, 0, 0, 1};
    static final byte[] SOLICITED_MAC = {0x33, 0x33, -1, 0, 0, 2};
    private static final int PROTO_TCP = 6;
    private static final byte[] DATA = "fuzz me, if you can".getBytes(StandardCharsets.US_ASCII);

    /** IP packets (TUN). */
    static final List<byte[]> PACKETS = List.of(
        Packets.ipv4("10.77.1.1", "10.77.1.2", 1, StackPackets.icmpEcho(8, 1, 1, DATA)),
        Packets.ipv4("10.77.1.1", "10.77.1.255", 1, StackPackets.icmpEcho(8, 1, 2, DATA)),
        Packets.ipv4("10.77.1.1", "10.77.1.2", 1, StackPackets.icmpEcho(0, 1, 3, DATA)),
        Packets.ipv4Udp("10.77.1.1", 4000, "10.77.1.2", 7, DATA),
        Packets.ipv4Udp("10.77.1.1", 4000, "10.77.1.2", 9, DATA),
        Packets.ipv4Udp("10.77.1.1", 4000, "10.77.1.2", 7, new byte[0]),
        StackPackets.ipv6Icmp("fd00:77::1", "fd00:77::2", 64, StackPackets.icmpv6Echo(128, 1, 1, DATA)),
        StackPackets.ipv6Icmp("fd00:77::1", "ff02::1", 64, StackPackets.icmpv6Echo(128, 1, 1, DATA)),
        StackPackets.ipv6Icmp("fd00:77::1", "ff02::1:ff00:2", 255,
            StackPackets.neighbourMessage(135, 0, "fd00:77::2", 1, PEER)),
        StackPackets.ipv6Icmp("::", "ff02::1:ff00:2", 255, StackPackets.neighbourMessage(135, 0, "fd00:77::2", 1, PEER)),
        StackPackets.ipv6Icmp("fd00:77::1", "fd00:77::2", 255,
            StackPackets.neighbourMessage(136, 0x60000000, "fd00:77::1", 2, PEER)),
        StackPackets.ipv6Udp("fd00:77::1", 4001, "fd00:77::2", 7, DATA));

    /** Ethernet frames (TAP): ARP, every packet above, and a VLAN-tagged one. */
    static final List<byte[]> FRAMES = frames();

    /** TCP segments, v4 and v6, SYN and ACK (the host has no TCP: IP's demultiplexer drops them). */
    static final List<byte[]> TCP_PACKETS = List.of(
        tcp(false, OffloadPackets.SYN), tcp(false, OffloadPackets.ACK | OffloadPackets.PSH),
        tcp(true, OffloadPackets.SYN), tcp(true, OffloadPackets.ACK | OffloadPackets.PSH));

    /** The structure-aware corpus for TUN: {@link #PACKETS} and {@link #TCP_PACKETS}. */
    static final List<byte[]> STRUCTURED_PACKETS = concat(PACKETS, TCP_PACKETS);

    /** The structure-aware corpus for TAP: {@link #FRAMES} and the TCP segments in frames. */
    static final List<byte[]> STRUCTURED_FRAMES = concat(FRAMES, TCP_PACKETS.stream()
        .map(p -> Packets.ethernet(PEER, OUR_MAC.bytes(), Packets.etherTypeOf(p), p)).toList());

    private FrameCorpus() {
    }

    private static List<byte[]> concat(List<byte[]> a, List<byte[]> b) {
        List<byte[]> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    /** A TCP segment from the peer's port 4000 to the host's port 80, checksums valid. */
    private static byte[] tcp(boolean ipv6, int flags) {
        byte[] p = OffloadPackets.tcp(ipv6, 4000, 80, 1000, ipv6 ? 7 : 0, flags, new byte[0], DATA);
        if (ipv6) {
            System.arraycopy(Packets.address("fd00:77::1", 16), 0, p, 8, 16);
            System.arraycopy(Packets.address("fd00:77::2", 16), 0, p, 24, 16);
        } else {
            System.arraycopy(Packets.address("10.77.1.1", 4), 0, p, 12, 4);
            System.arraycopy(Packets.address("10.77.1.2", 4), 0, p, 16, 4);
        }
        return fixChecksums(p, false);
    }

    private static List<byte[]> frames() {
        List<byte[]> frames = new ArrayList<>();
        frames.add(Packets.ethernet(PEER, BROADCAST, 0x0806, StackPackets.arp(1, PEER, "10.77.1.1", new byte[6], "10.77.1.2")));
        frames.add(Packets.ethernet(PEER, OUR_MAC.bytes(), 0x0806,
            StackPackets.arp(2, PEER, "10.77.1.1", OUR_MAC.bytes(), "10.77.1.2")));
        frames.add(Packets.ethernet(PEER, BROADCAST, 0x0806, StackPackets.arp(1, PEER, "10.77.1.1", new byte[6], "10.77.1.1")));
        for (byte[] packet : PACKETS) {
            int version = (packet[0] & 0xF0) >>> 4;
            byte[] destination = OUR_MAC.bytes();
            if (version == 6 && (packet[24] & 0xFF) == 0xFF) {
                destination = packet[39] == 1 ? ALL_NODES_MAC : SOLICITED_MAC;
            }
            frames.add(Packets.ethernet(PEER, destination, version == 6 ? 0x86DD : 0x0800, packet));
        }
        byte[] tagged = new byte[4 + PACKETS.get(0).length];
        tagged[0] = 0;
        tagged[1] = 5;
        tagged[2] = 0x08;
        System.arraycopy(PACKETS.get(0), 0, tagged, 4, PACKETS.get(0).length);
        frames.add(Packets.ethernet(PEER, OUR_MAC.bytes(), 0x8100, tagged));
        return List.copyOf(frames);
    }

    /** One edit of a frame. */
    record Mutation(int kind, int position, int value, byte[] bytes) {
        byte[] apply(byte[] frame) {
            int at = frame.length == 0 ? 0 : Math.floorMod(position, frame.length);
            return switch (kind) {
                case 0 -> { // flip a bit
                    byte[] f = frame.clone();
                    if (f.length > 0) {
                        f[at] ^= (byte) (1 << (value & 7));
                    }
                    yield f;
                }
                case 1 -> { // overwrite a byte, often with a boundary value
                    byte[] f = frame.clone();
                    if (f.length > 0) {
                        f[at] = (byte) value;
                    }
                    yield f;
                }
                case 2 -> Arrays.copyOf(frame, Math.max(1, at)); // truncate
                case 3 -> { // append random bytes
                    byte[] f = Arrays.copyOf(frame, frame.length + bytes.length);
                    System.arraycopy(bytes, 0, f, frame.length, bytes.length);
                    yield f;
                }
                default -> { // overwrite a run with random bytes
                    byte[] f = frame.clone();
                    for (int i = 0; i < bytes.length && at + i < f.length; i++) {
                        f[at + i] = bytes[i];
                    }
                    yield f;
                }
            };
        }
    }

    static Arbitrary<Mutation> mutations() {
        return Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 1 << 16),
            Arbitraries.oneOf(Arbitraries.of(0, 1, 0x7F, 0x80, 0xFF, 0x45, 0x60, 0x11, 0x3A), Arbitraries.integers().between(0, 255)),
            Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(64)).as(Mutation::new);
    }

    /** Mutated corpus entries, mostly, and some pure random byte strings (never empty). */
    static Arbitrary<byte[]> hostile(List<byte[]> corpus, boolean ethernet) {
        Arbitrary<byte[]> mutated = Combinators.combine(Arbitraries.integers().between(0, corpus.size() - 1),
            mutations().list().ofMinSize(0).ofMaxSize(4), Arbitraries.of(true, false)).as((index, edits, fix) -> {
                byte[] f = corpus.get(index);
                for (Mutation m : edits) {
                    f = m.apply(f);
                }
                return fix ? fixChecksums(f, ethernet) : f;
            });
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(300);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, mutated), net.jqwik.api.Tuple.of(1, random));
    }

    /**
     * One header field of a frame.
     *
     * @param name layer and field, e.g. {@code ip.ttl}
     * @param offset its first byte
     * @param width its bytes
     * @param mask for a one-byte field, its bits (0xF0 for the IPv4 version nibble), else 0xFF
     * @param checksum whether the field is a checksum (then checksums are not recomputed)
     */
    record Field(String name, int offset, int width, int mask, boolean checksum) {
        /**
         * The frame with this field set to a new value: {@code kind} 0 all zeros, 1 all ones,
         * 2 random bits, 3 plus one, 4 minus one, 5 the top bit flipped, 6 the lowest bit flipped
         * (for a MAC, its group bit; for an address, a neighbour of it).
         */
        byte[] mutate(byte[] frame, int kind, long random) {
            byte[] f = frame.clone();
            if (width == 1 && mask != 0xFF) {
                int shift = Integer.numberOfTrailingZeros(mask);
                int max = mask >>> shift;
                int old = (f[offset] & mask) >>> shift;
                int value = switch (kind) {
                    case 0 -> 0;
                    case 1 -> max;
                    case 2 -> (int) (random & max);
                    case 3 -> (old + 1) & max;
                    case 4 -> (old - 1) & max;
                    case 5 -> old ^ ((max + 1) >>> 1);
                    default -> old ^ 1;
                };
                f[offset] = (byte) ((f[offset] & ~mask) | (value << shift));
                return f;
            }
            java.util.Random bits = new java.util.Random(random);
            switch (kind) {
                case 0 -> Arrays.fill(f, offset, offset + width, (byte) 0);
                case 1 -> Arrays.fill(f, offset, offset + width, (byte) -1);
                case 2 -> {
                    for (int i = offset; i < offset + width; i++) {
                        f[i] = (byte) bits.nextInt(256);
                    }
                }
                case 3, 4 -> {  // big-endian plus or minus one, with carry
                    int delta = kind == 3 ? 1 : -1;
                    for (int i = offset + width - 1; i >= offset; i--) {
                        int v = (f[i] & 0xFF) + delta;
                        f[i] = (byte) v;
                        if (v >= 0 && v <= 0xFF) {
                            break;
                        }
                    }
                }
                case 5 -> f[offset] ^= (byte) 0x80;
                default -> f[offset + (width > 4 ? 0 : width - 1)] ^= 1;
            }
            return f;
        }
    }

    /**
     * The header fields of a valid frame (or IP packet, {@code ethernet} false), outermost first,
     * as far as the frame's own lengths say they are present.
     */
    static List<Field> fields(byte[] f, boolean ethernet) {
        List<Field> fields = new ArrayList<>();
        int at = 0;
        if (ethernet) {
            fields.add(new Field("eth.destination", 0, 6, 0xFF, false));
            fields.add(new Field("eth.source", 6, 6, 0xFF, false));
            fields.add(new Field("eth.type", 12, 2, 0xFF, false));
            int type = u16(f, 12);
            at = 14;
            if (type == 0x8100) {
                fields.add(new Field("vlan.tci", 14, 2, 0xFF, false));
                fields.add(new Field("vlan.type", 16, 2, 0xFF, false));
                type = u16(f, 16);
                at = 18;
            }
            if (type == Packets.ETHERTYPE_ARP) {
                String[] names = {"arp.htype", "arp.ptype", "arp.hlen", "arp.plen", "arp.operation", "arp.senderMac",
                    "arp.senderIp", "arp.targetMac", "arp.targetIp"};
                int[] widths = {2, 2, 1, 1, 2, 6, 4, 6, 4};
                for (int i = 0, o = at; i < names.length; o += widths[i], i++) {
                    fields.add(new Field(names[i], o, widths[i], 0xFF, false));
                }
                return fields;
            }
        }
        int protocol;
        int l4;
        int end;
        if ((f[at] & 0xF0) == 0x40) {
            fields.add(new Field("ip.version", at, 1, 0xF0, false));
            fields.add(new Field("ip.ihl", at, 1, 0x0F, false));
            fields.add(new Field("ip.tos", at + 1, 1, 0xFF, false));
            fields.add(new Field("ip.totalLength", at + 2, 2, 0xFF, false));
            fields.add(new Field("ip.id", at + 4, 2, 0xFF, false));
            fields.add(new Field("ip.flags", at + 6, 1, 0xE0, false));
            fields.add(new Field("ip.fragmentOffset", at + 6, 2, 0xFF, false));
            fields.add(new Field("ip.ttl", at + 8, 1, 0xFF, false));
            fields.add(new Field("ip.protocol", at + 9, 1, 0xFF, false));
            fields.add(new Field("ip.checksum", at + 10, 2, 0xFF, true));
            fields.add(new Field("ip.source", at + 12, 4, 0xFF, false));
            fields.add(new Field("ip.destination", at + 16, 4, 0xFF, false));
            protocol = f[at + 9] & 0xFF;
            l4 = at + (f[at] & 0x0F) * 4;
            end = at + u16(f, at + 2);
        } else {
            fields.add(new Field("ip6.version", at, 1, 0xF0, false));
            fields.add(new Field("ip6.trafficClass", at, 2, 0xFF, false));
            fields.add(new Field("ip6.flowLabel", at + 1, 3, 0xFF, false));
            fields.add(new Field("ip6.payloadLength", at + 4, 2, 0xFF, false));
            fields.add(new Field("ip6.nextHeader", at + 6, 1, 0xFF, false));
            fields.add(new Field("ip6.hopLimit", at + 7, 1, 0xFF, false));
            fields.add(new Field("ip6.source", at + 8, 16, 0xFF, false));
            fields.add(new Field("ip6.destination", at + 24, 16, 0xFF, false));
            protocol = f[at + 6] & 0xFF;
            l4 = at + 40;
            end = l4 + u16(f, at + 4);
        }
        switch (protocol) {
            case Packets.PROTO_ICMP, StackPackets.PROTO_ICMPV6 -> {
                String layer = protocol == Packets.PROTO_ICMP ? "icmp." : "icmpv6.";
                fields.add(new Field(layer + "type", l4, 1, 0xFF, false));
                fields.add(new Field(layer + "code", l4 + 1, 1, 0xFF, false));
                fields.add(new Field(layer + "checksum", l4 + 2, 2, 0xFF, true));
                fields.add(new Field(layer + "identifierOrFlags", l4 + 4, 2, 0xFF, false));
                fields.add(new Field(layer + "sequenceOrFlags", l4 + 6, 2, 0xFF, false));
                int type = f[l4] & 0xFF;
                if (protocol == StackPackets.PROTO_ICMPV6 && (type == 135 || type == 136) && end >= l4 + 32) {
                    fields.add(new Field("nd.target", l4 + 8, 16, 0xFF, false));
                    fields.add(new Field("nd.optionType", l4 + 24, 1, 0xFF, false));
                    fields.add(new Field("nd.optionLength", l4 + 25, 1, 0xFF, false));
                    fields.add(new Field("nd.optionMac", l4 + 26, 6, 0xFF, false));
                }
            }
            case Packets.PROTO_UDP -> {
                fields.add(new Field("udp.sourcePort", l4, 2, 0xFF, false));
                fields.add(new Field("udp.destinationPort", l4 + 2, 2, 0xFF, false));
                fields.add(new Field("udp.length", l4 + 4, 2, 0xFF, false));
                fields.add(new Field("udp.checksum", l4 + 6, 2, 0xFF, true));
            }
            case PROTO_TCP -> {
                fields.add(new Field("tcp.sourcePort", l4, 2, 0xFF, false));
                fields.add(new Field("tcp.destinationPort", l4 + 2, 2, 0xFF, false));
                fields.add(new Field("tcp.sequence", l4 + 4, 4, 0xFF, false));
                fields.add(new Field("tcp.acknowledgement", l4 + 8, 4, 0xFF, false));
                fields.add(new Field("tcp.dataOffset", l4 + 12, 1, 0xF0, false));
                fields.add(new Field("tcp.flags", l4 + 13, 1, 0xFF, false));
                fields.add(new Field("tcp.window", l4 + 14, 2, 0xFF, false));
                fields.add(new Field("tcp.checksum", l4 + 16, 2, 0xFF, true));
                fields.add(new Field("tcp.urgent", l4 + 18, 2, 0xFF, false));
            }
            default -> {
            }
        }
        return fields;
    }

    /**
     * Structure-aware inputs: a valid corpus entry with exactly one header field changed
     * ({@link Field#mutate}), checksums recomputed ({@link #refreshChecksums}) unless the field is one.
     */
    static Arbitrary<byte[]> structured(List<byte[]> corpus, boolean ethernet) {
        List<List<Field>> fields = corpus.stream().map(f -> fields(f, ethernet)).toList();
        return Combinators.combine(Arbitraries.integers().between(0, corpus.size() - 1),
            Arbitraries.integers().between(0, 1 << 16), Arbitraries.integers().between(0, 6), Arbitraries.longs())
            .as((index, choice, kind, random) -> {
                List<Field> of = fields.get(index);
                Field field = of.get(choice % of.size());
                return mutateOneField(corpus.get(index), field, kind, random, ethernet);
            });
    }

    /**
     * One structure-aware input: {@code field} of a valid frame changed ({@link Field#mutate}), then
     * the checksums refreshed ({@link #refreshChecksums}) unless the field is a checksum.
     */
    static byte[] mutateOneField(byte[] original, Field field, int kind, long random, boolean ethernet) {
        byte[] f = field.mutate(original, kind, random);
        return field.checksum() ? f : refreshChecksums(f, original, ethernet);
    }

    /**
     * Recomputes the checksums of a mutated frame where the original frame has them: the IPv4
     * header checksum over the original header length, the ICMP/ICMPv6/UDP/TCP checksum at the
     * original transport offset over the original length, so a mutated length or protocol field
     * moves no checksum and no other byte changes.
     */
    static byte[] refreshChecksums(byte[] mutated, byte[] original, boolean ethernet) {
        byte[] f = mutated.clone();
        int ip = 0;
        if (ethernet) {
            int type = u16(original, 12);
            ip = type == 0x8100 ? 18 : 14;
            if ((type == 0x8100 ? u16(original, 16) : type) == Packets.ETHERTYPE_ARP) {
                return f;
            }
        }
        int l4;
        int length;
        int protocol;
        long pseudo;
        int icmp;
        if ((original[ip] & 0xF0) == 0x40) {
            int ihl = (original[ip] & 0x0F) * 4;
            f[ip + 10] = 0;
            f[ip + 11] = 0;
            put16(f, ip + 10, Packets.checksum(f, ip, ihl, 0));
            l4 = ip + ihl;
            length = u16(original, ip + 2) - ihl;
            protocol = original[ip + 9] & 0xFF;
            pseudo = sum(f, ip + 12, 8) + protocol + length;
            icmp = Packets.PROTO_ICMP;
        } else {
            l4 = ip + 40;
            length = u16(original, ip + 4);
            protocol = original[ip + 6] & 0xFF;
            pseudo = sum(f, ip + 8, 32) + protocol + length;
            icmp = StackPackets.PROTO_ICMPV6;
        }
        upperChecksum(f, protocol, l4, length, pseudo, icmp);
        return f;
    }

    /** Recomputes the IPv4 header checksum and the ICMP/UDP/TCP checksums where the layout allows. */
    static byte[] fixChecksums(byte[] frame, boolean ethernet) {
        byte[] f = frame.clone();
        int ip = 0;
        if (ethernet) {
            if (f.length < 14) {
                return f;
            }
            int type = u16(f, 12);
            ip = 14;
            if (type == 0x8100 && f.length >= 18) {
                ip = 18;
            }
        }
        if (f.length < ip + 1) {
            return f;
        }
        int version = (f[ip] & 0xF0) >>> 4;
        if (version == 4 && f.length >= ip + 20) {
            int ihl = (f[ip] & 0x0F) * 4;
            if (ihl < 20 || f.length < ip + ihl) {
                return f;
            }
            f[ip + 10] = 0;
            f[ip + 11] = 0;
            put16(f, ip + 10, Packets.checksum(f, ip, ihl, 0));
            int total = Math.min(u16(f, ip + 2), f.length - ip);
            int upper = ip + ihl;
            int length = total - ihl;
            if (length <= 0) {
                return f;
            }
            int protocol = f[ip + 9] & 0xFF;
            long pseudo = sum(f, ip + 12, 8) + protocol + length;
            upperChecksum(f, protocol, upper, length, pseudo, 1);
        } else if (version == 6 && f.length >= ip + 40) {
            int length = Math.min(u16(f, ip + 4), f.length - ip - 40);
            int next = f[ip + 6] & 0xFF;
            long pseudo = sum(f, ip + 8, 32) + next + length;
            upperChecksum(f, next, ip + 40, length, pseudo, 58);
        }
        return f;
    }

    private static void upperChecksum(byte[] f, int protocol, int at, int length, long pseudo, int icmp) {
        if (protocol == icmp && length >= 4) {
            f[at + 2] = 0;
            f[at + 3] = 0;
            put16(f, at + 2, Packets.checksum(f, at, length, icmp == 1 ? 0 : fold(pseudo)));
        } else if (protocol == 17 && length >= 8) {
            f[at + 6] = 0;
            f[at + 7] = 0;
            int udpLength = Math.min(u16(f, at + 4), length);
            long udpPseudo = pseudo - length + u16(f, at + 4);
            int sum = Packets.checksum(f, at, udpLength, fold(udpPseudo));
            put16(f, at + 6, sum == 0 ? 0xFFFF : sum);
        } else if (protocol == PROTO_TCP && length >= 20) {
            f[at + 16] = 0;
            f[at + 17] = 0;
            put16(f, at + 16, Packets.checksum(f, at, length, fold(pseudo)));
        }
    }

    private static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }

    private static long sum(byte[] f, int at, int length) {
        long s = 0;
        for (int i = 0; i < length; i += 2) {
            s += u16(f, at + i);
        }
        return s;
    }

    private static int u16(byte[] f, int at) {
        return ((f[at] & 0xFF) << 8) | (f[at + 1] & 0xFF);
    }

    private static void put16(byte[] f, int at, int value) {
        f[at] = (byte) (value >>> 8);
        f[at + 1] = (byte) value;
    }
}

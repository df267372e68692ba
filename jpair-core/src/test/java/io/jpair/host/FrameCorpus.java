package io.jpair.host;

import io.jpair.ethernet.MacAddress;
import io.jpair.testing.Packets;
import io.jpair.testing.StackPackets;
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
 */
final class FrameCorpus {
    static final MacAddress OUR_MAC = MacAddress.parse("02:00:00:77:00:02");
    static final byte[] PEER = {0x02, 0, 0, 0x77, 0, 0x01};
    static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};
    static final byte[] ALL_NODES_MAC = {0x33, 0x33, 0, 0, 0, 1};
    static final byte[] SOLICITED_MAC = {0x33, 0x33, -1, 0, 0, 2};
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

    private FrameCorpus() {
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

    /** Recomputes the IPv4 header checksum and the ICMP/UDP checksums where the layout allows. */
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

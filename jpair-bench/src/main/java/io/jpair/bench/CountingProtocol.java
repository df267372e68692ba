package io.jpair.bench;

import java.io.IOException;
import io.jpair.transport.AbstractPacketProtocol;
import io.jpair.transport.PacketTransport;
import io.jpair.transport.RawPacketProtocol;
import java.nio.ByteBuffer;

/**
 * The scenarios' protocol: counts every packet and, when given an output, swaps the IPv4 source
 * and destination addresses (and UDP/TCP ports) in place and writes the packet to that output,
 * exactly as {@code tunbench echo} does (the swap leaves the checksums valid). The output is its
 * own port for {@code echo} and another port for {@code forward}.
 *
 * <p>Per packet it allocates nothing, boxes nothing and never logs: the counters are plain
 * fields read by the reactor thread that also updates them.
 */
final class CountingProtocol extends AbstractPacketProtocol implements RawPacketProtocol {
    private final boolean respond;
    private PacketTransport output;
    long packets;
    long bytes;
    long written;
    long writeErrors;

    /**
     * A counter that also responds when {@code respond} is true.
     *
     * @param respond swap and write every IPv4 packet
     */
    CountingProtocol(boolean respond) {
        this.respond = respond;
    }

    /**
     * Where responses go; defaults to this protocol's own transport.
     *
     * @param transport the output port
     */
    void output(PacketTransport transport) {
        this.output = transport;
    }

    @Override
    public void datagramReceived(ByteBuffer packet, long destination, long source, int etherType) {
        packets++;
        bytes += packet.remaining();
        if (respond && swapEndpoints(packet)) {
            PacketTransport out = output != null ? output : transport;
            try {
                if (out.write(packet) > 0) {
                    written++;
                } else {
                    writeErrors++;
                }
            } catch (IOException e) {
                writeErrors++;
            }
        }
    }

    /**
     * Runs the packet handling over the kinds of packet a live device mixes into the flow: the
     * kernel's IPv6 chatter (router solicitations, MLD), and ICMP errors (a port unreachable for
     * every reply still in flight when a client exits). Without this, the first such packet after
     * C2 compiled the handler from UDP-only profiles hits an uncommon trap ({@code unstable_if},
     * -Xlog:deoptimization) and the measured window starts in recompiling, allocating C1 code, which
     * a long-running program whose profile has seen these packets would not. Call it before the
     * traffic starts; it counts nothing and writes nothing.
     */
    void warmUpHandling() {
        ByteBuffer ipv6 = ByteBuffer.allocateDirect(48).put(0, (byte) 0x60).put(6, (byte) 58);
        ByteBuffer icmp = ByteBuffer.allocateDirect(36).put(0, (byte) 0x45).put(9, (byte) 1);
        long counted = packets;
        long countedBytes = bytes;
        for (int i = 0; i < 20_000; i++) {
            datagramReceived(ipv6.clear());  // RawPacketProtocol's version dispatch; not IPv4: no write
            swapEndpoints(icmp.clear());
        }
        packets = counted;
        bytes = countedBytes;
    }

    /**
     * Swaps the IPv4 addresses, and the ports of UDP or TCP, of the packet between position and
     * limit. The Internet checksums do not change, since they sum the same 16-bit words.
     *
     * @param p the packet
     * @return false if it is not an IPv4 packet (left untouched)
     */
    static boolean swapEndpoints(ByteBuffer p) {
        int base = p.position();
        int length = p.remaining();
        if (length < 20 || (p.get(base) & 0xF0) != 0x40) {
            return false;
        }
        int source = p.getInt(base + 12);
        p.putInt(base + 12, p.getInt(base + 16));
        p.putInt(base + 16, source);
        int ihl = (p.get(base) & 0x0F) * 4;
        int protocol = p.get(base + 9) & 0xFF;
        if ((protocol == 17 || protocol == 6) && length >= ihl + 4) {
            short port = p.getShort(base + ihl);
            p.putShort(base + ihl, p.getShort(base + ihl + 2));
            p.putShort(base + ihl + 2, port);
        }
        return true;
    }
}

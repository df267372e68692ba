package io.jpair.neighbour;

import io.jpair.ethernet.EthernetHeader;
import io.jpair.ethernet.EthernetProtocol;
import io.jpair.ethernet.MacAddress;
import io.jpair.ip.IpLink;
import io.jpair.ip.Ipv4Header;
import io.jpair.ip.Ipv6Header;
import io.jpair.transport.PacketTransport;
import io.jpair.wire.NetworkOrder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link IpLink} of a host on a TAP device: puts an Ethernet header in front of each IP
 * packet and writes the frame through the {@link EthernetProtocol}'s port, finding the
 * destination MAC with ARP (IPv4) or neighbour discovery (IPv6).
 *
 * <p>Broadcast and multicast destinations map to their group MACs directly. A packet whose next
 * hop is not resolved yet is copied, once, into the frame buffer it will be sent from, in a small
 * queue ({@value #PENDING_CAPACITY} packets, each kept at most {@value #PENDING_LIFETIME_MILLIS} ms)
 * while a request goes out, and sent when {@link #neighbourResolved} reports the answer; when the
 * queue is full the oldest packet is dropped. Every destination is on-link: there is no gateway
 * (a host on a point-to-point TAP link talks to its peer).
 *
 * <p>A resolved destination costs no allocation and no copy: the header is written into the
 * caller's headroom and the frame goes to the port from the caller's buffer.
 * Reactor thread only.
 */
public final class EthernetLink implements IpLink, NeighbourListener {
    /** Packets waiting for resolution, at most. */
    public static final int PENDING_CAPACITY = 16;
    /** How long a packet waits for resolution. */
    public static final long PENDING_LIFETIME_MILLIS = 3000;

    private static final Logger LOG = LoggerFactory.getLogger(EthernetLink.class);

    private final EthernetProtocol ethernet;
    private final long mac;
    private final ArpProtocol arp;
    private final NeighbourDiscovery neighbourDiscovery;
    // Each waiting packet is kept as the frame it will be: Ethernet header room, then the IP packet.
    private final ByteBuffer[] pending = new ByteBuffer[PENDING_CAPACITY];
    private final long[] pendingHigh = new long[PENDING_CAPACITY];
    private final long[] pendingLow = new long[PENDING_CAPACITY];
    private final long[] pendingSince = new long[PENDING_CAPACITY];
    private long framesSent;
    private long queued;
    private long pendingDropped;
    private long writeFailures;

    /**
     * A link writing frames from {@code mac} through {@code ethernet}'s port.
     *
     * @param ethernet the Ethernet protocol attached to the TAP port
     * @param mac our MAC, {@code long} form
     * @param arp the IPv4 resolver (registered on {@code ethernet})
     * @param neighbourDiscovery the IPv6 resolver, or {@code null} for an IPv4-only host
     */
    public EthernetLink(EthernetProtocol ethernet, long mac, ArpProtocol arp, NeighbourDiscovery neighbourDiscovery) {
        this.ethernet = Objects.requireNonNull(ethernet, "ethernet");
        this.mac = mac;
        this.arp = Objects.requireNonNull(arp, "arp");
        this.neighbourDiscovery = neighbourDiscovery;
    }

    @Override
    public boolean send(ByteBuffer buffer, int offset, int length) {
        PacketTransport port = ethernet.transport();
        if (port == null || length < 1 || offset < EthernetHeader.LENGTH) {
            return false;
        }
        int version = NetworkOrder.u8(buffer, offset) >>> 4;
        long high;
        long low;
        long destination;
        int etherType;
        if (version == 4 && length >= Ipv4Header.MIN_LENGTH) {
            etherType = EthernetHeader.TYPE_IPV4;
            int address = NetworkOrder.i32(buffer, offset + Ipv4Header.DESTINATION_OFFSET);
            high = 0;
            low = NeighbourTable.ipv4Key(address);
            if (address == Ipv4Header.BROADCAST) {
                destination = MacAddress.BROADCAST_VALUE;
            } else if ((address >>> 28) == 0xE) {
                destination = MacAddress.ipv4Multicast(address);
            } else {
                destination = arp.resolve(address);
            }
        } else if (version == 6 && length >= Ipv6Header.LENGTH) {
            etherType = EthernetHeader.TYPE_IPV6;
            high = NetworkOrder.i64(buffer, offset + Ipv6Header.DESTINATION_OFFSET);
            low = NetworkOrder.i64(buffer, offset + Ipv6Header.DESTINATION_OFFSET + 8);
            if (Ipv6Header.isMulticast(high)) {
                destination = MacAddress.ipv6Multicast(low);
            } else if (neighbourDiscovery != null) {
                destination = neighbourDiscovery.resolve(high, low);
            } else {
                return false;
            }
        } else {
            return false;
        }
        if (destination == MacAddress.NONE) {
            return enqueue(buffer, offset, length, high, low, port);
        }
        int frame = offset - EthernetHeader.LENGTH;
        EthernetHeader.write(buffer, frame, destination, mac, etherType);
        buffer.limit(offset + length).position(frame);
        return write(port, buffer);
    }

    private boolean write(PacketTransport port, ByteBuffer frame) {
        try {
            if (port.write(frame) > 0) {
                framesSent++;
                return true;
            }
        } catch (IOException e) {
            LOG.debug("{}: frame write failed", ethernet.logPrefix(), e);
        }
        writeFailures++;
        return false;
    }

    private boolean enqueue(ByteBuffer buffer, int offset, int length, long high, long low, PacketTransport port) {
        long now = port.reactor().nanoTime();
        int slot = -1;
        int oldest = 0;
        for (int i = 0; i < PENDING_CAPACITY; i++) {
            if (pending[i] != null && now - pendingSince[i] > PENDING_LIFETIME_MILLIS * 1_000_000L) {
                pending[i] = null;
                pendingDropped++;
            }
            if (pending[i] == null) {
                if (slot < 0) {
                    slot = i;
                }
            } else if (pendingSince[i] - pendingSince[oldest] < 0) {
                oldest = i;
            }
        }
        if (slot < 0) {
            slot = oldest;
            pendingDropped++;
        }
        // The only copy of a waiting packet, made once, into the frame it will be sent as.
        ByteBuffer frame = ByteBuffer.allocateDirect(EthernetHeader.LENGTH + length);
        frame.put(EthernetHeader.LENGTH, buffer, offset, length);
        pending[slot] = frame;
        pendingHigh[slot] = high;
        pendingLow[slot] = low;
        pendingSince[slot] = now;
        queued++;
        return true;
    }

    /**
     * Sends the packets that waited for this neighbour.
     *
     * @param high high 64 bits of the neighbour's address (0 for IPv4)
     * @param low low 64 bits
     * @param neighbourMac its MAC
     */
    @Override
    public void neighbourResolved(long high, long low, long neighbourMac) {
        PacketTransport port = ethernet.transport();
        for (int i = 0; i < PENDING_CAPACITY; i++) {
            ByteBuffer frame = pending[i];
            if (frame == null || pendingHigh[i] != high || pendingLow[i] != low) {
                continue;
            }
            pending[i] = null;
            if (port == null) {
                pendingDropped++;
                continue;
            }
            boolean ipv6 = NetworkOrder.u8(frame, EthernetHeader.LENGTH) >>> 4 == 6;
            int etherType = ipv6 ? EthernetHeader.TYPE_IPV6 : EthernetHeader.TYPE_IPV4;
            EthernetHeader.write(frame, 0, neighbourMac, mac, etherType);
            frame.clear();
            write(port, frame);
        }
    }

    /**
     * Packets waiting for resolution now.
     *
     * @return 0..{@value #PENDING_CAPACITY}
     */
    public int pendingCount() {
        int n = 0;
        for (ByteBuffer frame : pending) {
            if (frame != null) {
                n++;
            }
        }
        return n;
    }

    /**
     * Frames written.
     *
     * @return the count
     */
    public long framesSent() {
        return framesSent;
    }

    /**
     * Packets that had to wait for resolution.
     *
     * @return the count
     */
    public long queued() {
        return queued;
    }

    /**
     * Waiting packets dropped (expired or pushed out of a full queue).
     *
     * @return the count
     */
    public long pendingDropped() {
        return pendingDropped;
    }

    /**
     * Frames the port refused.
     *
     * @return the count
     */
    public long writeFailures() {
        return writeFailures;
    }
}

package io.jpair.ethernet;

import io.jpair.transport.AbstractPacketProtocol;
import io.jpair.transport.FrameProtocol;
import io.jpair.transport.RawPacketProtocol;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Demultiplexes Ethernet frames by EtherType to {@link RawPacketProtocol}s (Twisted's
 * {@code twisted.pair.ethernet.EthernetProtocol}); attach it to a {@code TuntapPort} to get a TAP
 * device.
 *
 * <pre>{@code
 * EthernetProtocol ethernet = new EthernetProtocol();
 * ethernet.addProto(0x0800, new IPProtocol());      // IPv4
 * ethernet.addProto(0x0806, arp);                   // ARP
 * new TuntapPort("tap0", ethernet, reactor).startListening();
 * }</pre>
 *
 * <p>Each protocol registered for the frame's EtherType gets
 * {@link RawPacketProtocol#datagramReceived(ByteBuffer, long, long, int)} in registration order,
 * with the same buffer, its position and limit set to the payload (reset before each protocol),
 * the MAC addresses in {@code long} form and the EtherType. During the call {@link #header()} views
 * the frame's header (VLAN tag included).
 *
 * <p>Unlike Twisted: an 802.1Q/802.1ad tagged frame is demultiplexed by its inner EtherType (the
 * tag stays readable through {@link #header()}); an IEEE 802.3 length below 0x0600 is not taken for
 * a type; a protocol that throws does not stop delivery to the others; {@link #removeProto}
 * exists; malformed frames are dropped and counted per {@link EthernetDrop} reason instead of
 * raising; with {@link #localAddress(long)} set, unicast frames for other stations are dropped
 * (group addresses always pass).
 *
 * <p>Reactor thread only. Allocates nothing per frame.
 */
public class EthernetProtocol extends AbstractPacketProtocol implements FrameProtocol {
    private static final Logger LOG = LoggerFactory.getLogger(EthernetProtocol.class);
    private static final RawPacketProtocol[] NONE = new RawPacketProtocol[0];

    private final EthernetHeader header = new EthernetHeader();
    private final long[] drops = new long[EthernetDrop.values().length];
    private int[] types = new int[4];
    private RawPacketProtocol[][] protocols = new RawPacketProtocol[4][];
    private int typeCount;
    private long localAddress = MacAddress.NONE;
    private long framesReceived;
    private long framesDelivered;

    /** A demultiplexer with no protocols and no address filter. */
    public EthernetProtocol() {
    }

    /**
     * Registers {@code proto} for frames of EtherType {@code etherType}; a number may have several
     * protocols, called in the order added (adding one twice delivers twice, as in Twisted).
     *
     * @param etherType 0..65535
     * @param proto the protocol
     * @throws IllegalArgumentException if {@code etherType} is out of range
     * @throws NullPointerException if {@code proto} is null
     */
    public void addProto(int etherType, RawPacketProtocol proto) {
        Objects.requireNonNull(proto, "Added protocol must be a RawPacketProtocol, not null");
        if (etherType < 0) {
            throw new IllegalArgumentException("Added protocol must be positive or zero: " + etherType);
        }
        if (etherType > 0xFFFF) {
            throw new IllegalArgumentException("Added protocol must fit in 16 bits: " + etherType);
        }
        int slot = slotOf(etherType);
        if (slot < 0) {
            if (typeCount == types.length) {
                types = Arrays.copyOf(types, typeCount * 2);
                protocols = Arrays.copyOf(protocols, typeCount * 2);
            }
            slot = typeCount++;
            types[slot] = etherType;
            protocols[slot] = NONE;
        }
        RawPacketProtocol[] list = Arrays.copyOf(protocols[slot], protocols[slot].length + 1);
        list[list.length - 1] = proto;
        protocols[slot] = list;
    }

    /**
     * Unregisters one registration of {@code proto} for {@code etherType}.
     *
     * @param etherType the EtherType it was added for
     * @param proto the protocol
     * @return true if it was registered
     */
    public boolean removeProto(int etherType, RawPacketProtocol proto) {
        int slot = slotOf(etherType);
        if (slot < 0) {
            return false;
        }
        RawPacketProtocol[] list = protocols[slot];
        for (int i = 0; i < list.length; i++) {
            if (list[i] == proto) {
                RawPacketProtocol[] shorter = new RawPacketProtocol[list.length - 1];
                System.arraycopy(list, 0, shorter, 0, i);
                System.arraycopy(list, i + 1, shorter, i, list.length - i - 1);
                protocols[slot] = shorter;
                return true;
            }
        }
        return false;
    }

    private int slotOf(int etherType) {
        for (int i = 0; i < typeCount; i++) {
            if (types[i] == etherType) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Sets the station address: unicast frames to any other address are dropped
     * ({@link EthernetDrop#NOT_FOR_US}). {@link MacAddress#NONE} (the default) accepts everything.
     *
     * @param mac the {@code long} form, or {@link MacAddress#NONE}
     * @return this
     */
    public EthernetProtocol localAddress(long mac) {
        this.localAddress = mac;
        return this;
    }

    /**
     * The station address filter.
     *
     * @return the {@code long} form, or {@link MacAddress#NONE}
     */
    public long localAddress() {
        return localAddress;
    }

    /**
     * The header of the frame being delivered: valid only during a protocol's
     * {@code datagramReceived}, like the buffer.
     *
     * @return the reused view
     */
    public EthernetHeader header() {
        return header;
    }

    /**
     * One Ethernet frame from the port (or a test). Never throws: malformed frames are counted.
     *
     * @param frame the frame between position and limit; borrowed for the call only
     */
    @Override
    public void datagramReceived(ByteBuffer frame) {
        framesReceived++;
        int start = frame.position();
        int end = frame.limit();
        header.wrap(frame, start);
        if (!header.fits(end - start)) {
            drop(EthernetDrop.TRUNCATED);
            return;
        }
        int typeField = header.typeField();
        if (typeField < EthernetHeader.MIN_ETHERTYPE) {
            drop(EthernetDrop.NOT_ETHERNET_II);
            return;
        }
        long destination = header.destination();
        if (localAddress != MacAddress.NONE && destination != localAddress && !MacAddress.isGroup(destination)) {
            drop(EthernetDrop.NOT_FOR_US);
            return;
        }
        int etherType = header.etherType();
        int slot = slotOf(etherType);
        RawPacketProtocol[] list = slot < 0 ? NONE : protocols[slot];
        if (list.length == 0) {
            drop(EthernetDrop.UNKNOWN_ETHERTYPE);
            return;
        }
        framesDelivered++;
        long source = header.source();
        int payload = start + header.headerLength();
        for (RawPacketProtocol proto : list) {
            frame.limit(end).position(payload);
            try {
                proto.datagramReceived(frame, destination, source, etherType);
            } catch (RuntimeException e) {
                protocolFailed(proto, e);
            }
        }
        frame.limit(end).position(start);
    }

    private void protocolFailed(RawPacketProtocol proto, RuntimeException e) {
        long n = drops[EthernetDrop.PROTOCOL_FAILED.ordinal()]++;
        if (n == 0) {
            LOG.warn("{}: {} threw from datagramReceived (further failures are only counted)", logPrefix(),
                proto.logPrefix(), e);
        } else {
            LOG.debug("{}: {} threw from datagramReceived", logPrefix(), proto.logPrefix(), e);
        }
    }

    private void drop(EthernetDrop reason) {
        drops[reason.ordinal()]++;
    }

    /**
     * Frames dropped for one reason.
     *
     * @param reason the reason
     * @return the count since creation
     */
    public long dropped(EthernetDrop reason) {
        return drops[reason.ordinal()];
    }

    /**
     * Every drop counter (for display; allocates).
     *
     * @return reason to count
     */
    public Map<EthernetDrop, Long> drops() {
        Map<EthernetDrop, Long> map = new EnumMap<>(EthernetDrop.class);
        for (EthernetDrop reason : EthernetDrop.values()) {
            map.put(reason, drops[reason.ordinal()]);
        }
        return map;
    }

    /**
     * Frames handed to this protocol.
     *
     * @return the count
     */
    public long framesReceived() {
        return framesReceived;
    }

    /**
     * Frames delivered to at least one upper protocol.
     *
     * @return the count
     */
    public long framesDelivered() {
        return framesDelivered;
    }
}

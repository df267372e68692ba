package io.jpair.ethernet;

import io.jpair.transport.AbstractPacketProtocol;
import io.jpair.transport.FrameProtocol;
import io.jpair.transport.RawPacketProtocol;
import io.jpair.wire.DemuxTable;
import io.jpair.wire.DropCounter;
import io.jpair.wire.ReadBatch;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

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
 * the frame's header (VLAN tag included) and {@link #frameVlan()} gives its VLAN.
 *
 * <p><b>VLANs.</b> An 802.1Q (0x8100) or 802.1ad (0x88A8) tagged frame is dropped and counted
 * ({@link EthernetDrop#VLAN_TAGGED}) unless its VLAN was accepted with {@link #acceptVlan(int)}:
 * a station that is on no VLAN must not answer tagged traffic untagged, nor learn its senders as
 * neighbours of the untagged link. A frame of an accepted VLAN is demultiplexed by its inner
 * EtherType, its protocols reading the VLAN from {@link #frameVlan()}.
 *
 * <p>Unlike Twisted: tagged frames are understood (above); an IEEE 802.3 length below 0x0600 is not taken for
 * a type; a protocol that throws does not stop delivery to the others; {@link #removeProto}
 * exists; malformed frames are dropped and counted per {@link EthernetDrop} reason instead of
 * raising; with {@link #localAddress(long)} set, unicast frames for other stations are dropped
 * (group addresses always pass).
 *
 * <p>Reactor thread only. Allocates nothing per frame.
 */
public class EthernetProtocol extends AbstractPacketProtocol implements FrameProtocol {
    private final EthernetHeader header = new EthernetHeader();
    private final DropCounter<EthernetDrop> drops = new DropCounter<>(EthernetDrop.class, EthernetProtocol.class);
    private final DemuxTable<RawPacketProtocol> protocols = new DemuxTable<>(16, new RawPacketProtocol[0]);
    private final ReadBatch<RawPacketProtocol> batch = new ReadBatch<>(new RawPacketProtocol[0]);
    private final Consumer<RawPacketProtocol> completeOne = this::completeOne;
    private final long[] acceptedVlans = new long[4096 / 64];
    private long localAddress = MacAddress.NONE;
    private int frameVlan = -1;
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
        protocols.add(etherType, proto);
    }

    /**
     * Unregisters one registration of {@code proto} for {@code etherType}.
     *
     * @param etherType the EtherType it was added for
     * @param proto the protocol
     * @return true if it was registered
     */
    public boolean removeProto(int etherType, RawPacketProtocol proto) {
        return protocols.remove(etherType, proto);
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
     * Accepts the frames tagged with one VLAN identifier (802.1Q or 802.1ad), delivering them by
     * their inner EtherType; every other tagged frame stays dropped ({@link EthernetDrop#VLAN_TAGGED}).
     * The protocols registered here then see that VLAN's frames too and must tell them apart by
     * {@link #frameVlan()}.
     *
     * @param vlanId 0..4095
     * @return this
     * @throws IllegalArgumentException if {@code vlanId} is out of range
     */
    public EthernetProtocol acceptVlan(int vlanId) {
        if (vlanId < 0 || vlanId > 4095) {
            throw new IllegalArgumentException("VLAN id must be 0..4095, not " + vlanId);
        }
        acceptedVlans[vlanId >>> 6] |= 1L << vlanId;
        return this;
    }

    /**
     * Whether frames of a VLAN are delivered.
     *
     * @param vlanId 0..4095
     * @return true if {@link #acceptVlan(int)} accepted it
     */
    public boolean acceptsVlan(int vlanId) {
        return vlanId >= 0 && vlanId <= 4095 && (acceptedVlans[vlanId >>> 6] & 1L << vlanId) != 0;
    }

    /**
     * The VLAN of the frame being delivered: valid only during a protocol's
     * {@code datagramReceived}.
     *
     * @return 0..4095 for a tagged frame of an accepted VLAN, -1 for an untagged frame or outside a delivery
     */
    public int frameVlan() {
        return frameVlan;
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
            drops.add(EthernetDrop.TRUNCATED);
            return;
        }
        int typeField = header.typeField();
        if (typeField < EthernetHeader.MIN_ETHERTYPE) {
            drops.add(EthernetDrop.NOT_ETHERNET_II);
            return;
        }
        long destination = header.destination();
        if (localAddress != MacAddress.NONE && destination != localAddress && !MacAddress.isGroup(destination)) {
            drops.add(EthernetDrop.NOT_FOR_US);
            return;
        }
        int vlan = header.vlanId();
        if (vlan >= 0 && !acceptsVlan(vlan)) {
            drops.add(EthernetDrop.VLAN_TAGGED);
            return;
        }
        int etherType = header.etherType();
        RawPacketProtocol[] list = protocols.get(etherType);
        if (list.length == 0) {
            drops.add(EthernetDrop.UNKNOWN_ETHERTYPE);
            return;
        }
        framesDelivered++;
        batch.add(list);
        long source = header.source();
        int payload = start + header.headerLength();
        frameVlan = vlan;
        for (RawPacketProtocol proto : list) {
            frame.limit(end).position(payload);
            try {
                proto.datagramReceived(frame, destination, source, etherType);
            } catch (RuntimeException e) {
                drops.protocolFailed(EthernetDrop.PROTOCOL_FAILED, logPrefix(), proto.logPrefix(), e);
            }
        }
        frameVlan = -1;
        frame.limit(end).position(start);
    }

    /**
     * Passes the end of the port's read batch to every protocol that received a frame in it.
     */
    @Override
    public void readComplete() {
        batch.complete(completeOne);
    }

    private void completeOne(RawPacketProtocol proto) {
        try {
            proto.readComplete();
        } catch (RuntimeException e) {
            drops.protocolFailed(EthernetDrop.PROTOCOL_FAILED, logPrefix(), proto.logPrefix(), e);
        }
    }

    /**
     * The drop counters, one per {@link EthernetDrop} reason.
     *
     * @return the live counters
     */
    public DropCounter<EthernetDrop> drops() {
        return drops;
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

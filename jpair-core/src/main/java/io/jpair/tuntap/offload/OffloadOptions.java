package io.jpair.tuntap.offload;

/**
 * The offload switches of a {@link io.jpair.tuntap.TunQueue} or a TUN
 * {@link io.jpair.tuntap.TuntapPort}, one per direction and
 * one for UDP (the Tailscale lesson: kernels have shipped broken GSO validation, so each part must
 * be switchable alone).
 *
 * <pre>{@code
 * OffloadOptions.enabled()                  // IFF_VNET_HDR, TSO/USO on read, TCP/UDP GRO on write
 * OffloadOptions.enabled().withUdp(false)   // TCP only
 * OffloadOptions.disabled()                 // plain packets, no virtio header
 * OffloadOptions.enabled().withExplicitFlush(true)   // Netty-style: writes held until flush()
 * OffloadOptions.enabled().withTcpSuperPackets(true)  // TCP super-packets unsplit, TSO writes
 * }</pre>
 *
 * @param rxOffload ask the kernel for GSO super-packets and partial checksums
 *     ({@code TUNSETOFFLOAD}); reads split them into wire-size packets
 * @param txOffload coalesce written TCP (and, with {@code udp}, UDP) packets into super-packets
 *     ({@link GroTable}): a {@code TunQueue} batch per {@code write} call; a {@code TuntapPort}
 *     holds the writes made while it delivers one read batch (and, with {@code explicitFlush},
 *     every write until {@code flush()})
 * @param udp include UDP: {@code TUN_F_USO4/6} on read, UDP GRO on write (only used when the
 *     kernel accepted USO)
 * @param explicitFlush with {@code txOffload}: a {@code TuntapPort} holds <em>every</em> write,
 *     from any source (a timer, another port's or a socket's callback), until its {@code flush()},
 *     the end of its own read batch, or {@value WriteBatch#SLOTS} held packets (Netty's
 *     {@code write}/{@code flush}); off by default, when only writes made during the port's own
 *     read batch are held
 * @param tcpSuperPackets with {@code rxOffload}: a TUN port delivers TCP super-packets
 *     ({@code VIRTIO_NET_HDR_GSO_TCPV4/6}) as one packet instead of splitting them, with their
 *     {@code gso_size} and partial checksum visible through
 *     {@code PacketTransport.segmentOffload()}, and offers
 *     {@code SegmentOffload.writeTcpSuperPacket} (TSO); for a protocol that takes segments of
 *     any size, such as jpair's userspace TCP. Off by default: every packet is wire-sized
 */
public record OffloadOptions(boolean rxOffload, boolean txOffload, boolean udp, boolean explicitFlush,
        boolean tcpSuperPackets) {
    /**
     * The switches without TCP super-packets.
     *
     * @param rxOffload as for the record
     * @param txOffload as for the record
     * @param udp as for the record
     * @param explicitFlush as for the record
     */
    public OffloadOptions(boolean rxOffload, boolean txOffload, boolean udp, boolean explicitFlush) {
        this(rxOffload, txOffload, udp, explicitFlush, false);
    }

    /**
     * The switches without explicit flush.
     *
     * @param rxOffload as for the record
     * @param txOffload as for the record
     * @param udp as for the record
     */
    public OffloadOptions(boolean rxOffload, boolean txOffload, boolean udp) {
        this(rxOffload, txOffload, udp, false, false);
    }

    /**
     * Every offload on.
     *
     * @return rx, tx and UDP on
     */
    public static OffloadOptions enabled() {
        return new OffloadOptions(true, true, true);
    }

    /**
     * Every offload off: the device is opened without {@code IFF_VNET_HDR}.
     *
     * @return all off
     */
    public static OffloadOptions disabled() {
        return new OffloadOptions(false, false, false);
    }

    /**
     * Whether the device needs {@code IFF_VNET_HDR}.
     *
     * @return true if any direction is offloaded
     */
    public boolean any() {
        return rxOffload || txOffload;
    }

    /**
     * With the read direction switched.
     *
     * @param value on or off
     * @return new options
     */
    public OffloadOptions withRxOffload(boolean value) {
        return new OffloadOptions(value, txOffload, udp, explicitFlush, tcpSuperPackets);
    }

    /**
     * With the write direction switched.
     *
     * @param value on or off
     * @return new options
     */
    public OffloadOptions withTxOffload(boolean value) {
        return new OffloadOptions(rxOffload, value, udp, explicitFlush, tcpSuperPackets);
    }

    /**
     * With UDP offload switched.
     *
     * @param value on or off
     * @return new options
     */
    public OffloadOptions withUdp(boolean value) {
        return new OffloadOptions(rxOffload, txOffload, value, explicitFlush, tcpSuperPackets);
    }

    /**
     * The same switches with explicit flush on or off (see the record).
     *
     * @param value hold every write until {@code flush()}
     * @return the new switches
     */
    public OffloadOptions withExplicitFlush(boolean value) {
        return new OffloadOptions(rxOffload, txOffload, udp, value, tcpSuperPackets);
    }

    /**
     * The same switches with TCP super-packets on or off (see the record).
     *
     * @param value deliver TCP super-packets unsplit and allow TSO writes
     * @return the new switches
     */
    public OffloadOptions withTcpSuperPackets(boolean value) {
        return new OffloadOptions(rxOffload, txOffload, udp, explicitFlush, value);
    }
}

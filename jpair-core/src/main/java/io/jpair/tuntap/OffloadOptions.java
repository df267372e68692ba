package io.jpair.tuntap;

/**
 * The offload switches of a {@link TunQueue} or a TUN {@link TuntapPort}, one per direction and
 * one for UDP (the Tailscale lesson: kernels have shipped broken GSO validation, so each part must
 * be switchable alone).
 *
 * <pre>{@code
 * OffloadOptions.enabled()                  // IFF_VNET_HDR, TSO/USO on read, TCP/UDP GRO on write
 * OffloadOptions.enabled().withUdp(false)   // TCP only
 * OffloadOptions.disabled()                 // plain packets, no virtio header
 * }</pre>
 *
 * @param rxOffload ask the kernel for GSO super-packets and partial checksums
 *     ({@code TUNSETOFFLOAD}); reads split them into wire-size packets
 * @param txOffload coalesce written TCP (and, with {@code udp}, UDP) packets into super-packets
 *     ({@link GroTable}): a {@link TunQueue} batch per {@code write} call, a {@link TuntapPort}
 *     the writes made while it delivers one read batch
 * @param udp include UDP: {@code TUN_F_USO4/6} on read, UDP GRO on write (only used when the
 *     kernel accepted USO)
 */
public record OffloadOptions(boolean rxOffload, boolean txOffload, boolean udp) {
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
        return new OffloadOptions(value, txOffload, udp);
    }

    /**
     * With the write direction switched.
     *
     * @param value on or off
     * @return new options
     */
    public OffloadOptions withTxOffload(boolean value) {
        return new OffloadOptions(rxOffload, value, udp);
    }

    /**
     * With UDP offload switched.
     *
     * @param value on or off
     * @return new options
     */
    public OffloadOptions withUdp(boolean value) {
        return new OffloadOptions(rxOffload, txOffload, value);
    }
}

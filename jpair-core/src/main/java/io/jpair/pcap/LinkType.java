package io.jpair.pcap;

import io.jpair.tuntap.TunnelFlags;
import java.util.Objects;

/**
 * The link-layer header type of a pcap file (the {@code network} field of its global header), as
 * registered at tcpdump.org's {@code linktypes.html}.
 */
public enum LinkType {
    /** {@code LINKTYPE_ETHERNET} (1): each record starts with an Ethernet II header (a TAP device). */
    ETHERNET(1),
    /** {@code LINKTYPE_RAW} (101): each record is an IPv4 or IPv6 packet, no link header (a TUN device). */
    RAW(101);

    private final int value;

    LinkType(int value) {
        this.value = value;
    }

    /**
     * The number written in the file.
     *
     * @return 1 or 101
     */
    public int value() {
        return value;
    }

    /**
     * The link type of what a TUN/TAP device delivers (without the packet-information header).
     *
     * @param deviceType {@link TunnelFlags#IFF_TAP} or {@link TunnelFlags#IFF_TUN}, e.g.
     *     {@code port.getHost().type()}
     * @return {@link #ETHERNET} for TAP, {@link #RAW} for TUN
     * @throws IllegalArgumentException for a value that has neither mode flag
     */
    public static LinkType forDevice(TunnelFlags deviceType) {
        Objects.requireNonNull(deviceType, "deviceType");
        if (deviceType.contains(TunnelFlags.IFF_TAP)) {
            return ETHERNET;
        }
        if (deviceType.contains(TunnelFlags.IFF_TUN)) {
            return RAW;
        }
        throw new IllegalArgumentException("not a TUN or TAP device type: " + deviceType);
    }
}

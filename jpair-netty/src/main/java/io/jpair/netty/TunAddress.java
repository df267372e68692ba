package io.jpair.netty;

import io.jpair.tuntap.TunnelFlags;
import java.io.Serial;
import java.net.SocketAddress;
import java.util.Objects;

/**
 * The local address of a {@link TunChannel}: the device's name and type (Twisted's
 * {@code TunnelAddress} as a {@link SocketAddress}, which Netty's {@code Channel.localAddress()}
 * returns). A TUN device has no remote address.
 */
public final class TunAddress extends SocketAddress {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The device name. */
    private final String name;
    /** Whether the device is a TAP (else TUN). */
    private final boolean tap;

    /**
     * An address.
     *
     * @param name the device name, e.g. {@code tun0}
     * @param mode {@link TunnelFlags#IFF_TUN} or {@link TunnelFlags#IFF_TAP}
     */
    public TunAddress(String name, TunnelFlags mode) {
        this.name = Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mode, "mode");
        if (!mode.equals(TunnelFlags.IFF_TUN) && !mode.equals(TunnelFlags.IFF_TAP)) {
            throw new IllegalArgumentException("mode must be IFF_TUN or IFF_TAP, not " + mode);
        }
        this.tap = mode.equals(TunnelFlags.IFF_TAP);
    }

    /**
     * The device name.
     *
     * @return e.g. {@code tun0}
     */
    public String name() {
        return name;
    }

    /**
     * The device type.
     *
     * @return {@link TunnelFlags#IFF_TUN} or {@link TunnelFlags#IFF_TAP}
     */
    public TunnelFlags mode() {
        return tap ? TunnelFlags.IFF_TAP : TunnelFlags.IFF_TUN;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TunAddress other && other.tap == tap && other.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + (tap ? 1 : 0);
    }

    @Override
    public String toString() {
        return (tap ? "tap:" : "tun:") + name;
    }
}

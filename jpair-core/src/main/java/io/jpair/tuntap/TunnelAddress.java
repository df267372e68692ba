package io.jpair.tuntap;

import io.jpair.transport.Address;
import java.util.Objects;

/**
 * The address of a TUN/TAP port: the device type ({@code IFF_TUN} or {@code IFF_TAP}) and the
 * interface name (Twisted's {@code TunnelAddress}).
 *
 * <p>Unlike Twisted's, it is hashable, and the deprecated tuple indexing is gone.
 *
 * @param type {@link TunnelFlags#IFF_TUN} or {@link TunnelFlags#IFF_TAP}, compared by value
 * @param name the interface name
 */
public record TunnelAddress(TunnelFlags type, String name) implements Address {
    /**
     * Validates the fields.
     *
     * @param type the device type
     * @param name the interface name
     */
    public TunnelAddress {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
    }

    /**
     * Twisted's rendering.
     *
     * @return e.g. {@code <TunnelAddress type=IFF_TUN name='tun0'>}
     */
    @Override
    public String toString() {
        return "<TunnelAddress type=" + type.name() + " name='" + name + "'>";
    }
}

package io.jpair.netlink;

import java.util.List;

/**
 * A snapshot of one network link as the kernel reported it.
 *
 * @param index the interface index
 * @param name the interface name
 * @param flags the {@code IFF_*} flags (see {@link IfInfoMsg})
 * @param mtu the MTU in bytes
 * @param minMtu the smallest MTU the device accepts, or 0 if the kernel did not say
 * @param maxMtu the largest MTU the device accepts, or 0 if the kernel did not say
 * @param addresses the IPv4 and IPv6 addresses assigned to it, in the kernel's order
 */
public record LinkInfo(int index, String name, int flags, int mtu, int minMtu, int maxMtu,
                       List<LinkAddress> addresses) {
    /**
     * Copies the address list.
     */
    public LinkInfo {
        addresses = List.copyOf(addresses);
    }

    /**
     * Whether the link is administratively up ({@code IFF_UP}).
     *
     * @return true when up
     */
    public boolean up() {
        return (flags & IfInfoMsg.IFF_UP) != 0;
    }

    /**
     * Whether the link is operationally up ({@code IFF_RUNNING}); a TUN device is only when a
     * process has it open.
     *
     * @return true when running
     */
    public boolean running() {
        return (flags & IfInfoMsg.IFF_RUNNING) != 0;
    }

    /**
     * Whether any IPv6 address is assigned.
     *
     * @return true if one is
     */
    public boolean hasIpv6Address() {
        for (LinkAddress address : addresses) {
            if (address.isIpv6()) {
                return true;
            }
        }
        return false;
    }
}

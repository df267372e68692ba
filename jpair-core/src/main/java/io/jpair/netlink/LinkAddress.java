package io.jpair.netlink;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * An address assigned to a link, with its prefix length: {@code 10.7.0.1/24}, {@code fd00::1/64}.
 *
 * @param address the IPv4 or IPv6 address
 * @param prefixLength the prefix length in bits: 0..32 for IPv4, 0..128 for IPv6
 */
public record LinkAddress(InetAddress address, int prefixLength) {
    /**
     * Validates the prefix length against the address family.
     *
     * @throws IllegalArgumentException if the prefix length does not fit the family
     * @throws NullPointerException if {@code address} is null
     */
    public LinkAddress {
        int max = maxPrefixLength(address);
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " of " + address.getHostAddress()
                + " is outside 0.." + max);
        }
    }

    /**
     * Parses {@code "10.7.0.1/24"} or {@code "fd00::1/64"} (numeric addresses only, no DNS).
     *
     * @param text the address, a slash and the prefix length
     * @return the parsed address
     * @throws IllegalArgumentException if {@code text} is not of that form
     */
    public static LinkAddress parse(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            throw new IllegalArgumentException("expected address/prefix, got \"" + text + "\"");
        }
        String host = text.substring(0, slash);
        if (!host.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
            throw new IllegalArgumentException("not a numeric IP address: \"" + host + "\"");
        }
        try {
            return new LinkAddress(InetAddress.getByName(host), Integer.parseInt(text.substring(slash + 1)));
        } catch (java.net.UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("cannot parse \"" + text + "\": " + e.getMessage(), e);
        }
    }

    /**
     * Whether this is an IPv6 address.
     *
     * @return true for IPv6
     */
    public boolean isIpv6() {
        return !(address instanceof Inet4Address);
    }

    static int maxPrefixLength(InetAddress address) {
        return address instanceof Inet4Address ? 32 : 128;
    }

    /**
     * The {@code address/prefix} form.
     *
     * @return e.g. {@code "10.7.0.1/24"}
     */
    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefixLength;
    }
}

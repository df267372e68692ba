package io.jpair.cli;

import io.jpair.netlink.LinkAddress;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Parses the {@code ADDRESS/PREFIX} of {@code --address} and {@code --kernel-address} as a literal
 * only, and refuses what cannot be a host's address on a subnet.
 *
 * <p>No name is ever looked up (no DNS, no search domain, no {@code /etc/hosts}), and no
 * {@code inet_aton} shorthand is taken: IPv4 is exactly four decimal octets 0..255 without
 * leading zeros ({@code 10.1} and {@code 010.0.0.1} are refused, not read as {@code 10.0.0.1} or
 * octal); IPv6 is a literal of RFC 4291 section 2.2 without a zone or brackets
 * ({@link InetAddress#ofLiteral}), and not an IPv4-mapped one. The prefix is decimal,
 * 1..32 or 1..128.
 *
 * <p>Refused as a host address: multicast, loopback, the unspecified address, and, for the given
 * prefix, the IPv4 network and broadcast addresses (prefixes up to /30; /31 and /32 have none,
 * RFC 3021) and the IPv6 subnet-router anycast address (all host bits zero, RFC 4291 section
 * 2.6.1; prefixes up to /126).
 */
final class AddressLiteral {
    private static final Pattern OCTET = Pattern.compile("25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9]");
    private static final Pattern IPV4 = Pattern.compile("(" + OCTET + ")(\\.(" + OCTET + ")){3}");
    private static final Pattern PREFIX = Pattern.compile("[0-9]{1,3}");
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]+");

    private AddressLiteral() {
    }

    /**
     * Parses and checks one {@code ADDRESS/PREFIX}.
     *
     * @param text e.g. {@code 10.0.0.2/24} or {@code fd00::2/64}
     * @return the address
     * @throws IllegalArgumentException with the reason, naming the text
     */
    static LinkAddress parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' has no /PREFIX (write e.g. " + text + "/24)");
        }
        String host = text.substring(0, slash);
        String prefixText = text.substring(slash + 1);
        InetAddress address = address(text, host);
        int max = address instanceof Inet4Address ? 32 : 128;
        if (!PREFIX.matcher(prefixText).matches() || Integer.parseInt(prefixText) < 1
                || Integer.parseInt(prefixText) > max) {
            throw new IllegalArgumentException("'" + text + "': the prefix length must be 1.." + max
                + ", not '" + prefixText + "'");
        }
        LinkAddress parsed = new LinkAddress(address, Integer.parseInt(prefixText));
        refuseSpecial(text, parsed);
        return parsed;
    }

    /**
     * Parses a bare literal address with the same strictness (any address: wildcard, loopback and
     * multicast included).
     *
     * @param host e.g. {@code 10.98.1.1} or {@code fd00::1}
     * @return the address
     * @throws IllegalArgumentException if it is not a literal
     */
    static InetAddress literal(String host) {
        return address(host, host);
    }

    private static InetAddress address(String text, String host) {
        if (host.indexOf(':') < 0) {
            if (!IPV4.matcher(host).matches()) {
                throw new IllegalArgumentException("'" + text + "' is not a literal address such as 10.0.0.2/24 or"
                    + " fd00::2/64 (IPv4 is four decimal numbers 0..255, no names, no shorthand such as 10.1)");
            }
            String[] octets = host.split("\\.");
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                bytes[i] = (byte) Integer.parseInt(octets[i]);
            }
            return byBytes(bytes);
        }
        InetAddress address = null;
        if (IPV6_CHARACTERS.matcher(host).matches()) {
            try {
                address = InetAddress.ofLiteral(host);
            } catch (IllegalArgumentException e) {
                address = null;
            }
        }
        if (address == null) {
            throw new IllegalArgumentException("'" + text + "' is not a literal address such as 10.0.0.2/24 or"
                + " fd00::2/64");
        }
        if (address instanceof Inet4Address) {
            throw new IllegalArgumentException("'" + text + "' is an IPv4-mapped IPv6 address: give the IPv4 address"
                + " itself, e.g. " + address.getHostAddress() + "/24");
        }
        return address;
    }

    private static void refuseSpecial(String text, LinkAddress parsed) {
        InetAddress address = parsed.address();
        if (address.isMulticastAddress()) {
            throw new IllegalArgumentException("'" + text + "' is a multicast address, not a host's address");
        }
        if (address.isLoopbackAddress()) {
            throw new IllegalArgumentException("'" + text + "' is a loopback address, not one for a device");
        }
        if (address.isAnyLocalAddress()) {
            throw new IllegalArgumentException("'" + text + "' is the unspecified address, not a host's address");
        }
        byte[] raw = address.getAddress();
        int bits = raw.length * 8;
        int hostBits = bits - parsed.prefixLength();
        if (hostBits < 2) {
            return;
        }
        BigInteger value = new BigInteger(1, raw);
        BigInteger hostMask = BigInteger.ONE.shiftLeft(hostBits).subtract(BigInteger.ONE);
        BigInteger hostPart = value.and(hostMask);
        String subnet = byBytes(bytes(value.andNot(hostMask), raw.length)).getHostAddress() + "/" + parsed.prefixLength();
        if (hostPart.signum() == 0) {
            throw new IllegalArgumentException("'" + text + "' is the " + (bits == 32 ? "network address"
                : "subnet-router anycast address") + " of " + subnet + ", not a host's address");
        }
        if (bits == 32 && hostPart.equals(hostMask)) {
            throw new IllegalArgumentException("'" + text + "' is the broadcast address of " + subnet
                + ", not a host's address");
        }
    }

    private static byte[] bytes(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(bytes.length, length);
        System.arraycopy(bytes, bytes.length - copy, out, length - copy, copy);
        return out;
    }

    private static InetAddress byBytes(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }
}

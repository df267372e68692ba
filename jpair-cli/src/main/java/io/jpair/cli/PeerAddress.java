package io.jpair.cli;

import io.jpair.netlink.LinkAddress;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The kernel-side address {@code jpair host} gives a device by default: the first host address of
 * the jpair address's subnet that is not jpair's own ({@code 10.0.0.2/24} gives
 * {@code 10.0.0.1/24}; {@code 10.0.0.1/24} gives {@code 10.0.0.2/24}; {@code fd00::2/64} gives
 * {@code fd00::1/64}).
 */
final class PeerAddress {
    private PeerAddress() {
    }

    /**
     * The kernel side for a jpair address.
     *
     * @param host jpair's address and prefix
     * @return the kernel's address with the same prefix
     * @throws CommandException when the subnet has no room for a second host (/31, /32, /127, /128)
     */
    static LinkAddress of(LinkAddress host) throws CommandException {
        byte[] raw = host.address().getAddress();
        int bits = raw.length * 8;
        if (host.prefixLength() > bits - 2) {
            throw new CommandException("the /" + host.prefixLength() + " subnet of " + host
                + " has no room for a kernel-side address: give one with --kernel-address, or use --no-kernel-address");
        }
        BigInteger value = new BigInteger(1, raw);
        BigInteger mask = BigInteger.ONE.shiftLeft(bits - host.prefixLength()).subtract(BigInteger.ONE).not();
        BigInteger network = value.and(mask);
        BigInteger first = network.add(BigInteger.ONE);
        BigInteger peer = first.equals(value) ? first.add(BigInteger.ONE) : first;
        byte[] bytes = peer.toByteArray();
        byte[] out = new byte[raw.length];
        int copy = Math.min(bytes.length, out.length);
        System.arraycopy(bytes, bytes.length - copy, out, out.length - copy, copy);
        try {
            return new LinkAddress(InetAddress.getByAddress(out), host.prefixLength());
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }
}

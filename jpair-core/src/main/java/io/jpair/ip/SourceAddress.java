package io.jpair.ip;

/**
 * The address a reply goes out from, as {@link IPProtocol#selectSource} chose it: the one rule
 * for every reply the stack sends (echo replies, UDP replies), so they cannot disagree about it.
 *
 * <p>A reusable holder, one per sender, so choosing costs no allocation for either IP version: an
 * IPv4 address as an {@code int}, an IPv6 address as two {@code long}s. Valid until the next
 * choice. Reactor thread only.
 */
public final class SourceAddress {
    private int version;
    private int ipv4;
    private long high;
    private long low;

    /** An empty holder (IPv4 0.0.0.0) for {@link IPProtocol#selectSource} to fill. */
    public SourceAddress() {
        version = 4;
    }

    void setIpv4(int address) {
        version = 4;
        ipv4 = address;
    }

    void setIpv6(long addressHigh, long addressLow) {
        version = 6;
        high = addressHigh;
        low = addressLow;
    }

    /**
     * The IP version of the address (that of the packet being answered).
     *
     * @return 4 or 6
     */
    public int version() {
        return version;
    }

    /**
     * The IPv4 address.
     *
     * @return as an int (first octet most significant); meaningful when {@link #version()} is 4
     */
    public int ipv4() {
        return ipv4;
    }

    /**
     * The IPv6 address, high half.
     *
     * @return the bits; meaningful when {@link #version()} is 6
     */
    public long high() {
        return high;
    }

    /**
     * The IPv6 address, low half.
     *
     * @return the bits; meaningful when {@link #version()} is 6
     */
    public long low() {
        return low;
    }

    /**
     * Whether there is an address at all: false for 0.0.0.0 or {@code ::}, what the choice gives
     * when we have no address of the packet's version.
     *
     * @return true if specified
     */
    public boolean isSpecified() {
        return version == 4 ? ipv4 != 0 : (high | low) != 0;
    }
}

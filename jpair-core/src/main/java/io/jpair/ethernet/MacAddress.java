package io.jpair.ethernet;

import io.jpair.wire.NetworkOrder;
import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A 48-bit Ethernet MAC address: an immutable value for configuration and display, plus static
 * helpers that work on the allocation-free form the packet path uses, a {@code long} holding the
 * address in its low 48 bits (first octet most significant), as
 * {@link io.jpair.transport.RawPacketProtocol} passes it. {@link #NONE} (-1) means "no address".
 */
public final class MacAddress {
    /** "No address" in the {@code long} form; equal to {@code RawPacketProtocol.NO_MAC}. */
    public static final long NONE = -1L;
    /** ff:ff:ff:ff:ff:ff in the {@code long} form. */
    public static final long BROADCAST_VALUE = 0xFFFF_FFFF_FFFFL;
    /** ff:ff:ff:ff:ff:ff. */
    public static final MacAddress BROADCAST = new MacAddress(BROADCAST_VALUE);
    /** 00:00:00:00:00:00 ("unknown" in ARP requests). */
    public static final MacAddress ZERO = new MacAddress(0);

    private static final long MASK = 0xFFFF_FFFF_FFFFL;
    private final long value;

    private MacAddress(long value) {
        this.value = value;
    }

    /**
     * The address held in the low 48 bits of {@code value}.
     *
     * @param value 0 .. 2^48-1
     * @return the address
     * @throws IllegalArgumentException if {@code value} does not fit in 48 bits
     */
    public static MacAddress of(long value) {
        if ((value & ~MASK) != 0) {
            throw new IllegalArgumentException("not a 48-bit MAC address: 0x" + Long.toHexString(value));
        }
        return new MacAddress(value);
    }

    /**
     * The address in six bytes.
     *
     * @param bytes exactly six bytes, first octet first
     * @return the address
     * @throws IllegalArgumentException if there are not six bytes
     */
    public static MacAddress of(byte[] bytes) {
        if (bytes.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, not " + bytes.length);
        }
        long v = 0;
        for (byte b : bytes) {
            v = v << 8 | (b & 0xFF);
        }
        return new MacAddress(v);
    }

    /**
     * Parses {@code "02:00:5e:10:00:01"} (colons or dashes, case-insensitive).
     *
     * @param text six two-digit hexadecimal octets
     * @return the address
     * @throws IllegalArgumentException with the text when it is not a MAC address
     */
    public static MacAddress parse(String text) {
        String[] parts = text.split("[:-]", -1);
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address (want 6 octets like 02:00:5e:10:00:01): '" + text + "'");
        }
        long v = 0;
        for (String part : parts) {
            if (part.length() != 2) {
                throw new IllegalArgumentException("not a MAC address (octet '" + part + "'): '" + text + "'");
            }
            try {
                v = v << 8 | Integer.parseInt(part, 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a MAC address (octet '" + part + "'): '" + text + "'", e);
            }
        }
        return new MacAddress(v);
    }

    /**
     * A random locally administered unicast address (02:xx:xx:xx:xx:xx style), for a host that
     * needs one of its own on a TAP link.
     *
     * @return the address
     */
    public static MacAddress randomLocal() {
        long v = ThreadLocalRandom.current().nextLong() & MASK;
        v = (v & ~(0x01L << 40)) | (0x02L << 40);
        return new MacAddress(v);
    }

    /**
     * The {@code long} form.
     *
     * @return the address in the low 48 bits
     */
    public long value() {
        return value;
    }

    /**
     * The six bytes.
     *
     * @return a new array, first octet first
     */
    public byte[] bytes() {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (value >>> (40 - 8 * i));
        }
        return b;
    }

    /**
     * Reads a MAC address at an absolute index.
     *
     * @param buffer the buffer; at least {@code index + 6} bytes
     * @param index absolute index
     * @return the {@code long} form
     */
    public static long get(ByteBuffer buffer, int index) {
        return ((long) NetworkOrder.u16(buffer, index) << 32) | (NetworkOrder.i32(buffer, index + 2) & 0xFFFF_FFFFL);
    }

    /**
     * Writes a MAC address at an absolute index.
     *
     * @param buffer the buffer
     * @param index absolute index
     * @param mac the {@code long} form
     */
    public static void put(ByteBuffer buffer, int index, long mac) {
        NetworkOrder.u16(buffer, index, (int) (mac >>> 32));
        NetworkOrder.i32(buffer, index + 2, (int) mac);
    }

    /**
     * Whether the group bit (I/G, least significant bit of the first octet) is set: multicast or
     * broadcast.
     *
     * @param mac the {@code long} form
     * @return true for group addresses
     */
    public static boolean isGroup(long mac) {
        return (mac & (0x01L << 40)) != 0;
    }

    /**
     * The multicast MAC an IPv6 multicast address maps to (RFC 2464 section 7): 33:33 and the
     * low 32 bits.
     *
     * @param ipv6Low the low 64 bits of the IPv6 address
     * @return the {@code long} form
     */
    public static long ipv6Multicast(long ipv6Low) {
        return 0x3333_0000_0000L | (ipv6Low & 0xFFFF_FFFFL);
    }

    /**
     * The multicast MAC an IPv4 multicast address maps to (RFC 1112 section 6.4): 01:00:5e and
     * the low 23 bits.
     *
     * @param ipv4 the address
     * @return the {@code long} form
     */
    public static long ipv4Multicast(int ipv4) {
        return 0x0100_5E00_0000L | (ipv4 & 0x7F_FFFFL);
    }

    /**
     * Formats the {@code long} form as {@code 02:00:5e:10:00:01}.
     *
     * @param mac the {@code long} form
     * @return the text, or {@code "none"} for {@link #NONE}
     */
    public static String format(long mac) {
        if (mac == NONE) {
            return "none";
        }
        StringBuilder s = new StringBuilder(17);
        for (int i = 0; i < 6; i++) {
            int octet = (int) (mac >>> (40 - 8 * i)) & 0xFF;
            if (i > 0) {
                s.append(':');
            }
            s.append(Character.forDigit(octet >>> 4, 16)).append(Character.forDigit(octet & 0xF, 16));
        }
        return s.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MacAddress m && m.value == value;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(value);
    }

    /**
     * The address as {@code 02:00:5e:10:00:01}.
     *
     * @return the text
     */
    @Override
    public String toString() {
        return format(value);
    }
}

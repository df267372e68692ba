package io.jpair.tuntap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A set of {@code TUNSETIFF} flags ({@code IFF_*} from {@code <linux/if_tun.h>}) with value
 * equality, like Twisted's {@code TunnelFlags} constants.
 *
 * <p>{@link #name()} is the member name when exactly one flag is set ({@code "IFF_TUN"}), the
 * member names sorted alphabetically in braces otherwise ({@code "{IFF_NO_PI,IFF_TUN}"}), and
 * {@code "{}"} for none. Unlike Twisted, equality is by value ({@code IFF_TUN.or(IFF_TUN)} equals
 * {@code IFF_TUN}), and the legacy kernel-internal {@code TUN_*} values are left out: they overlap
 * {@code IFF_NAPI} and friends and {@code TUNSETIFF} never accepted them.
 */
public final class TunnelFlags {
    /** {@code IFF_TUN}: layer-3 device, IP packets. */
    public static final TunnelFlags IFF_TUN = new TunnelFlags(0x0001);
    /** {@code IFF_TAP}: layer-2 device, Ethernet frames. */
    public static final TunnelFlags IFF_TAP = new TunnelFlags(0x0002);
    /** {@code IFF_NAPI}: kernel NAPI for frames written to the device. */
    public static final TunnelFlags IFF_NAPI = new TunnelFlags(0x0010);
    /** {@code IFF_NAPI_FRAGS}: NAPI with fragmented skbs. */
    public static final TunnelFlags IFF_NAPI_FRAGS = new TunnelFlags(0x0020);
    /** {@code IFF_NO_CARRIER}: create with the carrier off. */
    public static final TunnelFlags IFF_NO_CARRIER = new TunnelFlags(0x0040);
    /** {@code IFF_MULTI_QUEUE}: one fd per queue. */
    public static final TunnelFlags IFF_MULTI_QUEUE = new TunnelFlags(0x0100);
    /** {@code IFF_ATTACH_QUEUE} (for {@code TUNSETQUEUE}). */
    public static final TunnelFlags IFF_ATTACH_QUEUE = new TunnelFlags(0x0200);
    /** {@code IFF_DETACH_QUEUE} (for {@code TUNSETQUEUE}). */
    public static final TunnelFlags IFF_DETACH_QUEUE = new TunnelFlags(0x0400);
    /** {@code IFF_PERSIST}: read-only, reported by {@code TUNGETIFF}. */
    public static final TunnelFlags IFF_PERSIST = new TunnelFlags(0x0800);
    /** {@code IFF_NO_PI}: no 4-byte packet-information header. */
    public static final TunnelFlags IFF_NO_PI = new TunnelFlags(0x1000);
    /** {@code IFF_ONE_QUEUE}: no effect since Linux 3.8. */
    public static final TunnelFlags IFF_ONE_QUEUE = new TunnelFlags(0x2000);
    /** {@code IFF_VNET_HDR}: a virtio-net header before each packet. */
    public static final TunnelFlags IFF_VNET_HDR = new TunnelFlags(0x4000);
    /** {@code IFF_TUN_EXCL}: fail with EBUSY instead of attaching to an existing device. */
    public static final TunnelFlags IFF_TUN_EXCL = new TunnelFlags(0x8000);
    /** No flags. */
    public static final TunnelFlags NONE = new TunnelFlags(0);

    private static final Map<String, Integer> MEMBERS = new TreeMap<>(Map.ofEntries(
        Map.entry("IFF_TUN", 0x0001), Map.entry("IFF_TAP", 0x0002), Map.entry("IFF_NAPI", 0x0010),
        Map.entry("IFF_NAPI_FRAGS", 0x0020), Map.entry("IFF_NO_CARRIER", 0x0040),
        Map.entry("IFF_MULTI_QUEUE", 0x0100), Map.entry("IFF_ATTACH_QUEUE", 0x0200),
        Map.entry("IFF_DETACH_QUEUE", 0x0400), Map.entry("IFF_PERSIST", 0x0800), Map.entry("IFF_NO_PI", 0x1000),
        Map.entry("IFF_ONE_QUEUE", 0x2000), Map.entry("IFF_VNET_HDR", 0x4000), Map.entry("IFF_TUN_EXCL", 0x8000)));

    private final int value;

    private TunnelFlags(int value) {
        this.value = value;
    }

    /**
     * The flags for a bit mask.
     *
     * @param value the 16-bit mask
     * @return the flags
     * @throws IllegalArgumentException if a bit is not a known flag
     */
    public static TunnelFlags of(int value) {
        int known = 0;
        for (int bit : MEMBERS.values()) {
            known |= bit;
        }
        if ((value & ~known) != 0) {
            throw new IllegalArgumentException("unknown TUN flag bits 0x" + Integer.toHexString(value & ~known));
        }
        return new TunnelFlags(value);
    }

    /**
     * The bit mask.
     *
     * @return the value passed to the kernel
     */
    public int value() {
        return value;
    }

    /**
     * Union.
     *
     * @param other more flags
     * @return a new set
     */
    public TunnelFlags or(TunnelFlags other) {
        return new TunnelFlags(value | other.value);
    }

    /**
     * Intersection.
     *
     * @param other flags to keep
     * @return a new set
     */
    public TunnelFlags and(TunnelFlags other) {
        return new TunnelFlags(value & other.value);
    }

    /**
     * Symmetric difference.
     *
     * @param other flags to toggle
     * @return a new set
     */
    public TunnelFlags xor(TunnelFlags other) {
        return new TunnelFlags(value ^ other.value);
    }

    /**
     * Whether every flag of {@code other} is set here.
     *
     * @param other the flags to test
     * @return true if all are set
     */
    public boolean contains(TunnelFlags other) {
        return (value & other.value) == other.value;
    }

    /**
     * Whether no flag is set (Twisted's falsy flags).
     *
     * @return true for {@code {}}
     */
    public boolean isEmpty() {
        return value == 0;
    }

    /**
     * The rendering Twisted uses: one name, or sorted names in braces.
     *
     * @return e.g. {@code "IFF_TUN"} or {@code "{IFF_NO_PI,IFF_TUN}"}
     */
    public String name() {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, Integer> member : MEMBERS.entrySet()) {
            if ((value & member.getValue()) != 0) {
                names.add(member.getKey());
            }
        }
        return names.size() == 1 ? names.get(0) : "{" + String.join(",", names) + "}";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TunnelFlags flags && flags.value == value;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(value);
    }

    @Override
    public String toString() {
        return name();
    }
}

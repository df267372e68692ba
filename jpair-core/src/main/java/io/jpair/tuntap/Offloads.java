package io.jpair.tuntap;

import io.jpair.errno.ErrnoException;
import io.jpair.tuntap.internal.TunIoctl;

/**
 * The {@code TUN_F_*} offload bits of {@code <linux/if_tun.h>} and their negotiation with
 * {@code TUNSETOFFLOAD}.
 *
 * <p>{@code TUNSETOFFLOAD} tells the kernel which offloads the reader of a device opened with
 * {@code IFF_VNET_HDR} can take: with {@link #TUN_F_CSUM} it may hand over packets whose checksum
 * is only partial ({@link VirtioNetHeader#F_NEEDS_CSUM}); with TSO4/TSO6 and USO4/USO6 it may hand
 * over TCP and UDP GSO super-packets of up to 64 KiB. It governs only the device-to-reader
 * direction; what a writer may send is described by its own virtio header. The call fails with
 * {@code EINVAL} for bits the kernel does not know (USO needs Linux 6.2, UFO was removed in 3.18)
 * or for TSO without CSUM, so {@link #negotiate} asks for less step by step (wireguard-go's and
 * tun-rs's order): {@code CSUM|TSO4|TSO6|USO4|USO6}, then {@code CSUM|TSO4|TSO6}, then nothing.
 * The setting is per device: every queue of a multi-queue device shares it.
 */
public final class Offloads {
    /** {@code TUN_F_CSUM}: the reader completes partial checksums. */
    public static final int TUN_F_CSUM = 0x01;
    /** {@code TUN_F_TSO4}: TCP/IPv4 super-packets. */
    public static final int TUN_F_TSO4 = 0x02;
    /** {@code TUN_F_TSO6}: TCP/IPv6 super-packets. */
    public static final int TUN_F_TSO6 = 0x04;
    /** {@code TUN_F_TSO_ECN}: TSO with the ECN bits set. */
    public static final int TUN_F_TSO_ECN = 0x08;
    /** {@code TUN_F_UFO}: legacy UDP fragmentation offload, removed in Linux 3.18. */
    public static final int TUN_F_UFO = 0x10;
    /** {@code TUN_F_USO4}: UDP/IPv4 segmentation offload (Linux 6.2). */
    public static final int TUN_F_USO4 = 0x20;
    /** {@code TUN_F_USO6}: UDP/IPv6 segmentation offload (Linux 6.2). */
    public static final int TUN_F_USO6 = 0x40;

    /** The TCP set jpair requires for offload: {@code CSUM|TSO4|TSO6}. */
    public static final int TCP_SET = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6;
    /** The full set jpair asks for first: {@code CSUM|TSO4|TSO6|USO4|USO6}. */
    public static final int FULL_SET = TCP_SET | TUN_F_USO4 | TUN_F_USO6;

    private Offloads() {
    }

    /**
     * Negotiates offloads on a device fd opened with {@code IFF_VNET_HDR}: tries the full set
     * (without USO when {@code udp} is false), then {@link #TCP_SET}, then none. With {@code rx}
     * false it only clears any offload a previous user left.
     *
     * @param system the system calls
     * @param fd the device fd
     * @param device the device name, for messages
     * @param rx whether to ask for TSO (and checksum) offload at all
     * @param udp whether to ask for USO as well
     * @return the accepted {@code TUN_F_*} bits (0 when none)
     * @throws ErrnoException if even clearing the offloads fails
     */
    public static int negotiate(IOSystem system, int fd, String device, boolean rx, boolean udp)
            throws ErrnoException {
        if (rx) {
            if (udp && system.ioctl(fd, TunIoctl.TUNSETOFFLOAD, FULL_SET) >= 0) {
                return FULL_SET;
            }
            if (system.ioctl(fd, TunIoctl.TUNSETOFFLOAD, TCP_SET) >= 0) {
                return TCP_SET;
            }
        }
        int rc = system.ioctl(fd, TunIoctl.TUNSETOFFLOAD, 0);
        if (rc < 0) {
            throw new ErrnoException("ioctl(TUNSETOFFLOAD)", device, -rc, "cannot even clear the offloads");
        }
        return 0;
    }

    /**
     * Whether the bits include both USO bits.
     *
     * @param bits {@code TUN_F_*}
     * @return true if UDP segmentation offload is on for IPv4 and IPv6
     */
    public static boolean hasUso(int bits) {
        return (bits & (TUN_F_USO4 | TUN_F_USO6)) == (TUN_F_USO4 | TUN_F_USO6);
    }

    /**
     * Whether the bits include the required TCP set.
     *
     * @param bits {@code TUN_F_*}
     * @return true for {@code CSUM|TSO4|TSO6}
     */
    public static boolean hasTso(int bits) {
        return (bits & TCP_SET) == TCP_SET;
    }

    /**
     * The names of the bits, e.g. {@code "CSUM|TSO4|TSO6"}, or {@code "none"}.
     *
     * @param bits {@code TUN_F_*}
     * @return a readable form
     */
    public static String describe(int bits) {
        if (bits == 0) {
            return "none";
        }
        StringBuilder text = new StringBuilder();
        String[] names = {"CSUM", "TSO4", "TSO6", "TSO_ECN", "UFO", "USO4", "USO6"};
        for (int bit = 0; bit < names.length; bit++) {
            if ((bits & (1 << bit)) != 0) {
                text.append(text.isEmpty() ? "" : "|").append(names[bit]);
            }
        }
        int unknown = bits & ~0x7F;
        if (unknown != 0) {
            text.append(text.isEmpty() ? "" : "|").append("0x").append(Integer.toHexString(unknown));
        }
        return text.toString();
    }
}

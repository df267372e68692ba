package io.jpair.tuntap.internal;

import io.jpair.sys.Arch;

/**
 * The {@code TUN*} ioctl request codes of {@code <linux/if_tun.h>}, encoded for the running
 * architecture (the {@code _IOW}/{@code _IOR} table is in {@link Arch}). Public only inside the
 * module: {@code io.jpair.testing.MemoryIOSystem} recognises requests by these codes.
 */
public final class TunIoctl {
    /** {@code _IOW('T', 202, int)}: create or attach a device by name and flags. */
    public static final long TUNSETIFF = Arch.iow('T', 202, 4);
    /** {@code _IOW('T', 203, int)}: keep the device after the last fd closes. */
    public static final long TUNSETPERSIST = Arch.iow('T', 203, 4);
    /** {@code _IOW('T', 204, int)}: let this uid attach without CAP_NET_ADMIN. */
    public static final long TUNSETOWNER = Arch.iow('T', 204, 4);
    /** {@code _IOW('T', 206, int)}: let this gid attach without CAP_NET_ADMIN. */
    public static final long TUNSETGROUP = Arch.iow('T', 206, 4);
    /** {@code _IOR('T', 207, unsigned int)}: the IFF_* flags this kernel supports. */
    public static final long TUNGETFEATURES = Arch.ior('T', 207, 4);
    /** {@code _IOW('T', 208, unsigned int)}: enable offloads (TUN_F_*). */
    public static final long TUNSETOFFLOAD = Arch.iow('T', 208, 4);
    /** {@code _IOR('T', 210, unsigned int)}: read back name and flags. */
    public static final long TUNGETIFF = Arch.ior('T', 210, 4);
    /** {@code _IOW('T', 216, int)}: virtio-net header size (10 or 12). */
    public static final long TUNSETVNETHDRSZ = Arch.iow('T', 216, 4);
    /** {@code _IOW('T', 217, int)}: attach or detach one multi-queue fd. */
    public static final long TUNSETQUEUE = Arch.iow('T', 217, 4);

    private TunIoctl() {
    }
}

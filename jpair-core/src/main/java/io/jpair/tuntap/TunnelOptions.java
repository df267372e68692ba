package io.jpair.tuntap;

import io.jpair.tuntap.offload.OffloadOptions;
import io.jpair.tuntap.offload.VirtioNetHeader;

/**
 * How a {@link TuntapPort} opens its device, beyond Twisted's fixed {@code mode | IFF_NO_PI}.
 * Immutable; start from {@link #defaults()} and derive with the {@code with*} methods.
 *
 * <pre>{@code
 * TunnelOptions options = TunnelOptions.defaults()
 *     .withPersist(true)          // TUNSETPERSIST 1: the device outlives the fd
 *     .withOwner(1000)            // TUNSETOWNER: uid 1000 may attach later without root
 *     .withExclusive(true);       // IFF_TUN_EXCL: EBUSY instead of attaching to an existing device
 * }</pre>
 *
 * @param maxPacketSize the read buffer, bytes; longer packets are truncated by the kernel
 *     (Twisted's default 8192)
 * @param packetInformation keep the kernel's 4-byte packet-information header (no
 *     {@code IFF_NO_PI}); delivered and written packets then start with it
 * @param persist {@code null} to leave as is, else {@code TUNSETPERSIST} with this value
 * @param owner uid for {@code TUNSETOWNER}, or -1 to leave as is
 * @param group gid for {@code TUNSETGROUP}, or -1 to leave as is
 * @param exclusive {@code IFF_TUN_EXCL}: fail with {@code EBUSY} if the name exists
 * @param attachOnly fail with {@code ENODEV} unless the device already exists
 * @param extraFlags more {@code IFF_*} bits for {@code TUNSETIFF} (e.g.
 *     {@link TunnelFlags#IFF_NO_CARRIER})
 */
public record TunnelOptions(int maxPacketSize, boolean packetInformation, Boolean persist, int owner, int group,
        boolean exclusive, boolean attachOnly, TunnelFlags extraFlags) {
    /** Twisted's default read size. */
    public static final int DEFAULT_MAX_PACKET_SIZE = 8192;

    /**
     * Validates the values.
     *
     * @param maxPacketSize read buffer size
     * @param packetInformation keep the PI header
     * @param persist persist setting or {@code null}
     * @param owner uid or -1
     * @param group gid or -1
     * @param exclusive IFF_TUN_EXCL
     * @param attachOnly require an existing device
     * @param extraFlags extra TUNSETIFF flags
     */
    public TunnelOptions {
        if (maxPacketSize < 1 || maxPacketSize > 1 << 20) {
            throw new IllegalArgumentException("maxPacketSize must be 1..1048576, not " + maxPacketSize);
        }
        if (owner < -1 || group < -1) {
            throw new IllegalArgumentException("owner/group must be a uid/gid or -1");
        }
        if (extraFlags == null) {
            extraFlags = TunnelFlags.NONE;
        }
        if (extraFlags.contains(TunnelFlags.IFF_TUN) || extraFlags.contains(TunnelFlags.IFF_TAP)
                || extraFlags.contains(TunnelFlags.IFF_NO_PI)) {
            throw new IllegalArgumentException("extraFlags must not set the mode or IFF_NO_PI: " + extraFlags);
        }
    }

    /**
     * Twisted's behaviour: 8192-byte reads, no PI header, create or attach.
     *
     * @return the defaults
     */
    public static TunnelOptions defaults() {
        return new TunnelOptions(DEFAULT_MAX_PACKET_SIZE, false, null, -1, -1, false, false, TunnelFlags.NONE);
    }

    /**
     * With another read size.
     *
     * @param size bytes
     * @return new options
     */
    public TunnelOptions withMaxPacketSize(int size) {
        return new TunnelOptions(size, packetInformation, persist, owner, group, exclusive, attachOnly, extraFlags);
    }

    /**
     * Keeping or dropping the packet-information header.
     *
     * @param keep true to keep it
     * @return new options
     */
    public TunnelOptions withPacketInformation(boolean keep) {
        return new TunnelOptions(maxPacketSize, keep, persist, owner, group, exclusive, attachOnly, extraFlags);
    }

    /**
     * Setting persistence.
     *
     * @param value true to keep the device after close, false to let it go
     * @return new options
     */
    public TunnelOptions withPersist(boolean value) {
        return new TunnelOptions(maxPacketSize, packetInformation, value, owner, group, exclusive, attachOnly,
            extraFlags);
    }

    /**
     * Setting the owner uid.
     *
     * @param uid the uid
     * @return new options
     */
    public TunnelOptions withOwner(int uid) {
        return new TunnelOptions(maxPacketSize, packetInformation, persist, uid, group, exclusive, attachOnly,
            extraFlags);
    }

    /**
     * Setting the owner gid.
     *
     * @param gid the gid
     * @return new options
     */
    public TunnelOptions withGroup(int gid) {
        return new TunnelOptions(maxPacketSize, packetInformation, persist, owner, gid, exclusive, attachOnly,
            extraFlags);
    }

    /**
     * Exclusive create.
     *
     * @param value true for {@code IFF_TUN_EXCL}
     * @return new options
     */
    public TunnelOptions withExclusive(boolean value) {
        return new TunnelOptions(maxPacketSize, packetInformation, persist, owner, group, value, attachOnly,
            extraFlags);
    }

    /**
     * Attach only to an existing device.
     *
     * @param value true to fail when absent
     * @return new options
     */
    public TunnelOptions withAttachOnly(boolean value) {
        return new TunnelOptions(maxPacketSize, packetInformation, persist, owner, group, exclusive, value,
            extraFlags);
    }

    /**
     * With extra {@code TUNSETIFF} flags.
     *
     * @param flags e.g. {@link TunnelFlags#IFF_NO_CARRIER}
     * @return new options
     */
    public TunnelOptions withExtraFlags(TunnelFlags flags) {
        return new TunnelOptions(maxPacketSize, packetInformation, persist, owner, group, exclusive, attachOnly,
            flags);
    }

    /**
     * With or without {@code IFF_MULTI_QUEUE} in the extra flags: one fd per queue, see
     * {@link TunQueue#openQueues}. An existing device must have been created with the same mode.
     *
     * @param value true for a multi-queue device
     * @return new options
     */
    public TunnelOptions withMultiQueue(boolean value) {
        return withExtraFlag(TunnelFlags.IFF_MULTI_QUEUE, value);
    }

    /**
     * With or without {@code IFF_VNET_HDR} in the extra flags: every packet read or written then
     * starts with a 10-byte {@link VirtioNetHeader}. {@link TunQueue} and a {@link TuntapPort}
     * built with {@link OffloadOptions} add and handle it by themselves; a {@link TuntapPort}
     * without offload hands it to the protocol as part of the packet and expects it on writes.
     *
     * @param value true for a virtio-net header
     * @return new options
     */
    public TunnelOptions withVnetHeader(boolean value) {
        return withExtraFlag(TunnelFlags.IFF_VNET_HDR, value);
    }

    private TunnelOptions withExtraFlag(TunnelFlags flag, boolean value) {
        TunnelFlags others = extraFlags.and(extraFlags.xor(flag));
        return withExtraFlags(value ? others.or(flag) : others);
    }
}

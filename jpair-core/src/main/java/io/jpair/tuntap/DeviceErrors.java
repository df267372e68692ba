package io.jpair.tuntap;

import io.jpair.errno.Errno;

/**
 * The one table of what an errno from a TUN/TAP call means and what to do about it: the hint an
 * {@link io.jpair.errno.ErrnoException} carries, so {@link TuntapPort} and {@link TunQueue} say
 * the same thing for the same failure.
 */
final class DeviceErrors {
    private static final int ENXIO = 6;

    private DeviceErrors() {
    }

    /**
     * The hint for one failed call.
     *
     * @param operation {@code open}, {@code ioctl(TUNSETIFF)} and the other ioctls, {@code read},
     *     {@code write} or {@code writev}
     * @param errno the error
     * @return the hint, or null when the errno's own text says it all
     */
    static String hint(String operation, int errno) {
        return switch (operation) {
            case "open" -> switch (errno) {
                case Errno.EPERM, Errno.EACCES -> "needs read-write access to " + TunDevice.CLONE_DEVICE
                    + ": run as root or with CAP_NET_ADMIN";
                case Errno.ENOENT, Errno.ENODEV, ENXIO -> "no TUN/TAP driver: load it with 'modprobe tun'"
                    + " or create the node with 'mknod /dev/net/tun c 10 200'";
                case Errno.EMFILE -> "this process has too many open files";
                default -> null;
            };
            case "ioctl(TUNSETIFF)" -> switch (errno) {
                case Errno.EPERM -> "needs CAP_NET_ADMIN or a device owned by this user (e.g. 'jpair mkdev --user U'"
                    + " or 'ip tuntap add DEV mode tun user U')";
                case Errno.EBUSY -> "the device exists and is busy (IFF_TUN_EXCL asked for a new one,"
                    + " or another process holds it and it is not multi-queue)";
                case Errno.EINVAL -> "the existing device has another type (TUN vs TAP) or queue mode"
                    + " (IFF_MULTI_QUEUE must match), or the flags are not supported by this kernel";
                default -> null;
            };
            case "read" -> errno == Errno.EBADFD ? "the device was deleted while the port was open" : null;
            case "write", "writev" -> switch (errno) {
                case Errno.EIO -> "the link is down (bring it up, e.g. 'ip link set DEV up')";
                case Errno.EINVAL -> "the kernel rejected the packet for this device type (or its virtio header)";
                case Errno.EBADF -> "the device fd is closed";
                default -> null;
            };
            default -> operation.startsWith("ioctl(") && errno == Errno.EPERM ? "needs CAP_NET_ADMIN" : null;
        };
    }
}

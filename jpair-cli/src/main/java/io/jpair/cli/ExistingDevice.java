package io.jpair.cli;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.netlink.RtNetlink;
import io.jpair.transport.CannotListenException;

/**
 * Whether a network interface of a given name exists, asked over rtnetlink in this process's
 * network namespace. ({@code /sys/class/net} would answer for the namespace that mounted
 * {@code /sys}, which after {@code unshare --net} is still the host's.)
 */
final class ExistingDevice {
    private ExistingDevice() {
    }

    /**
     * Whether an interface of that name exists here.
     *
     * @param name the interface name; a pattern such as {@code jp%d} never exists
     * @return true if it exists
     * @throws ErrnoException if rtnetlink fails otherwise
     */
    static boolean exists(String name) throws ErrnoException {
        if (name.indexOf('%') >= 0) {
            return false;
        }
        try (RtNetlink rtnl = RtNetlink.open()) {
            rtnl.linkIndex(name);
            return true;
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENODEV) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Whether opening a device failed because one of that name exists with the other type (TUN
     * vs TAP): {@code TUNSETIFF} answers {@code EINVAL}.
     *
     * @param failure the failure of {@code startListening}
     * @return true for {@code EINVAL} from {@code TUNSETIFF}
     */
    static boolean otherType(CannotListenException failure) {
        return failure.getCause() instanceof ErrnoException errno && errno.errno() == Errno.EINVAL
            && errno.operation().equals("ioctl(TUNSETIFF)");
    }
}

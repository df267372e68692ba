package io.jpair.cli;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.netlink.RtNetlink;
import io.jpair.reactor.ConnectionDone;
import io.jpair.reactor.Reactor;
import io.jpair.transport.CannotListenException;
import io.jpair.tuntap.TunnelOptions;
import io.jpair.tuntap.TuntapPort;

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

    /**
     * The one line for an existing device that {@code TUNSETIFF} refused as the requested type:
     * it attaches to it as the other type (and closes it at once) to tell "the other of TUN and
     * TAP" from "neither" ({@code lo}, an Ethernet card, a bridge), so the hint is right.
     *
     * @param device the device name
     * @param tap whether TAP was asked for
     * @param reactor a reactor for the probe (it is not run)
     * @return the problem and the remedy
     */
    static String wrongType(String device, boolean tap, Reactor reactor) {
        String asked = tap ? "TAP" : "TUN";
        TuntapPort probe = new TuntapPort(device, tap ? new NoPackets() : new NoFrames(),
            TunnelOptions.defaults().withAttachOnly(true), reactor, null);
        try {
            probe.startListening();
            probe.connectionLost(new ConnectionDone("probe of " + device + " done")); // closes the fd now
            return device + " exists and is a " + (tap ? "TUN" : "TAP") + " device, not " + asked + ": "
                + (tap ? "drop --tap" : "add --tap") + " or pick another name";
        } catch (CannotListenException e) {
            if (otherType(e)) {
                return device + " exists and is neither a TUN nor a TAP device (a loopback, Ethernet or other"
                    + " link): pick another name";
            }
            return device + " exists and is not a " + asked + " device this process can attach to ("
                + ErrorReport.oneLine(e) + "): pick another name";
        }
    }
}

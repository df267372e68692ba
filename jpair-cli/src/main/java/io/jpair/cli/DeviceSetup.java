package io.jpair.cli;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.netlink.LinkInfo;
import io.jpair.netlink.RtNetlink;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Configures the kernel side of a device over rtnetlink ({@link RtNetlink}, no {@code ip}
 * subprocess): link up, MTU, addresses, plus the per-device IPv6 settings jpair needs, written
 * under {@code /proc/sys/net/ipv6/conf}.
 *
 * <p>Works in the network namespace of the thread that creates it.
 */
final class DeviceSetup implements AutoCloseable {
    private final RtNetlink rtnl;

    /**
     * Opens the rtnetlink socket.
     *
     * @throws ErrnoException if it cannot be opened
     */
    DeviceSetup() throws ErrnoException {
        rtnl = RtNetlink.open();
    }

    /** A change to the device that may need privilege. */
    @FunctionalInterface
    interface Change {
        /**
         * Makes the change.
         *
         * @throws IOException if the kernel refuses or a setting cannot be written
         */
        void make() throws IOException;
    }

    /**
     * The link as the kernel has it now (flags, MTU, addresses), so only needed changes are made.
     *
     * @param device the interface
     * @return its state
     * @throws ErrnoException if the kernel refuses
     */
    LinkInfo link(String device) throws ErrnoException {
        return rtnl.link(device);
    }

    /**
     * Makes a change, and when the kernel refuses it for want of privilege ({@code EPERM},
     * {@code EACCES}, a read-only setting) says in one line what to ask root for.
     *
     * @param change the change
     * @param what what it does, e.g. {@code "bring jp0 up"}
     * @param rootCommand the command root can run instead, e.g. {@code "ip link set jp0 up"}
     * @throws IOException if the change fails otherwise
     * @throws CommandException if it is not permitted
     */
    void asRoot(Change change, String what, String rootCommand) throws IOException, CommandException {
        try {
            change.make();
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EPERM && e.errno() != Errno.EACCES) {
                throw e;
            }
            throw notPermitted(what, e.operation() + ": " + Errno.name(e.errno()), rootCommand, e);
        } catch (AccessDeniedException e) {
            throw notPermitted(what, "cannot write " + e.getFile(), rootCommand, e);
        }
    }

    private static CommandException notPermitted(String what, String refusal, String rootCommand, Exception cause) {
        return new CommandException("not permitted to " + what + " (" + refusal + "): ask root to run '"
            + rootCommand + "' (or run jpair host as root)", cause);
    }

    /**
     * Brings a link up.
     *
     * @param device the interface
     * @throws ErrnoException if the kernel refuses
     */
    void up(String device) throws ErrnoException {
        rtnl.setLinkUp(device, true);
    }

    /**
     * Sets a link's MTU.
     *
     * @param device the interface
     * @param mtu bytes
     * @throws ErrnoException if the kernel refuses
     */
    void mtu(String device, int mtu) throws ErrnoException {
        rtnl.setMtu(device, mtu);
    }

    /**
     * Assigns an address to the kernel side of a device. An IPv6 address is usable at once: duplicate
     * address detection is switched off on the device first (the only other node on it is jpair).
     *
     * @param device the interface
     * @param address the address
     * @param prefixLength its prefix length
     * @throws IOException if the kernel refuses or the setting cannot be written
     */
    void addAddress(String device, InetAddress address, int prefixLength) throws IOException {
        if (address instanceof Inet6Address) {
            ipv6Setting(device, "accept_dad", "0");
        }
        rtnl.addAddress(device, address, prefixLength);
    }

    /**
     * Sets an IPv6 per-device sysctl ({@code /proc/sys/net/ipv6/conf/DEV/NAME}).
     *
     * @param device the interface
     * @param name the setting, e.g. {@code disable_ipv6}
     * @param value the value
     * @throws IOException if it cannot be written
     */
    void ipv6Setting(String device, String name, String value) throws IOException {
        Files.writeString(Path.of("/proc/sys/net/ipv6/conf", device, name), value);
    }

    /**
     * Closes the rtnetlink socket once the configuration is done, so a process that drops root
     * afterwards ({@code --user}) holds no socket root opened for changes. Idempotent; no change can
     * be made afterwards.
     */
    void finish() {
        rtnl.close();
    }

    @Override
    public void close() {
        finish();
    }
}

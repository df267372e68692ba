package io.jpair.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Configures the kernel side of a device: link up, MTU, addresses.
 *
 * <p>TEMPORARY STAND-IN: runs {@code ip} until {@code io.jpair.netlink.RtNetlink} is merged, then
 * this class calls it instead.
 */
final class DeviceSetup implements AutoCloseable {
    DeviceSetup() {
    }

    /**
     * Brings a link up.
     *
     * @param device the interface
     * @throws CommandException if it fails
     */
    void up(String device) throws CommandException {
        ip("link", "set", "dev", device, "up");
    }

    /**
     * Sets a link's MTU.
     *
     * @param device the interface
     * @param mtu bytes
     * @throws CommandException if it fails
     */
    void mtu(String device, int mtu) throws CommandException {
        ip("link", "set", "dev", device, "mtu", Integer.toString(mtu));
    }

    /**
     * Assigns an address to the kernel side of a device, usable at once (no IPv6 duplicate
     * address detection: the other end of the device is jpair).
     *
     * @param device the interface
     * @param address the address
     * @param prefixLength its prefix length
     * @throws CommandException if it fails
     */
    void addAddress(String device, InetAddress address, int prefixLength) throws CommandException {
        String text = PacketSummary.format(address.getAddress()) + "/" + prefixLength;
        if (address.getAddress().length == 16) {
            ip("-6", "addr", "add", text, "dev", device, "nodad");
        } else {
            ip("addr", "add", text, "dev", device);
        }
    }

    /**
     * Sets an IPv6 per-device sysctl ({@code /proc/sys/net/ipv6/conf/DEV/NAME}).
     *
     * @param device the interface
     * @param name the setting, e.g. {@code disable_ipv6}
     * @param value the value
     * @throws CommandException if it cannot be written
     */
    void ipv6Setting(String device, String name, String value) throws CommandException {
        Path file = Path.of("/proc/sys/net/ipv6/conf", device, name);
        try {
            Files.writeString(file, value);
        } catch (IOException e) {
            throw new CommandException(device + ": cannot set " + file + " to " + value + ": " + e.getMessage(), e);
        }
    }

    private static void ip(String... args) throws CommandException {
        List<String> command = new ArrayList<>();
        command.add("ip");
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new CommandException(String.join(" ", command) + ": did not finish in 10 s");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (process.exitValue() != 0) {
                throw new CommandException(String.join(" ", command) + ": " + output);
            }
        } catch (IOException e) {
            throw new CommandException("cannot run ip (install iproute2): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException(String.join(" ", command) + ": interrupted", e);
        }
    }

    @Override
    public void close() {
    }
}

package io.jpair.cli;

import io.jpair.tuntap.TunnelFlags;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What already exists under a device name, read from {@code /sys/class/net/NAME}: nothing, a TUN
 * device, a TAP device, or another kind of interface (which jpair cannot open).
 */
final class ExistingDevice {
    private static final Path SYS_CLASS_NET = Path.of("/sys/class/net");

    private ExistingDevice() {
    }

    /**
     * Whether an interface of that name exists in this network namespace.
     *
     * @param name the interface name
     * @return true if it exists
     */
    static boolean exists(String name) {
        return Files.exists(SYS_CLASS_NET.resolve(name));
    }

    /**
     * The type of an existing TUN/TAP device.
     *
     * @param name the interface name
     * @return {@link TunnelFlags#IFF_TUN} or {@link TunnelFlags#IFF_TAP}, or {@code null} if no
     *     interface has that name
     * @throws CommandException if the interface exists but is not a TUN/TAP device
     */
    static TunnelFlags tunType(String name) throws CommandException {
        Path device = SYS_CLASS_NET.resolve(name);
        if (!Files.exists(device)) {
            return null;
        }
        Path flags = device.resolve("tun_flags");
        try {
            String text = Files.readString(flags).strip();
            int value = Integer.decode(text);
            return (value & TunnelFlags.IFF_TAP.value()) != 0 ? TunnelFlags.IFF_TAP : TunnelFlags.IFF_TUN;
        } catch (IOException | NumberFormatException e) {
            throw new CommandException(name + " exists but is not a TUN/TAP device: pick another --dev name"
                + " (jpair creates TUN/TAP devices, or attaches to existing ones)", e);
        }
    }
}

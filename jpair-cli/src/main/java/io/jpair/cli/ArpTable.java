package io.jpair.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The kernel's IPv4 neighbour (ARP) table of this network namespace, from {@code /proc/net/arp}:
 * <pre>
 * IP address       HW type     Flags       HW address            Mask     Device
 * 10.77.2.2        0x1         0x2         02:6a:70:00:00:02     *        jpdemo-tap0
 * </pre>
 */
final class ArpTable {
    /** {@code ATF_COM}: the entry is complete (resolved). */
    static final int ATF_COM = 0x2;

    private ArpTable() {
    }

    /**
     * The hardware address the kernel resolved an IPv4 address to on a device.
     *
     * @param ip the dotted address
     * @param device the interface
     * @return the MAC in {@code aa:bb:..} form, or {@code null} if there is no complete entry
     * @throws IOException if the table cannot be read
     */
    static String resolved(String ip, String device) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/net/arp"));
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length >= 6 && fields[0].equals(ip) && fields[5].equals(device)
                    && (Integer.decode(fields[2]) & ATF_COM) != 0) {
                return fields[3];
            }
        }
        return null;
    }
}

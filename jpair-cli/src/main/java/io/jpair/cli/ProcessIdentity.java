package io.jpair.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about this process from {@code /proc/self}: its effective uid and its network namespace. */
final class ProcessIdentity {
    private ProcessIdentity() {
    }

    /**
     * Whether the effective uid is 0.
     *
     * @return true for root
     */
    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String[] ids = line.substring(4).trim().split("\\s+");
                    return ids.length > 1 && ids[1].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /**
     * This process's network namespace.
     *
     * @return e.g. {@code net:[4026531840]}, or {@code null} if unreadable
     */
    static String networkNamespace() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }
}

package io.jpair.socket;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Counts this process's open socket fds, for leak checks that pipes to peer processes cannot disturb. */
final class SocketFds {
    private SocketFds() {
    }

    /**
     * The entries of {@code /proc/self/fd} that link to {@code socket:[inode]}.
     *
     * @return the open socket count
     */
    static long count() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(SocketFds::isSocket).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isSocket(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString().startsWith("socket:");
        } catch (IOException closedMeanwhile) {
            return false;
        }
    }
}

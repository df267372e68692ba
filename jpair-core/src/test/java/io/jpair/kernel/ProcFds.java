package io.jpair.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Counts this process's open file descriptors, for leak checks. */
public final class ProcFds {
    private ProcFds() {
    }

    /**
     * The number of entries in {@code /proc/self/fd}.
     *
     * @return the open fd count
     */
    public static long count() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

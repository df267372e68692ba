package io.jpair.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether this process runs in the machine's initial network namespace (the one every shell
 * starts in), compared as the kernel names them: the links {@code /proc/self/ns/net} and
 * {@code /proc/1/ns/net} ({@code net:[4026531840]}) are equal in the initial namespace.
 */
enum NetworkNamespace {
    /** The same namespace as process 1: the user's own network, shared with everything else. */
    INITIAL,
    /** A namespace of its own ({@code unshare --net}, {@code ip netns exec}, a container). */
    PRIVATE,
    /** Cannot tell: {@code /proc/1/ns/net} cannot be read (not root and not process 1's owner). */
    UNKNOWN;

    /** This process's namespace link. */
    static final Path SELF = Path.of("/proc/self/ns/net");
    /** Process 1's namespace link. */
    static final Path INIT = Path.of("/proc/1/ns/net");

    /**
     * Where this process runs.
     *
     * @return the answer for {@link #SELF} against {@link #INIT}
     */
    static NetworkNamespace current() {
        return of(SELF, INIT);
    }

    /**
     * Compares two namespace links.
     *
     * @param self this process's link
     * @param init process 1's link
     * @return {@link #INITIAL} when both name the same namespace, {@link #PRIVATE} when they
     *     differ, {@link #UNKNOWN} when either cannot be read
     */
    static NetworkNamespace of(Path self, Path init) {
        try {
            return Files.readSymbolicLink(self).equals(Files.readSymbolicLink(init)) ? INITIAL : PRIVATE;
        } catch (IOException | SecurityException e) {
            return UNKNOWN;
        }
    }
}

package io.jpair.privileges;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The calling thread's capability sets, as {@code /proc/thread-self/status} shows them
 * ({@code CapInh}, {@code CapPrm}, {@code CapEff}, {@code CapBnd}, {@code CapAmb}), as bit masks.
 * Linux keeps them per thread; {@code /proc/self/status} shows the process's first thread, which
 * in a JVM is not the one running {@code main}.
 *
 * @param inheritable CapInh
 * @param permitted CapPrm
 * @param effective CapEff
 * @param bounding CapBnd
 * @param ambient CapAmb
 */
public record Capabilities(long inheritable, long permitted, long effective, long bounding, long ambient) {
    /** {@code CAP_NET_ADMIN}'s bit number. */
    public static final int CAP_NET_ADMIN = 12;

    /**
     * Reads the current thread's sets.
     *
     * @return the capabilities
     */
    public static Capabilities current() {
        try {
            long[] sets = new long[5];
            String[] keys = {"CapInh:", "CapPrm:", "CapEff:", "CapBnd:", "CapAmb:"};
            for (String line : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
                for (int i = 0; i < keys.length; i++) {
                    if (line.startsWith(keys[i])) {
                        sets[i] = Long.parseUnsignedLong(line.substring(keys[i].length()).strip(), 16);
                    }
                }
            }
            return new Capabilities(sets[0], sets[1], sets[2], sets[3], sets[4]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether the process can use any capability now or regain one.
     *
     * @return true if the effective, permitted, inheritable and ambient sets are all empty
     */
    public boolean isEmpty() {
        return effective == 0 && permitted == 0 && inheritable == 0 && ambient == 0;
    }

    /**
     * The {@code /proc/thread-self/status} rendering of all five sets: the ones the thread can use
     * or pass on first, then the bounding set (what an {@code execve} of a set-uid or
     * file-capability program could still grant).
     *
     * @return e.g. {@code CapEff=0000000000000000 CapPrm=0000000000000000 CapInh=0000000000000000
     *     CapAmb=0000000000000000 CapBnd=0000000000000000}
     */
    @Override
    public String toString() {
        return String.format("CapEff=%016x CapPrm=%016x CapInh=%016x CapAmb=%016x CapBnd=%016x", effective, permitted,
            inheritable, ambient, bounding);
    }
}

package io.jpair.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Namespace calls: {@code setns(2)}, and opening a namespace file such as
 * {@code /proc/PID/ns/net} or {@code /run/netns/NAME} (what {@code ip netns} bind-mounts).
 *
 * <p>{@code setns} changes the namespace of the calling thread only; a socket keeps the network
 * namespace it was created in, so jpair opens sockets for another namespace on a short-lived
 * thread that has joined it (see {@code io.jpair.netlink.RtNetlink.openIn}).
 *
 * <p>Convention as in {@link LibC}: results are returned, {@code -errno} on failure. Internal to
 * jpair.
 */
public final class Namespaces {
    /** {@code CLONE_NEWNET}: the {@code nstype} of a network namespace. */
    public static final int CLONE_NEWNET = 0x40000000;
    /** {@code O_RDONLY}. */
    public static final int O_RDONLY = 0;

    private Namespaces() {
    }

    private static final class SetNs {
        // int setns(int fd, int nstype); https://man7.org/linux/man-pages/man2/setns.2.html
        static final MethodHandle H = Downcalls.link("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    /**
     * Opens a namespace file read-only and close-on-exec.
     *
     * @param path e.g. {@code /proc/1234/ns/net}
     * @return the fd, or {@code -errno} ({@code -ENOENT} if there is no such file)
     */
    public static int open(String path) {
        return LibC.open(path, O_RDONLY | Arch.O_CLOEXEC);
    }

    /**
     * {@code setns(fd, nstype)}: moves the calling thread into the namespace {@code fd} refers to.
     *
     * @param fd a namespace fd from {@link #open}
     * @param nstype {@link #CLONE_NEWNET}, or 0 for any type
     * @return 0, or {@code -errno} ({@code -EINVAL} if {@code fd} is not a namespace of that
     *     type, {@code -EPERM} without {@code CAP_SYS_ADMIN})
     */
    public static int setns(int fd, int nstype) {
        try {
            MemorySegment capture = Downcalls.capture();
            int result = (int) Downcalls.result((int) SetNs.H.invokeExact(capture, fd, nstype), capture);
            Downcalls.trace("setns(" + fd + ", 0x" + Integer.toHexString(nstype) + ")", result);
            return result;
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }
}

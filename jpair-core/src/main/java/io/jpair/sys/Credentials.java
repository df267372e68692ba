package io.jpair.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Process credentials: {@code setgroups}, {@code setresgid}, {@code setresuid}, {@code getuid},
 * {@code getgid}, and the {@code prctl} calls that shrink the capability bounding set and set
 * no-new-privileges. glibc's wrappers apply a credential change to every thread of the process (the
 * kernel calls are per thread), which is what a JVM needs.
 *
 * <p>Returns follow {@link LibC}: result or {@code -errno}.
 */
public final class Credentials {
    private static final class SetGroups {
        // int setgroups(size_t size, const gid_t *list); https://man7.org/linux/man-pages/man2/setgroups.2.html
        static final MethodHandle H = Downcalls.link("setgroups", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS));
    }

    private static final class SetResGid {
        // int setresgid(gid_t rgid, gid_t egid, gid_t sgid); https://man7.org/linux/man-pages/man2/setresgid.2.html
        static final MethodHandle H = Downcalls.link("setresgid",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private static final class SetResUid {
        // int setresuid(uid_t ruid, uid_t euid, uid_t suid); https://man7.org/linux/man-pages/man2/setresuid.2.html
        static final MethodHandle H = Downcalls.link("setresuid",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private static final class GetUid {
        // uid_t getuid(void);
        static final MethodHandle H = Downcalls.link("getuid", FunctionDescriptor.of(JAVA_INT));
    }

    private static final class GetGid {
        // gid_t getgid(void);
        static final MethodHandle H = Downcalls.link("getgid", FunctionDescriptor.of(JAVA_INT));
    }

    private static final class Prctl {
        // int prctl(int option, ...); https://man7.org/linux/man-pages/man2/prctl.2.html (variadic: the
        // four unsigned long arguments go through the variadic convention)
        static final MethodHandle H = Downcalls.link("prctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            java.lang.foreign.Linker.Option.firstVariadicArg(1));
    }

    /** {@code PR_CAPBSET_DROP}: removes one capability from the calling thread's bounding set. */
    public static final int PR_CAPBSET_DROP = 24;
    /** {@code PR_SET_NO_NEW_PRIVS}: execve can never grant privileges again (inherited by children). */
    public static final int PR_SET_NO_NEW_PRIVS = 38;

    private Credentials() {
    }

    /**
     * {@code prctl(option, arg, 0, 0, 0)}.
     *
     * @param option e.g. {@link #PR_CAPBSET_DROP}
     * @param arg its argument
     * @return the result or {@code -errno}
     */
    public static int prctl(int option, long arg) {
        try {
            MemorySegment capture = Downcalls.capture();
            return (int) Downcalls.result((int) Prctl.H.invokeExact(capture, option, arg, 0L, 0L, 0L), capture);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code setgroups} to exactly one group.
     *
     * @param gid the only supplementary group
     * @return 0 or {@code -errno}
     */
    public static int setGroups(int gid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment list = arena.allocateFrom(JAVA_INT, gid);
            MemorySegment capture = Downcalls.capture();
            return (int) Downcalls.result((int) SetGroups.H.invokeExact(capture, 1L, list), capture);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code setresgid(gid, gid, gid)}.
     *
     * @param gid the group for real, effective and saved ids
     * @return 0 or {@code -errno}
     */
    public static int setResGid(int gid) {
        try {
            MemorySegment capture = Downcalls.capture();
            return (int) Downcalls.result((int) SetResGid.H.invokeExact(capture, gid, gid, gid), capture);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code setresuid(uid, uid, uid)}: from root to another user this also clears the
     * permitted and effective capability sets.
     *
     * @param uid the user for real, effective and saved ids
     * @return 0 or {@code -errno}
     */
    public static int setResUid(int uid) {
        try {
            MemorySegment capture = Downcalls.capture();
            return (int) Downcalls.result((int) SetResUid.H.invokeExact(capture, uid, uid, uid), capture);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code getuid()}.
     *
     * @return the real user id
     */
    public static int getUid() {
        try {
            return (int) GetUid.H.invokeExact(Downcalls.capture());
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code getgid()}.
     *
     * @return the real group id
     */
    public static int getGid() {
        try {
            return (int) GetGid.H.invokeExact(Downcalls.capture());
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }
}

package io.jpair.privileges;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.sys.Credentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Dropping root after the devices are open: the usual way to run a jpair host with least
 * privilege. Open every {@code TuntapPort} as root (or with {@code CAP_NET_ADMIN}), then call
 * {@link #dropTo(String)} before handling packets: the open fds keep working, and the process can
 * no longer configure the network, open new devices or regain a capability.
 *
 * <pre>{@code
 * port.startListening();                       // as root
 * Privileges.dropTo("nobody");                 // uid/gid/groups of nobody, capabilities gone
 * assert Capabilities.current().isEmpty();
 * reactor.run();
 * }</pre>
 *
 * <p>The JVM loads classes lazily, also after the drop: the jars (or class directories) must be
 * readable by the user dropped to.
 *
 * <p>The other way needs no root at all: a persistent device created once with an owner
 * ({@code TunnelOptions.withPersist(true).withOwner(uid)}, or {@code jpair mkdev --user U}) can be
 * attached by that user.
 */
public final class Privileges {
    /** The highest capability number to try ({@code CAP_LAST_CAP} is 40 in Linux 6.x; EINVAL ends it sooner). */
    private static final int LAST_CAPABILITY = 63;

    private Privileges() {
    }

    /**
     * A user's ids.
     *
     * @param name the user name, or the number as given
     * @param uid the user id
     * @param gid the primary group id
     */
    public record Identity(String name, int uid, int gid) {
    }

    /**
     * Looks a user up in {@code /etc/passwd}, or takes {@code uid[:gid]} numbers.
     *
     * @param user a name such as {@code nobody}, or {@code 65534} / {@code 65534:65534}
     * @return the ids
     * @throws IllegalArgumentException if the user is unknown
     */
    public static Identity lookup(String user) {
        if (user.matches("\\d+(:\\d+)?")) {
            String[] ids = user.split(":");
            int uid = Integer.parseInt(ids[0]);
            return new Identity(user, uid, ids.length > 1 ? Integer.parseInt(ids[1]) : uid);
        }
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                String[] fields = line.split(":");
                if (fields.length >= 4 && fields[0].equals(user)) {
                    return new Identity(user, Integer.parseInt(fields[2]), Integer.parseInt(fields[3]));
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new IllegalArgumentException("cannot read /etc/passwd to find user '" + user + "': " + e, e);
        }
        throw new IllegalArgumentException("no such user '" + user + "' in /etc/passwd (give uid[:gid] numbers instead)");
    }

    /**
     * Whether the calling thread has {@code no_new_privs} set ({@code NoNewPrivs} in
     * {@code /proc/thread-self/status}): no {@code execve} can raise its privileges again.
     *
     * @return true once {@link #dropTo(String)} (or an ancestor) set it for this thread
     * @throws java.io.UncheckedIOException if the status file cannot be read
     */
    public static boolean noNewPrivileges() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
                if (line.startsWith("NoNewPrivs:")) {
                    return line.substring("NoNewPrivs:".length()).strip().equals("1");
                }
            }
            return false;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Becomes {@code user} for good: empties the capability bounding set and sets
     * {@code PR_SET_NO_NEW_PRIVS} (so no execve of a set-uid or file-capability program can hand a
     * privilege back), then supplementary groups, real/effective/saved gid, and uid. Going from
     * root to another uid clears the permitted and effective capabilities.
     *
     * <p>The uid and gid change for every thread of the process (glibc's wrappers), but the
     * bounding set and {@code no_new_privs} are per thread in Linux: they change for the calling
     * thread and for threads it starts afterwards, not for threads that already run (in a JVM: the
     * GC, JIT and signal threads, and any the program started). Call it on the thread that will run
     * the reactor, before starting others; the threads left keep no effective or permitted
     * capability, and only an {@code execve} from one of them could use their bounding set.
     *
     * @param user a name or {@code uid[:gid]}
     * @return the identity now in force
     * @throws ErrnoException if a call fails (e.g. EPERM when not root)
     * @throws IllegalStateException if capabilities remain afterwards
     */
    public static Identity dropTo(String user) throws ErrnoException {
        Identity identity = lookup(user);
        if (identity.uid() != 0) {
            clearBoundingSet(identity);
            check(Credentials.prctl(Credentials.PR_SET_NO_NEW_PRIVS, 1), "prctl(PR_SET_NO_NEW_PRIVS)", identity);
        }
        check(Credentials.setGroups(identity.gid()), "setgroups", identity);
        check(Credentials.setResGid(identity.gid()), "setresgid", identity);
        check(Credentials.setResUid(identity.uid()), "setresuid", identity);
        Capabilities left = Capabilities.current();
        if (identity.uid() != 0 && !left.isEmpty()) {
            throw new IllegalStateException("capabilities remain after dropping to " + user + ": " + left);
        }
        return identity;
    }

    /**
     * Empties the bounding set (while this thread still has {@code CAP_SETPCAP}): no execve of a
     * set-uid or file-capability program can hand a capability back.
     */
    private static void clearBoundingSet(Identity identity) throws ErrnoException {
        for (int cap = 0; cap <= LAST_CAPABILITY; cap++) {
            int rc = Credentials.prctl(Credentials.PR_CAPBSET_DROP, cap);
            if (rc == -Errno.EINVAL) {
                return;  // past this kernel's last capability
            }
            check(rc, "prctl(PR_CAPBSET_DROP, " + cap + ")", identity);
        }
    }

    private static void check(int result, String operation, Identity identity) throws ErrnoException {
        if (result < 0) {
            throw new ErrnoException(operation + "(" + identity.uid() + ":" + identity.gid() + ")", null, -result,
                "only root (CAP_SETUID/CAP_SETGID) can change to another user");
        }
    }
}

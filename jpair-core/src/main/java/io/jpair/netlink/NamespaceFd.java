package io.jpair.netlink;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.sys.LibC;
import io.jpair.sys.Namespaces;
import java.nio.file.Path;

/**
 * One open network-namespace file ({@code /proc/PID/ns/net}, {@code /run/netns/NAME}): its fd
 * goes in {@code IFLA_NET_NS_FD}, or a short-lived thread joins it with {@code setns(2)} to open
 * a socket there ({@link #call}). Closed exactly once.
 */
final class NamespaceFd implements AutoCloseable {
    private final Path path;
    private int fd;

    private NamespaceFd(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /** Something done inside the namespace. */
    @FunctionalInterface
    interface Action<T> {
        T run() throws ErrnoException;
    }

    /**
     * Opens the namespace file.
     *
     * @throws ErrnoException {@code open(netns)} naming the path: {@code ENOENT} if there is no
     *     such namespace
     */
    static NamespaceFd open(Path path) throws ErrnoException {
        int fd = Namespaces.open(path.toString());
        if (fd < 0) {
            int errno = -fd;
            throw new ErrnoException("open(netns)", path.toString(), errno, switch (errno) {
                case Errno.ENOENT -> "no such network namespace (see `ip netns list`, or /proc/PID/ns/net of a"
                    + " live process)";
                case Errno.EACCES, Errno.EPERM -> "cannot read the namespace file: run as root";
                default -> null;
            });
        }
        return new NamespaceFd(path, fd);
    }

    int fd() {
        return fd;
    }

    Path path() {
        return path;
    }

    /**
     * Runs {@code action} on a fresh platform thread that first joins this namespace, and waits
     * for it. The thread ends afterwards, so no thread of the process stays in the namespace; a
     * socket the action opens keeps the namespace it was created in.
     *
     * @throws ErrnoException {@code setns(CLONE_NEWNET)}: {@code EINVAL} if the file is not a
     *     network namespace, {@code EPERM} without {@code CAP_SYS_ADMIN}; or what the action threw
     */
    <T> T call(Action<T> action) throws ErrnoException {
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread thread = Thread.ofPlatform().name("jpair-netns " + path).daemon(true).unstarted(() -> {
            try {
                int rc = Namespaces.setns(fd, Namespaces.CLONE_NEWNET);
                if (rc < 0) {
                    throw new ErrnoException("setns(CLONE_NEWNET)", path.toString(), -rc, switch (-rc) {
                        case Errno.EINVAL -> "not a network namespace file";
                        case Errno.EPERM -> "needs CAP_SYS_ADMIN (run as root)";
                        default -> null;
                    });
                }
                result[0] = action.run();
            } catch (Throwable t) {
                failure[0] = t;
            }
        });
        thread.start();
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure[0] instanceof ErrnoException e) {
            throw e;
        }
        if (failure[0] instanceof RuntimeException e) {
            throw e;
        }
        if (failure[0] instanceof Error e) {
            throw e;
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    @Override
    public void close() {
        int closing = fd;
        if (closing >= 0) {
            fd = -1;
            LibC.close(closing);
        }
    }
}

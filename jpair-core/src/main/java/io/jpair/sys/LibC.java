package io.jpair.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * File-descriptor system calls from libc: {@code open}, {@code close}, {@code read},
 * {@code write}, {@code readv}, {@code writev}, {@code ioctl}, {@code fcntl}, plus the few
 * process calls jpair needs. {@code read} and {@code write} go through {@code syscall(2)} where
 * {@link Arch} knows their numbers (not cancellation points, unlike glibc's wrappers).
 *
 * <p>Convention (Netty's {@code Native}): every method returns the call's result when it is
 * non-negative and {@code -errno} otherwise; none throws on a failed call, so {@code EAGAIN} and
 * {@code EINTR} cost nothing extra. Buffer pointers on the packet path are passed as 64-bit
 * addresses ({@code long}), which on the LP64 ABIs jpair supports travel exactly like
 * {@code void *}; this avoids a {@link MemorySegment} per call.
 *
 * <p>Thread-safe. Internal to jpair: use the public APIs of {@code io.jpair.tuntap} instead.
 */
public final class LibC {
    private LibC() {
    }

    // Holder classes: each handle is linked on first use, not when LibC loads (jextract style).
    private static final class Open {
        // int open(const char *pathname, int flags, ...); https://man7.org/linux/man-pages/man2/open.2.html
        static final MethodHandle H = Downcalls.link("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    }

    private static final class Close {
        // int close(int fd); https://man7.org/linux/man-pages/man2/close.2.html
        static final MethodHandle H = Downcalls.link("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    private static final class Read {
        // ssize_t read(int fd, void *buf, size_t count); https://man7.org/linux/man-pages/man2/read.2.html
        static final MethodHandle H = Downcalls.link("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    }

    private static final class Write {
        // ssize_t write(int fd, const void *buf, size_t count); https://man7.org/linux/man-pages/man2/write.2.html
        static final MethodHandle H = Downcalls.link("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    }

    // glibc makes read and write cancellation points: in a multi-threaded process (every JVM) each
    // call then also runs __pthread_enable/disable_asynccancel, two atomic operations (1.4 % of an
    // echo responder's CPU under perf, which a single-threaded C program never pays). syscall(2) is
    // not a cancellation point, so the packet path goes through it where Arch knows the numbers.
    private static final class Syscall3 {
        // long syscall(long number, ...); https://man7.org/linux/man-pages/man2/syscall.2.html
        static final MethodHandle H = Downcalls.link("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    }

    private static final class Readv {
        // ssize_t readv(int fd, const struct iovec *iov, int iovcnt); https://man7.org/linux/man-pages/man2/readv.2.html
        static final MethodHandle H = Downcalls.link("readv",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    }

    private static final class Writev {
        // ssize_t writev(int fd, const struct iovec *iov, int iovcnt); https://man7.org/linux/man-pages/man2/writev.2.html
        static final MethodHandle H = Downcalls.link("writev",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    }

    private static final class IoctlPointer {
        // int ioctl(int fd, unsigned long request, ...); https://man7.org/linux/man-pages/man2/ioctl.2.html
        static final MethodHandle H = Downcalls.link("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2));
    }

    private static final class IoctlValue {
        static final MethodHandle H = Downcalls.link("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), Linker.Option.firstVariadicArg(2));
    }

    private static final class Fcntl {
        // int fcntl(int fd, int cmd, ...); https://man7.org/linux/man-pages/man2/fcntl.2.html
        static final MethodHandle H = Downcalls.link("fcntl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    }

    private static final class Getuid {
        // uid_t geteuid(void); https://man7.org/linux/man-pages/man2/geteuid.2.html
        static final MethodHandle H = Downcalls.link("geteuid", FunctionDescriptor.of(JAVA_INT));
    }

    private static final class IfNameToIndex {
        // unsigned int if_nametoindex(const char *ifname); https://man7.org/linux/man-pages/man3/if_nametoindex.3.html
        static final MethodHandle H = Downcalls.link("if_nametoindex", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    /** {@code F_GETFL}. */
    public static final int F_GETFL = 3;
    /** {@code F_SETFL}. */
    public static final int F_SETFL = 4;
    /** {@code F_GETFD}. */
    public static final int F_GETFD = 1;
    /** {@code FD_CLOEXEC}. */
    public static final int FD_CLOEXEC = 1;

    /**
     * {@code open(path, flags, 0)}.
     *
     * @param path the file to open
     * @param flags {@code O_*} flags from {@link Arch}
     * @return the new fd, or {@code -errno}
     */
    public static int open(String path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cpath = arena.allocateFrom(path);
            MemorySegment capture = Downcalls.capture();
            int fd = (int) Open.H.invokeExact(capture, cpath, flags, 0);
            int result = (int) Downcalls.result(fd, capture);
            Downcalls.trace("open(" + path + ", 0x" + Integer.toHexString(flags) + ")", result);
            return result;
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code close(fd)}. Never retried: on Linux the fd is released even when close reports EINTR.
     *
     * @param fd the descriptor
     * @return 0, or {@code -errno}
     */
    public static int close(int fd) {
        try {
            MemorySegment capture = Downcalls.capture();
            int result = (int) Downcalls.result((int) Close.H.invokeExact(capture, fd), capture);
            Downcalls.trace("close(" + fd + ")", result);
            return result;
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code read(fd, address, count)}.
     *
     * @param fd the descriptor
     * @param address where to put the bytes (native memory the caller keeps alive)
     * @param count the room at {@code address}
     * @return the byte count, or {@code -errno}
     */
    public static long read(int fd, long address, long count) {
        try {
            MemorySegment capture = Downcalls.capture();
            long result = Arch.SYS_READ >= 0
                ? (long) Syscall3.H.invokeExact(capture, Arch.SYS_READ, (long) fd, address, count)
                : (long) Read.H.invokeExact(capture, fd, address, count);
            return Downcalls.result(result, capture);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code write(fd, address, count)}.
     *
     * @param fd the descriptor
     * @param address the bytes (native memory the caller keeps alive)
     * @param count how many
     * @return the byte count, or {@code -errno}
     */
    public static long write(int fd, long address, long count) {
        try {
            MemorySegment capture = Downcalls.capture();
            long result = Arch.SYS_WRITE >= 0
                ? (long) Syscall3.H.invokeExact(capture, Arch.SYS_WRITE, (long) fd, address, count)
                : (long) Write.H.invokeExact(capture, fd, address, count);
            return Downcalls.result(result, capture);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code readv(fd, iov, iovcnt)}.
     *
     * @param fd the descriptor
     * @param iovAddress address of an {@link IoVec} array
     * @param count the number of entries
     * @return the byte count, or {@code -errno}
     */
    public static long readv(int fd, long iovAddress, int count) {
        try {
            MemorySegment capture = Downcalls.capture();
            return Downcalls.result((long) Readv.H.invokeExact(capture, fd, iovAddress, count), capture);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code writev(fd, iov, iovcnt)}.
     *
     * @param fd the descriptor
     * @param iovAddress address of an {@link IoVec} array
     * @param count the number of entries
     * @return the byte count, or {@code -errno}
     */
    public static long writev(int fd, long iovAddress, int count) {
        try {
            MemorySegment capture = Downcalls.capture();
            return Downcalls.result((long) Writev.H.invokeExact(capture, fd, iovAddress, count), capture);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code ioctl(fd, request, arg)} with a pointer argument.
     *
     * @param fd the descriptor
     * @param request the request code (see {@link Arch#iow})
     * @param arg the argument structure
     * @return the non-negative result, or {@code -errno}
     */
    public static int ioctl(int fd, long request, MemorySegment arg) {
        try {
            MemorySegment capture = Downcalls.capture();
            int result = (int) Downcalls.result((int) IoctlPointer.H.invokeExact(capture, fd, request, arg), capture);
            Downcalls.trace("ioctl(" + fd + ", 0x" + Long.toHexString(request) + ", ptr)", result);
            return result;
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code ioctl(fd, request, value)} with an integer argument passed by value (e.g.
     * {@code TUNSETPERSIST}, {@code TUNSETOWNER}).
     *
     * @param fd the descriptor
     * @param request the request code
     * @param value the argument
     * @return the non-negative result, or {@code -errno}
     */
    public static int ioctl(int fd, long request, long value) {
        try {
            MemorySegment capture = Downcalls.capture();
            int result = (int) Downcalls.result((int) IoctlValue.H.invokeExact(capture, fd, request, value), capture);
            Downcalls.trace("ioctl(" + fd + ", 0x" + Long.toHexString(request) + ", " + value + ")", result);
            return result;
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code fcntl(fd, cmd, arg)}.
     *
     * @param fd the descriptor
     * @param cmd e.g. {@link #F_GETFL}
     * @param arg the argument (0 when the command takes none)
     * @return the non-negative result, or {@code -errno}
     */
    public static int fcntl(int fd, int cmd, int arg) {
        try {
            MemorySegment capture = Downcalls.capture();
            return (int) Downcalls.result((int) Fcntl.H.invokeExact(capture, fd, cmd, arg), capture);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code geteuid()}.
     *
     * @return the effective user id
     */
    public static int geteuid() {
        try {
            return (int) Getuid.H.invokeExact(Downcalls.capture());
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code if_nametoindex(name)}.
     *
     * @param name an interface name
     * @return its index, or {@code -errno} (e.g. {@code -ENODEV}) when there is no such interface
     */
    public static int ifNameToIndex(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = Downcalls.capture();
            int index = (int) IfNameToIndex.H.invokeExact(capture, arena.allocateFrom(name));
            return index != 0 ? index : -Downcalls.errno(capture);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }
}

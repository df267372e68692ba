package io.jpair.tuntap;

import io.jpair.sys.Arch;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The system calls a {@link TuntapPort} makes, behind one seam so every behaviour can be tested
 * with a fake (Twisted's {@code _IInputOutputSystem}; {@link RealIOSystem} is the real one,
 * {@code io.jpair.testing.MemoryIOSystem} the in-memory one).
 *
 * <p>Convention: every call returns its non-negative result or {@code -errno}; none throws for a
 * failed call, so {@code EAGAIN} on the packet path costs nothing. Memory arguments are native
 * segments owned by the caller. A port calls its system from its reactor thread only.
 */
public interface IOSystem {
    /** {@code O_RDWR}. */
    int O_RDWR = Arch.O_RDWR;
    /** {@code O_NONBLOCK}. */
    int O_NONBLOCK = Arch.O_NONBLOCK;
    /** {@code O_CLOEXEC}. */
    int O_CLOEXEC = Arch.O_CLOEXEC;

    /**
     * {@code open(2)}.
     *
     * @param path e.g. {@code /dev/net/tun}
     * @param flags {@code O_*}
     * @return the fd, or {@code -errno}
     */
    int open(String path, int flags);

    /**
     * {@code ioctl(2)} with a pointer argument (e.g. {@code TUNSETIFF} and a
     * {@code struct ifreq}).
     *
     * @param fd the fd
     * @param request the request code, e.g. {@code TUNSETIFF} of {@code <linux/if_tun.h>}, encoded
     *     for the running architecture
     * @param arg the structure, read and written by the call
     * @return the non-negative result, or {@code -errno}
     */
    int ioctl(int fd, long request, MemorySegment arg);

    /**
     * {@code ioctl(2)} with an integer argument (e.g. {@code TUNSETPERSIST}).
     *
     * @param fd the fd
     * @param request the request code
     * @param value the argument
     * @return the non-negative result, or {@code -errno}
     */
    int ioctl(int fd, long request, long value);

    /**
     * {@code read(2)} into {@code dst[0, length)}.
     *
     * @param fd the fd
     * @param dst native memory
     * @param length room in {@code dst}
     * @return the byte count, or {@code -errno}
     */
    int read(int fd, MemorySegment dst, int length);

    /**
     * {@code write(2)} of {@code src[0, length)}.
     *
     * @param fd the fd
     * @param src native memory
     * @param length bytes to write
     * @return the byte count, or {@code -errno}
     */
    int write(int fd, MemorySegment src, int length);

    /**
     * {@code writev(2)} of {@code parts[offset, offset + count)}, each from position to limit; the
     * positions are not moved.
     *
     * @param fd the fd
     * @param parts the buffers (heap or direct)
     * @param offset the first part
     * @param count how many parts
     * @return the byte count, or {@code -errno}
     */
    long writev(int fd, ByteBuffer[] parts, int offset, int count);

    /**
     * {@code close(2)}.
     *
     * @param fd the fd
     * @return 0, or {@code -errno}
     */
    int close(int fd);

    /**
     * {@code if_nametoindex(3)}: whether an interface exists.
     *
     * @param name the interface
     * @return its index, or {@code -errno} ({@code -ENODEV} when absent)
     */
    int interfaceIndex(String name);
}

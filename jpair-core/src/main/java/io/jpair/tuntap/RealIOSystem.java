package io.jpair.tuntap;

import io.jpair.errno.Errno;
import io.jpair.sys.IoVec;
import io.jpair.sys.LibC;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The real system: libc through the FFM API ({@code io.jpair.sys}). Thread-safe; the scratch
 * memory {@link #writev} needs is kept per thread.
 */
public final class RealIOSystem implements IOSystem {
    /** How many parts one {@link #writev} takes: Linux's {@code IOV_MAX}. */
    public static final int IOV_MAX = 1024;
    private static final int HEAP_SCRATCH = 65536;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** The shared instance. */
    public static final RealIOSystem INSTANCE = new RealIOSystem();

    private RealIOSystem() {
    }

    @Override
    public int open(String path, int flags) {
        return LibC.open(path, flags);
    }

    @Override
    public int ioctl(int fd, long request, MemorySegment arg) {
        return LibC.ioctl(fd, request, arg);
    }

    @Override
    public int ioctl(int fd, long request, long value) {
        return LibC.ioctl(fd, request, value);
    }

    @Override
    public int read(int fd, MemorySegment dst, int length) {
        return (int) LibC.read(fd, dst.address(), Math.min(length, dst.byteSize()));
    }

    @Override
    public int write(int fd, MemorySegment src, int length) {
        return (int) LibC.write(fd, src.address(), Math.min(length, src.byteSize()));
    }

    @Override
    public long writev(int fd, ByteBuffer[] parts, int offset, int count) {
        if (count > IOV_MAX) {
            return -Errno.EINVAL;
        }
        Scratch scratch = SCRATCH.get();
        long heapUsed = 0;
        for (int i = 0; i < count; i++) {
            ByteBuffer part = parts[offset + i];
            int length = part.remaining();
            long address;
            if (part.isDirect()) {
                address = MemorySegment.ofBuffer(part).address();
            } else {
                // Heap memory may move: stage it in native scratch.
                if (heapUsed + length > HEAP_SCRATCH) {
                    return -Errno.EMSGSIZE;
                }
                MemorySegment.copy(MemorySegment.ofBuffer(part), 0, scratch.heap, heapUsed, length);
                address = scratch.heap.address() + heapUsed;
                heapUsed += length;
            }
            IoVec.set(scratch.iov, i, address, length);
        }
        return LibC.writev(fd, scratch.iov.address(), count);
    }

    @Override
    public int close(int fd) {
        return LibC.close(fd);
    }

    @Override
    public int interfaceIndex(String name) {
        return LibC.ifNameToIndex(name);
    }

    private static final class Scratch {
        final MemorySegment iov = Arena.ofAuto().allocate(IoVec.SIZE * IOV_MAX, 8);
        final MemorySegment heap = Arena.ofAuto().allocate(HEAP_SCRATCH, 8);
    }
}

package io.jpair.tuntap;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/** An {@link IOSystem} that forwards every call, for tests that observe or alter a few. */
class ForwardingIOSystem implements IOSystem {
    private final IOSystem delegate;

    ForwardingIOSystem(IOSystem delegate) {
        this.delegate = delegate;
    }

    @Override
    public int open(String path, int flags) {
        return delegate.open(path, flags);
    }

    @Override
    public int ioctl(int fd, long request, MemorySegment arg) {
        return delegate.ioctl(fd, request, arg);
    }

    @Override
    public int ioctl(int fd, long request, long value) {
        return delegate.ioctl(fd, request, value);
    }

    @Override
    public int read(int fd, MemorySegment dst, int length) {
        return delegate.read(fd, dst, length);
    }

    @Override
    public int write(int fd, MemorySegment src, int length) {
        return delegate.write(fd, src, length);
    }

    @Override
    public long writev(int fd, ByteBuffer[] parts, int offset, int count) {
        return delegate.writev(fd, parts, offset, count);
    }

    @Override
    public int close(int fd) {
        return delegate.close(fd);
    }

    @Override
    public int interfaceIndex(String name) {
        return delegate.interfaceIndex(name);
    }
}

package io.jpair.sys;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * {@code struct iovec} (16 bytes on LP64), as an array handed to {@code readv}/{@code writev}.
 *
 * <pre>
 * struct iovec {
 *     void  *iov_base;   // offset 0
 *     size_t iov_len;    // offset 8
 * };
 * </pre>
 * Static accessors over a segment holding an array of them; allocate it once and reuse it
 * (Netty's {@code IovArray}). See https://man7.org/linux/man-pages/man2/readv.2.html
 */
public final class IoVec {
    /** The layout. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        ValueLayout.JAVA_LONG.withName("iov_base"), ValueLayout.JAVA_LONG.withName("iov_len"));
    /** {@code sizeof(struct iovec)}. */
    public static final long SIZE = LAYOUT.byteSize();

    private IoVec() {
    }

    /**
     * Sets entry {@code index} of an iovec array.
     *
     * @param array the array segment
     * @param index the entry
     * @param address the buffer address
     * @param length the buffer length
     */
    public static void set(MemorySegment array, int index, long address, long length) {
        long base = index * SIZE;
        array.set(ValueLayout.JAVA_LONG, base, address);
        array.set(ValueLayout.JAVA_LONG, base + 8, length);
    }
}

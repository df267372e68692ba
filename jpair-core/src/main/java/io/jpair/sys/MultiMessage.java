package io.jpair.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * {@code recvmmsg(2)} and {@code sendmmsg(2)}, and the layouts of the arrays they take:
 * {@code struct mmsghdr} (a {@code struct msghdr} plus the byte count) and the control messages
 * ({@code struct cmsghdr}) inside it. x86_64 and the other LP64 ABIs jpair supports:
 *
 * <pre>
 * struct msghdr {                   // 56 bytes
 *     void         *msg_name;       // 0
 *     socklen_t     msg_namelen;    // 8 (in/out)
 *     struct iovec *msg_iov;        // 16
 *     size_t        msg_iovlen;     // 24
 *     void         *msg_control;    // 32
 *     size_t        msg_controllen; // 40 (in/out)
 *     int           msg_flags;      // 48 (out)
 * };
 * struct mmsghdr { struct msghdr msg_hdr; unsigned int msg_len; };   // 64 bytes, msg_len at 56
 * struct cmsghdr { size_t cmsg_len; int cmsg_level; int cmsg_type; };  // data at 16
 * </pre>
 *
 * <p>The {@code CMSG_*} macros are computed here ({@link #cmsgAlign}, {@link #cmsgLength},
 * {@link #cmsgSpace}); ports and addresses are byte-swapped in Java ({@link Sockaddr}). Same
 * convention as {@link LibC}: results or {@code -errno}, arrays passed as 64-bit addresses. Use
 * non-blocking sockets: the calls are not linked {@code critical}, and the {@code recvmmsg}
 * timeout is always {@code NULL} (its man page: it "does not work as intended").
 *
 * <p>Thread-safe. Internal to jpair: use {@code io.jpair.socket} instead.
 */
public final class MultiMessage {
    /** {@code sizeof(struct mmsghdr)}. */
    public static final int MMSGHDR_SIZE = 64;
    /** Offset of {@code msg_name}. */
    public static final int NAME = 0;
    /** Offset of {@code msg_namelen} ({@code socklen_t}, 4 bytes). */
    public static final int NAME_LENGTH = 8;
    /** Offset of {@code msg_iov}. */
    public static final int IOV = 16;
    /** Offset of {@code msg_iovlen} ({@code size_t}). */
    public static final int IOV_LENGTH = 24;
    /** Offset of {@code msg_control}. */
    public static final int CONTROL = 32;
    /** Offset of {@code msg_controllen} ({@code size_t}). */
    public static final int CONTROL_LENGTH = 40;
    /** Offset of {@code msg_flags} (int). */
    public static final int FLAGS = 48;
    /** Offset of {@code msg_len} (unsigned int) in the {@code mmsghdr}. */
    public static final int LENGTH = 56;

    /** {@code sizeof(struct cmsghdr)}: the data of a control message starts here. */
    public static final int CMSG_HEADER = 16;
    /** {@code SOL_SOCKET}. */
    public static final int SOL_SOCKET = 1;
    /** {@code SOL_IP}. */
    public static final int SOL_IP = 0;
    /** {@code SOL_IPV6}. */
    public static final int SOL_IPV6 = 41;
    /** {@code SOL_UDP}. */
    public static final int SOL_UDP = 17;
    /** {@code UDP_SEGMENT}: GSO segment size, a u16 control message on send or an int option (Linux 4.18). */
    public static final int UDP_SEGMENT = 103;
    /** {@code UDP_GRO}: an int option to receive coalesced datagrams, and the int control message giving their segment size (Linux 5.0). */
    public static final int UDP_GRO = 104;

    /** {@code MSG_CTRUNC}: the control buffer was too small. */
    public static final int MSG_CTRUNC = 0x8;
    /** {@code MSG_TRUNC}: the datagram was larger than the buffer (the rest is lost). */
    public static final int MSG_TRUNC = 0x20;
    /** {@code MSG_DONTWAIT}. */
    public static final int MSG_DONTWAIT = 0x40;
    /** {@code UIO_MAXIOV}: the most messages one {@code sendmmsg} takes. */
    public static final int UIO_MAXIOV = 1024;

    private MultiMessage() {
    }

    private static final class RecvMmsg {
        // int recvmmsg(int sockfd, struct mmsghdr *msgvec, unsigned int vlen, int flags, struct timespec *timeout);
        // https://man7.org/linux/man-pages/man2/recvmmsg.2.html
        static final MethodHandle H = Downcalls.link("recvmmsg",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG));
    }

    private static final class SendMmsg {
        // int sendmmsg(int sockfd, struct mmsghdr *msgvec, unsigned int vlen, int flags);
        // https://man7.org/linux/man-pages/man2/sendmmsg.2.html
        static final MethodHandle H = Downcalls.link("sendmmsg",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT));
    }

    /**
     * {@code recvmmsg(fd, vector, count, flags, NULL)}.
     *
     * @param fd a non-blocking datagram socket
     * @param vector address of {@code count} prepared {@code mmsghdr}s
     * @param count how many
     * @param flags {@code MSG_*}
     * @return the number of messages received, or {@code -errno}
     */
    public static int recvmmsg(int fd, long vector, int count, int flags) {
        try {
            MemorySegment capture = Downcalls.capture();
            return (int) Downcalls.result((int) RecvMmsg.H.invokeExact(capture, fd, vector, count, flags, 0L),
                capture);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code sendmmsg(fd, vector, count, flags)}: returns how many were sent, and an error only
     * when none was; retry from the first unsent one.
     *
     * @param fd a non-blocking datagram socket
     * @param vector address of {@code count} prepared {@code mmsghdr}s
     * @param count how many, at most {@link #UIO_MAXIOV}
     * @param flags {@code MSG_*}
     * @return the number of messages sent, or {@code -errno}
     */
    public static int sendmmsg(int fd, long vector, int count, int flags) {
        try {
            MemorySegment capture = Downcalls.capture();
            return (int) Downcalls.result((int) SendMmsg.H.invokeExact(capture, fd, vector, count, flags), capture);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code CMSG_ALIGN(length)}.
     *
     * @param length a byte count
     * @return it rounded up to 8
     */
    public static int cmsgAlign(int length) {
        return (length + 7) & ~7;
    }

    /**
     * {@code CMSG_LEN(data)}: the {@code cmsg_len} of a message with {@code data} bytes.
     *
     * @param data the payload size
     * @return 16 + data
     */
    public static int cmsgLength(int data) {
        return CMSG_HEADER + data;
    }

    /**
     * {@code CMSG_SPACE(data)}: the room a message with {@code data} bytes takes.
     *
     * @param data the payload size
     * @return 16 + aligned data
     */
    public static int cmsgSpace(int data) {
        return CMSG_HEADER + cmsgAlign(data);
    }

    /**
     * Writes a {@code UDP_SEGMENT} control message (a u16; {@code cmsg_len} exactly
     * {@code CMSG_LEN(2)} = 18, or the kernel says EINVAL).
     *
     * @param segment the memory
     * @param offset where the message starts (8-aligned)
     * @param segmentSize the GSO segment size
     * @return the room used, {@code CMSG_SPACE(2)} = 24
     */
    public static int writeUdpSegment(MemorySegment segment, long offset, int segmentSize) {
        segment.set(ValueLayout.JAVA_LONG_UNALIGNED, offset, cmsgLength(2));
        segment.set(ValueLayout.JAVA_INT_UNALIGNED, offset + 8, SOL_UDP);
        segment.set(ValueLayout.JAVA_INT_UNALIGNED, offset + 12, UDP_SEGMENT);
        segment.set(ValueLayout.JAVA_SHORT_UNALIGNED, offset + 16, (short) segmentSize);
        return cmsgSpace(2);
    }

    /**
     * Finds the {@code UDP_GRO} control message among those the kernel wrote and returns its int
     * (the size of each coalesced segment).
     *
     * @param segment the memory
     * @param offset where the control buffer starts
     * @param length {@code msg_controllen} as the kernel left it
     * @return the segment size, or 0 when there is none
     */
    public static int groSegmentSize(MemorySegment segment, long offset, long length) {
        long at = offset;
        long end = offset + length;
        while (end - at >= CMSG_HEADER) {
            long messageLength = segment.get(ValueLayout.JAVA_LONG_UNALIGNED, at);
            if (messageLength < CMSG_HEADER || messageLength > end - at) {
                return 0;
            }
            if (segment.get(ValueLayout.JAVA_INT_UNALIGNED, at + 8) == SOL_UDP
                    && segment.get(ValueLayout.JAVA_INT_UNALIGNED, at + 12) == UDP_GRO
                    && messageLength >= cmsgLength(Integer.BYTES)) {
                return segment.get(ValueLayout.JAVA_INT_UNALIGNED, at + CMSG_HEADER);
            }
            at += cmsgAlign((int) messageLength);
        }
        return 0;
    }

    /**
     * Writes a {@code UDP_GRO} control message, as the kernel does on receive (for in-memory
     * systems that play a GRO-capable kernel).
     *
     * @param segment the memory
     * @param offset where the message starts (8-aligned)
     * @param segmentSize the coalesced segment size
     * @return the room used, {@code CMSG_SPACE(4)} = 24
     */
    public static int writeGroSegmentSize(MemorySegment segment, long offset, int segmentSize) {
        segment.set(ValueLayout.JAVA_LONG_UNALIGNED, offset, cmsgLength(Integer.BYTES));
        segment.set(ValueLayout.JAVA_INT_UNALIGNED, offset + 8, SOL_UDP);
        segment.set(ValueLayout.JAVA_INT_UNALIGNED, offset + 12, UDP_GRO);
        segment.set(ValueLayout.JAVA_INT_UNALIGNED, offset + CMSG_HEADER, segmentSize);
        return cmsgSpace(Integer.BYTES);
    }
}

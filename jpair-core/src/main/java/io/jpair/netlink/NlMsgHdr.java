package io.jpair.netlink;

import java.nio.ByteBuffer;

/**
 * Flyweight over {@code struct nlmsghdr}, the 16-byte header of every netlink message.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     nlmsg_len (header + payload)              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          nlmsg_type           |          nlmsg_flags          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      nlmsg_seq (sequence)                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      nlmsg_pid (port id)                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * All fields are in host byte order. Messages in one datagram follow each other at
 * {@link #align NLMSG_ALIGN}ed offsets. See {@code include/uapi/linux/netlink.h} and
 * https://man7.org/linux/man-pages/man7/netlink.7.html
 *
 * <p>Setters return {@code this}; static forms read a field without a flyweight. Not
 * thread-safe; one instance per thread.
 */
public final class NlMsgHdr {
    /** {@code sizeof(struct nlmsghdr)}. */
    public static final int LENGTH = 16;
    /** Offset of {@code nlmsg_len}. */
    public static final int LENGTH_OFFSET = 0;
    /** Offset of {@code nlmsg_type}. */
    public static final int TYPE_OFFSET = 4;
    /** Offset of {@code nlmsg_flags}. */
    public static final int FLAGS_OFFSET = 6;
    /** Offset of {@code nlmsg_seq}. */
    public static final int SEQUENCE_OFFSET = 8;
    /** Offset of {@code nlmsg_pid}. */
    public static final int PORT_ID_OFFSET = 12;

    /** {@code NLMSG_NOOP}: nothing; skip it. */
    public static final int NLMSG_NOOP = 1;
    /** {@code NLMSG_ERROR}: an error or (error 0) an acknowledgement; body {@link NlMsgErr}. */
    public static final int NLMSG_ERROR = 2;
    /** {@code NLMSG_DONE}: end of a multipart (dump) reply. */
    public static final int NLMSG_DONE = 3;
    /** {@code NLMSG_OVERRUN}: data lost. */
    public static final int NLMSG_OVERRUN = 4;

    /** {@code NLM_F_REQUEST}: a request (every message to the kernel). */
    public static final int NLM_F_REQUEST = 0x1;
    /** {@code NLM_F_MULTI}: part of a multipart reply. */
    public static final int NLM_F_MULTI = 0x2;
    /** {@code NLM_F_ACK}: reply with an acknowledgement (an {@code NLMSG_ERROR} with error 0). */
    public static final int NLM_F_ACK = 0x4;
    /** {@code NLM_F_ROOT} (GET requests): the whole table. */
    public static final int NLM_F_ROOT = 0x100;
    /** {@code NLM_F_MATCH} (GET requests): all matching entries. */
    public static final int NLM_F_MATCH = 0x200;
    /** {@code NLM_F_DUMP} = {@code NLM_F_ROOT | NLM_F_MATCH}. */
    public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
    /** {@code NLM_F_REPLACE} (NEW requests): replace an existing object. */
    public static final int NLM_F_REPLACE = 0x100;
    /** {@code NLM_F_EXCL} (NEW requests): fail with {@code EEXIST} if it exists. */
    public static final int NLM_F_EXCL = 0x200;
    /** {@code NLM_F_CREATE} (NEW requests): create it if it does not exist. */
    public static final int NLM_F_CREATE = 0x400;
    /** {@code NLM_F_CAPPED} (on {@code NLMSG_ERROR}): the echoed request is its header only. */
    public static final int NLM_F_CAPPED = 0x100;
    /** {@code NLM_F_ACK_TLVS} (on {@code NLMSG_ERROR}): extended-ack attributes follow. */
    public static final int NLM_F_ACK_TLVS = 0x200;

    private ByteBuffer buffer;
    private int offset;

    /**
     * Creates a flyweight over nothing yet; call {@link #wrap} before use.
     */
    public NlMsgHdr() {
    }

    /**
     * Points this flyweight at a header.
     *
     * @param buffer the bytes
     * @param offset where the header starts
     * @return this
     */
    public NlMsgHdr wrap(ByteBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * {@code NLMSG_ALIGN(length)}: rounds up to a multiple of 4.
     *
     * @param length a length in bytes
     * @return the aligned length
     */
    public static int align(int length) {
        return (length + 3) & ~3;
    }

    /**
     * Whether a well-formed message starts at {@code offset}: a whole header fits before
     * {@code end}, and its {@code nlmsg_len} covers at least the header and ends by {@code end}.
     *
     * @param buffer the bytes
     * @param offset where the message would start
     * @param end the end of the received data
     * @return true if the header can be trusted
     */
    public static boolean isValid(ByteBuffer buffer, int offset, int end) {
        if (end - offset < LENGTH) {
            return false;
        }
        int length = length(buffer, offset);
        return length >= LENGTH && length <= end - offset;
    }

    /**
     * {@code nlmsg_len} of the message at {@code offset}.
     *
     * @param buffer the bytes
     * @param offset where the header starts
     * @return the length of header and payload, in bytes
     */
    public static int length(ByteBuffer buffer, int offset) {
        return HostOrder.getInt(buffer, offset + LENGTH_OFFSET);
    }

    /**
     * {@code nlmsg_type} of the message at {@code offset}.
     *
     * @param buffer the bytes
     * @param offset where the header starts
     * @return the message type
     */
    public static int type(ByteBuffer buffer, int offset) {
        return HostOrder.getUnsignedShort(buffer, offset + TYPE_OFFSET);
    }

    /**
     * The buffer offset this flyweight reads.
     *
     * @return the header's offset
     */
    public int offset() {
        return offset;
    }

    /**
     * {@code nlmsg_len}.
     *
     * @return the length of header and payload, in bytes
     */
    public int length() {
        return length(buffer, offset);
    }

    /**
     * Sets {@code nlmsg_len}.
     *
     * @param length the length of header and payload
     * @return this
     */
    public NlMsgHdr length(int length) {
        HostOrder.putInt(buffer, offset + LENGTH_OFFSET, length);
        return this;
    }

    /**
     * {@code nlmsg_type}.
     *
     * @return e.g. {@link #NLMSG_ERROR} or {@link RtmType#RTM_NEWLINK}
     */
    public int type() {
        return type(buffer, offset);
    }

    /**
     * Sets {@code nlmsg_type}.
     *
     * @param type the message type
     * @return this
     */
    public NlMsgHdr type(int type) {
        HostOrder.putShort(buffer, offset + TYPE_OFFSET, type);
        return this;
    }

    /**
     * {@code nlmsg_flags}.
     *
     * @return the {@code NLM_F_*} flags
     */
    public int flags() {
        return HostOrder.getUnsignedShort(buffer, offset + FLAGS_OFFSET);
    }

    /**
     * Sets {@code nlmsg_flags}.
     *
     * @param flags the {@code NLM_F_*} flags
     * @return this
     */
    public NlMsgHdr flags(int flags) {
        HostOrder.putShort(buffer, offset + FLAGS_OFFSET, flags);
        return this;
    }

    /**
     * {@code nlmsg_seq}.
     *
     * @return the sequence number a reply echoes from its request
     */
    public int sequence() {
        return HostOrder.getInt(buffer, offset + SEQUENCE_OFFSET);
    }

    /**
     * Sets {@code nlmsg_seq}.
     *
     * @param sequence the sequence number
     * @return this
     */
    public NlMsgHdr sequence(int sequence) {
        HostOrder.putInt(buffer, offset + SEQUENCE_OFFSET, sequence);
        return this;
    }

    /**
     * {@code nlmsg_pid}.
     *
     * @return the sender's port id (0 from the kernel), or in a reply the requester's
     */
    public int portId() {
        return HostOrder.getInt(buffer, offset + PORT_ID_OFFSET);
    }

    /**
     * Sets {@code nlmsg_pid}.
     *
     * @param portId the port id (0 lets the kernel fill it in)
     * @return this
     */
    public NlMsgHdr portId(int portId) {
        HostOrder.putInt(buffer, offset + PORT_ID_OFFSET, portId);
        return this;
    }

    /**
     * The payload's offset in the buffer.
     *
     * @return {@code offset() + LENGTH}
     */
    public int payloadOffset() {
        return offset + LENGTH;
    }
}

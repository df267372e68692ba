package io.jpair.netlink;

import java.nio.ByteBuffer;

/**
 * Flyweight over {@code struct nlmsgerr}, the payload of an {@code NLMSG_ERROR} message: an
 * error (0 = acknowledgement) and the request it answers, optionally followed by extended-ack
 * attributes.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  error (0 or -errno, host order)              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              msg: the request's struct nlmsghdr               |
 * |              (16 bytes; the whole request unless the          |
 * |               error's header has NLM_F_CAPPED)                |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  extended-ack attributes (when the header has NLM_F_ACK_TLVS) |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * Offsets are relative to the payload (the byte after the {@link NlMsgHdr}). See
 * https://docs.kernel.org/userspace-api/netlink/intro.html#extended-ack
 */
public final class NlMsgErr {
    /** Offset of {@code error} within the payload. */
    public static final int ERROR_OFFSET = 0;
    /** Offset of the echoed request header within the payload. */
    public static final int MSG_OFFSET = 4;
    /** Length of {@code error} plus the echoed request header. */
    public static final int LENGTH = 4 + NlMsgHdr.LENGTH;
    /** {@code NLMSGERR_ATTR_MSG}: the kernel's error message, a NUL-terminated string. */
    public static final int NLMSGERR_ATTR_MSG = 1;
    /** {@code NLMSGERR_ATTR_OFFS}: offset of the offending attribute in the request. */
    public static final int NLMSGERR_ATTR_OFFS = 2;

    private NlMsgErr() {
    }

    /**
     * {@code error}: 0 for an acknowledgement, else a negative errno.
     *
     * @param buffer the bytes
     * @param payloadOffset the offset of the {@code NLMSG_ERROR} message's payload
     * @return 0 or {@code -errno}
     */
    public static int error(ByteBuffer buffer, int payloadOffset) {
        return HostOrder.getInt(buffer, payloadOffset + ERROR_OFFSET);
    }

    /**
     * {@code msg.nlmsg_seq}: the sequence number of the request this answers.
     *
     * @param buffer the bytes
     * @param payloadOffset the offset of the {@code NLMSG_ERROR} message's payload
     * @return the request's sequence number
     */
    public static int requestSequence(ByteBuffer buffer, int payloadOffset) {
        return HostOrder.getInt(buffer, payloadOffset + MSG_OFFSET + NlMsgHdr.SEQUENCE_OFFSET);
    }

    /**
     * Where the extended-ack attributes start.
     *
     * @param buffer the bytes
     * @param messageOffset the offset of the {@code NLMSG_ERROR} message's header
     * @return the offset of the first attribute, or -1 when the message has none
     */
    public static int attributesOffset(ByteBuffer buffer, int messageOffset) {
        NlMsgHdr header = new NlMsgHdr().wrap(buffer, messageOffset);
        if ((header.flags() & NlMsgHdr.NLM_F_ACK_TLVS) == 0 || header.length() < NlMsgHdr.LENGTH + LENGTH) {
            return -1;
        }
        int payload = header.payloadOffset();
        int echoed = (header.flags() & NlMsgHdr.NLM_F_CAPPED) != 0
            ? NlMsgHdr.LENGTH
            : HostOrder.getInt(buffer, payload + MSG_OFFSET + NlMsgHdr.LENGTH_OFFSET);
        long start = (long) payload + MSG_OFFSET + NlMsgHdr.align(echoed);
        return echoed < NlMsgHdr.LENGTH || start > messageOffset + header.length() ? -1 : (int) start;
    }

    /**
     * The kernel's error message ({@code NLMSGERR_ATTR_MSG}), if it sent one.
     *
     * @param buffer the bytes
     * @param messageOffset the offset of the {@code NLMSG_ERROR} message's header
     * @return the message, or {@code null}
     */
    public static String message(ByteBuffer buffer, int messageOffset) {
        int start = attributesOffset(buffer, messageOffset);
        if (start < 0) {
            return null;
        }
        int end = messageOffset + NlMsgHdr.length(buffer, messageOffset);
        RtAttr attribute = new RtAttr();
        for (boolean more = attribute.first(buffer, start, end); more; more = attribute.next()) {
            if (attribute.type() == NLMSGERR_ATTR_MSG) {
                String text = attribute.getString();
                return text.isEmpty() ? null : text;
            }
        }
        return null;
    }
}

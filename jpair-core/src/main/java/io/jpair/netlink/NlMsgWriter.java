package io.jpair.netlink;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Builds one netlink request at the start of a buffer: header, fixed body, attributes, then
 * {@link #finish()} stores the total length in {@code nlmsg_len}.
 *
 * <pre>{@code
 * writer.begin(RtmType.RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, seq);
 * ifInfo.wrap(buffer, writer.reserve(IfInfoMsg.LENGTH)).index(index);
 * writer.attribute(IfInfoMsg.IFLA_MTU, 1400);
 * int length = writer.finish();
 * }</pre>
 * Every region is zero-filled before use, so padding and unset fields are 0. Not thread-safe.
 */
public final class NlMsgWriter {
    private final ByteBuffer buffer;
    private final NlMsgHdr header = new NlMsgHdr();
    private int position;

    /**
     * Creates a writer over a buffer it reuses for every request.
     *
     * @param buffer where requests are built, from index 0
     */
    public NlMsgWriter(ByteBuffer buffer) {
        this.buffer = buffer;
    }

    /**
     * The buffer requests are built in.
     *
     * @return the buffer given to the constructor
     */
    public ByteBuffer buffer() {
        return buffer;
    }

    /**
     * Starts a message: writes its header at index 0.
     *
     * @param type e.g. {@link RtmType#RTM_NEWLINK}
     * @param flags {@code NLM_F_*} flags
     * @param sequence the sequence number the reply will echo
     * @return this
     */
    public NlMsgWriter begin(int type, int flags, int sequence) {
        position = 0;
        reserve(NlMsgHdr.LENGTH);
        header.wrap(buffer, 0).type(type).flags(flags).sequence(sequence).portId(0);
        return this;
    }

    /**
     * Reserves {@code length} zeroed bytes (padded to 4) for a fixed body such as
     * {@link IfInfoMsg}.
     *
     * @param length the body length
     * @return the offset of the reserved region
     * @throws IllegalArgumentException if the message would not fit the buffer
     */
    public int reserve(int length) {
        int start = position;
        int padded = NlMsgHdr.align(length);
        if (padded > buffer.capacity() - start) {
            throw new IllegalArgumentException("netlink request longer than the " + buffer.capacity()
                + "-byte buffer");
        }
        for (int i = 0; i < padded; i++) {
            buffer.put(start + i, (byte) 0);
        }
        position = start + padded;
        return start;
    }

    /**
     * Appends an attribute with a host-order u32 payload.
     *
     * @param type the attribute type
     * @param value the value
     * @return this
     */
    public NlMsgWriter attribute(int type, int value) {
        int at = attributeHeader(type, 4);
        HostOrder.putInt(buffer, at + RtAttr.HEADER_LENGTH, value);
        return this;
    }

    /**
     * Appends an attribute with raw bytes as payload (e.g. an address in network order).
     *
     * @param type the attribute type
     * @param value the payload
     * @return this
     */
    public NlMsgWriter attribute(int type, byte[] value) {
        int at = attributeHeader(type, value.length);
        buffer.put(at + RtAttr.HEADER_LENGTH, value);
        return this;
    }

    /**
     * Appends an attribute with a NUL-terminated string payload (e.g. {@code IFLA_IFNAME}).
     *
     * @param type the attribute type
     * @param value the string (UTF-8)
     * @return this
     */
    public NlMsgWriter attribute(int type, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        int at = attributeHeader(type, bytes.length + 1);
        buffer.put(at + RtAttr.HEADER_LENGTH, bytes);
        return this;
    }

    /**
     * Opens a nested attribute (e.g. {@link IfInfoMsg#IFLA_LINKINFO}): the attributes and
     * reserved bodies appended until {@link #endNested(int)} are its payload.
     *
     * <pre>{@code
     * int linkInfo = writer.beginNested(IfInfoMsg.IFLA_LINKINFO);
     * writer.attribute(IfInfoMsg.IFLA_INFO_KIND, "bridge");
     * writer.endNested(linkInfo);
     * }</pre>
     *
     * @param type the attribute type (sent without {@code NLA_F_NESTED}, as {@code ip} does)
     * @return the nest's offset, for {@link #endNested(int)}
     */
    public int beginNested(int type) {
        return attributeHeader(type, 0);
    }

    /**
     * Closes a nested attribute: sets its length to cover everything appended since
     * {@link #beginNested(int)}.
     *
     * @param start what {@link #beginNested(int)} returned
     * @return this
     */
    public NlMsgWriter endNested(int start) {
        HostOrder.putShort(buffer, start + RtAttr.LENGTH_OFFSET, position - start);
        return this;
    }

    private int attributeHeader(int type, int payloadLength) {
        int at = reserve(RtAttr.HEADER_LENGTH + payloadLength);
        HostOrder.putShort(buffer, at + RtAttr.LENGTH_OFFSET, RtAttr.HEADER_LENGTH + payloadLength);
        HostOrder.putShort(buffer, at + RtAttr.TYPE_OFFSET, type);
        return at;
    }

    /**
     * Ends the message: sets {@code nlmsg_len}.
     *
     * @return the message length in bytes (the bytes to send from index 0)
     */
    public int finish() {
        header.wrap(buffer, 0).length(position);
        return position;
    }
}

package io.jpair.netlink;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Cursor flyweight over a run of {@code struct rtattr} (a.k.a. {@code struct nlattr}):
 * type-length-value attributes, each padded to 4 bytes.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    rta_len (header + payload) |           rta_type            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      payload (rta_len - 4 bytes), then padding to RTA_ALIGN   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * The header is in host byte order. Iterate with
 * {@code for (boolean ok = attr.first(buf, start, end); ok; ok = attr.next())}; iteration stops
 * at the first attribute whose length is below 4 or runs past {@code end}, so malformed input
 * ends the walk instead of throwing.
 */
public final class RtAttr {
    /** Length of the attribute header. */
    public static final int HEADER_LENGTH = 4;
    /** Offset of {@code rta_len}. */
    public static final int LENGTH_OFFSET = 0;
    /** Offset of {@code rta_type}. */
    public static final int TYPE_OFFSET = 2;
    /** {@code NLA_F_NESTED}: the payload is itself attributes. */
    public static final int NLA_F_NESTED = 0x8000;
    /** {@code NLA_F_NET_BYTEORDER}: the payload is in network byte order. */
    public static final int NLA_F_NET_BYTEORDER = 0x4000;
    /** {@code NLA_TYPE_MASK}: the type without those two flags. */
    public static final int NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

    private ByteBuffer buffer;
    private int offset;
    private int end;

    /**
     * Creates a flyweight over nothing yet; call {@link #first} before reading.
     */
    public RtAttr() {
    }

    /**
     * {@code RTA_ALIGN(length)}: rounds up to a multiple of 4.
     *
     * @param length a length
     * @return the aligned length
     */
    public static int align(int length) {
        return (length + 3) & ~3;
    }

    /**
     * Positions the cursor on the first attribute of {@code [start, end)}.
     *
     * @param buffer the bytes
     * @param start where the attributes start
     * @param end where they end (the enclosing message's end)
     * @return true if there is a well-formed attribute at {@code start}
     */
    public boolean first(ByteBuffer buffer, int start, int end) {
        this.buffer = buffer;
        this.offset = start;
        this.end = Math.min(end, buffer.limit());
        return valid();
    }

    /**
     * Moves to the next attribute.
     *
     * @return true if there is a well-formed one
     */
    public boolean next() {
        offset += align(length());
        return valid();
    }

    private boolean valid() {
        if (end - offset < HEADER_LENGTH) {
            return false;
        }
        int length = length();
        return length >= HEADER_LENGTH && length <= end - offset;
    }

    /**
     * The current attribute's offset.
     *
     * @return the offset of its header
     */
    public int offset() {
        return offset;
    }

    /**
     * {@code rta_len}.
     *
     * @return header plus payload length (without padding)
     */
    public int length() {
        return HostOrder.getUnsignedShort(buffer, offset + LENGTH_OFFSET);
    }

    /**
     * {@code rta_type} without the nested/byte-order flags.
     *
     * @return e.g. {@link IfInfoMsg#IFLA_MTU}
     */
    public int type() {
        return HostOrder.getUnsignedShort(buffer, offset + TYPE_OFFSET) & NLA_TYPE_MASK;
    }

    /**
     * The payload's offset.
     *
     * @return {@code offset() + HEADER_LENGTH}
     */
    public int payloadOffset() {
        return offset + HEADER_LENGTH;
    }

    /**
     * The payload's length.
     *
     * @return {@code length() - HEADER_LENGTH}
     */
    public int payloadLength() {
        return length() - HEADER_LENGTH;
    }

    /**
     * The payload as a host-order u32.
     *
     * @return the value, or -1 if the payload is shorter than 4 bytes
     */
    public int getInt() {
        return payloadLength() >= 4 ? HostOrder.getInt(buffer, payloadOffset()) : -1;
    }

    /**
     * The payload as a u8.
     *
     * @return the value, or -1 if the payload is empty
     */
    public int getUnsignedByte() {
        return payloadLength() >= 1 ? Byte.toUnsignedInt(buffer.get(payloadOffset())) : -1;
    }

    /**
     * The payload as a string, up to its first NUL.
     *
     * @return the string (empty if the payload is)
     */
    public String getString() {
        int start = payloadOffset();
        int stop = start;
        int limit = start + payloadLength();
        while (stop < limit && buffer.get(stop) != 0) {
            stop++;
        }
        byte[] bytes = new byte[stop - start];
        buffer.get(start, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * A copy of the payload.
     *
     * @return the payload bytes
     */
    public byte[] getBytes() {
        byte[] bytes = new byte[payloadLength()];
        buffer.get(payloadOffset(), bytes);
        return bytes;
    }
}

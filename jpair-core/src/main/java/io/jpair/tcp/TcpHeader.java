package io.jpair.tcp;

import io.jpair.wire.InternetChecksum;
import io.jpair.wire.NetworkOrder;
import java.nio.ByteBuffer;

/**
 * A view over a TCP header and its options (RFC 9293 section 3.1): no copy, retargeted with
 * {@link #wrap}, network byte order, absolute indices.
 *
 * <pre>
 *  0                   1                   2                   3
 * +-------------------------------+-------------------------------+
 * |          Source Port          |       Destination Port        |
 * +-------------------------------+-------------------------------+
 * |                        Sequence Number                        |
 * +---------------------------------------------------------------+
 * |                    Acknowledgment Number                      |
 * +-------+-------+---------------+-------------------------------+
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 * +-------+-------+---------------+-------------------------------+
 * |           Checksum            |         Urgent Pointer        |
 * +-------------------------------+-------------------------------+
 * |                    Options                    |    Padding    |
 * +-----------------------------------------------+---------------+
 * </pre>
 *
 * <p>{@link #parseOptions()} reads the options jpair understands into fields of this view: MSS
 * (kind 2), window scale (3, RFC 7323), SACK-permitted (4) and SACK blocks (5, RFC 2018) and
 * timestamps (8, RFC 7323); unknown kinds are skipped by their length. The static
 * {@code write*} methods build options in place. Allocation-free.
 */
public final class TcpHeader {
    /** Length of a header without options. */
    public static final int MIN_LENGTH = 20;
    /** Length of a header with every option (data offset 15). */
    public static final int MAX_LENGTH = 60;
    /** FIN: no more data from the sender. */
    public static final int FIN = 0x01;
    /** SYN: synchronize sequence numbers. */
    public static final int SYN = 0x02;
    /** RST: reset the connection. */
    public static final int RST = 0x04;
    /** PSH: push. */
    public static final int PSH = 0x08;
    /** ACK: the acknowledgment field is significant. */
    public static final int ACK = 0x10;
    /** URG: the urgent pointer is significant. */
    public static final int URG = 0x20;
    /** MSS when a SYN over IPv4 carries none (RFC 9293 section 3.7.1). */
    public static final int DEFAULT_MSS_IPV4 = 536;
    /** MSS when a SYN over IPv6 carries none (RFC 9293 section 3.7.1). */
    public static final int DEFAULT_MSS_IPV6 = 1220;
    /** Most SACK blocks an option can carry (RFC 2018 section 3). */
    public static final int MAX_SACK_BLOCKS = 4;
    /** Largest window shift (RFC 7323 section 2.3). */
    public static final int MAX_WINDOW_SCALE = 14;

    static final int OPTION_END = 0;
    static final int OPTION_NOP = 1;
    static final int OPTION_MSS = 2;
    static final int OPTION_WINDOW_SCALE = 3;
    static final int OPTION_SACK_PERMITTED = 4;
    static final int OPTION_SACK = 5;
    static final int OPTION_TIMESTAMP = 8;

    private ByteBuffer buffer;
    private int offset;
    private int mss;
    private int windowScale;
    private boolean sackPermitted;
    private boolean hasTimestamp;
    private int timestampValue;
    private int timestampEcho;
    private int sackCount;
    private final int[] sackLeft = new int[MAX_SACK_BLOCKS];
    private final int[] sackRight = new int[MAX_SACK_BLOCKS];

    /** A view not yet pointed at a header: call {@link #wrap} first. */
    public TcpHeader() {
    }

    /**
     * Points the view at a header (options are not parsed until {@link #parseOptions()}).
     *
     * @param buffer the buffer
     * @param offset absolute index of the first byte
     * @return this
     */
    public TcpHeader wrap(ByteBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * The source port.
     *
     * @return 0..65535
     */
    public int sourcePort() {
        return NetworkOrder.u16(buffer, offset);
    }

    /**
     * The destination port.
     *
     * @return 0..65535
     */
    public int destinationPort() {
        return NetworkOrder.u16(buffer, offset + 2);
    }

    /**
     * The sequence number.
     *
     * @return 32 bits
     */
    public int sequence() {
        return NetworkOrder.i32(buffer, offset + 4);
    }

    /**
     * The acknowledgment number.
     *
     * @return 32 bits
     */
    public int acknowledgment() {
        return NetworkOrder.i32(buffer, offset + 8);
    }

    /**
     * The header length from the data offset.
     *
     * @return 0..60 bytes
     */
    public int headerLength() {
        return (NetworkOrder.u8(buffer, offset + 12) >>> 4) * 4;
    }

    /**
     * The control bits (CWR, ECE, URG, ACK, PSH, RST, SYN, FIN).
     *
     * @return the low 8 bits of byte 13
     */
    public int flags() {
        return NetworkOrder.u8(buffer, offset + 13);
    }

    /**
     * Whether every bit of {@code mask} is set.
     *
     * @param mask a combination of {@link #SYN}, {@link #ACK}, ...
     * @return true if all are set
     */
    public boolean has(int mask) {
        return (flags() & mask) == mask;
    }

    /**
     * The unscaled window field.
     *
     * @return 0..65535
     */
    public int window() {
        return NetworkOrder.u16(buffer, offset + 14);
    }

    /**
     * The checksum field.
     *
     * @return 0..65535
     */
    public int checksum() {
        return NetworkOrder.u16(buffer, offset + 16);
    }

    /**
     * The urgent pointer.
     *
     * @return 0..65535
     */
    public int urgentPointer() {
        return NetworkOrder.u16(buffer, offset + 18);
    }

    /**
     * Writes the fixed 20 bytes (data offset from {@code headerLength}, checksum and urgent
     * pointer 0).
     *
     * @param sourcePort source port
     * @param destinationPort destination port
     * @param sequence sequence number
     * @param acknowledgment acknowledgment number
     * @param headerLength 20..60, a multiple of 4
     * @param flags control bits
     * @param window window field
     * @return this
     */
    public TcpHeader write(int sourcePort, int destinationPort, int sequence, int acknowledgment, int headerLength,
            int flags, int window) {
        NetworkOrder.u16(buffer, offset, sourcePort);
        NetworkOrder.u16(buffer, offset + 2, destinationPort);
        NetworkOrder.i32(buffer, offset + 4, sequence);
        NetworkOrder.i32(buffer, offset + 8, acknowledgment);
        NetworkOrder.u8(buffer, offset + 12, (headerLength / 4) << 4);
        NetworkOrder.u8(buffer, offset + 13, flags);
        NetworkOrder.u16(buffer, offset + 14, window);
        NetworkOrder.i32(buffer, offset + 16, 0);
        return this;
    }

    /**
     * Computes and stores the checksum over {@code length} bytes (header and data) plus a
     * pseudo-header.
     *
     * @param pseudoHeader the unfolded pseudo-header sum
     * @param length TCP header plus data, bytes
     * @return this
     */
    public TcpHeader computeChecksum(long pseudoHeader, int length) {
        NetworkOrder.u16(buffer, offset + 16, 0);
        NetworkOrder.u16(buffer, offset + 16, InternetChecksum.checksum(buffer, offset, length, pseudoHeader));
        return this;
    }

    /**
     * Whether the checksum over {@code length} bytes plus a pseudo-header is correct.
     *
     * @param pseudoHeader the unfolded pseudo-header sum
     * @param length TCP header plus data, bytes
     * @return true if valid
     */
    public boolean checksumValid(long pseudoHeader, int length) {
        return InternetChecksum.checksum(buffer, offset, length, pseudoHeader) == 0;
    }

    /**
     * Parses the options between the fixed header and {@link #headerLength()} into this view.
     *
     * @return false if an option's length is malformed (the segment should be dropped)
     */
    public boolean parseOptions() {
        mss = -1;
        windowScale = -1;
        sackPermitted = false;
        hasTimestamp = false;
        sackCount = 0;
        int at = offset + MIN_LENGTH;
        int end = offset + headerLength();
        while (at < end) {
            int kind = NetworkOrder.u8(buffer, at);
            if (kind == OPTION_END) {
                return true;
            }
            if (kind == OPTION_NOP) {
                at++;
                continue;
            }
            if (at + 1 >= end) {
                return false;
            }
            int length = NetworkOrder.u8(buffer, at + 1);
            if (length < 2 || at + length > end) {
                return false;
            }
            switch (kind) {
                case OPTION_MSS -> {
                    if (length != 4) {
                        return false;
                    }
                    mss = NetworkOrder.u16(buffer, at + 2);
                }
                case OPTION_WINDOW_SCALE -> {
                    if (length != 3) {
                        return false;
                    }
                    windowScale = Math.min(NetworkOrder.u8(buffer, at + 2), MAX_WINDOW_SCALE);
                }
                case OPTION_SACK_PERMITTED -> {
                    if (length != 2) {
                        return false;
                    }
                    sackPermitted = true;
                }
                case OPTION_SACK -> {
                    if ((length - 2) % 8 != 0) {
                        return false;
                    }
                    int blocks = Math.min((length - 2) / 8, MAX_SACK_BLOCKS);
                    for (int i = 0; i < blocks; i++) {
                        sackLeft[i] = NetworkOrder.i32(buffer, at + 2 + 8 * i);
                        sackRight[i] = NetworkOrder.i32(buffer, at + 6 + 8 * i);
                    }
                    sackCount = blocks;
                }
                case OPTION_TIMESTAMP -> {
                    if (length != 10) {
                        return false;
                    }
                    hasTimestamp = true;
                    timestampValue = NetworkOrder.i32(buffer, at + 2);
                    timestampEcho = NetworkOrder.i32(buffer, at + 6);
                }
                default -> {
                }
            }
            at += length;
        }
        return true;
    }

    /**
     * The MSS option, after {@link #parseOptions()}.
     *
     * @return 0..65535, or -1 when absent
     */
    public int mss() {
        return mss;
    }

    /**
     * The window scale option, after {@link #parseOptions()}.
     *
     * @return the shift, at most {@value #MAX_WINDOW_SCALE}, or -1 when absent
     */
    public int windowScale() {
        return windowScale;
    }

    /**
     * Whether the SACK-permitted option is present, after {@link #parseOptions()}.
     *
     * @return true if present
     */
    public boolean sackPermitted() {
        return sackPermitted;
    }

    /**
     * Whether the timestamps option is present, after {@link #parseOptions()}.
     *
     * @return true if present
     */
    public boolean hasTimestamp() {
        return hasTimestamp;
    }

    /**
     * TSval, when {@link #hasTimestamp()}.
     *
     * @return 32 bits
     */
    public int timestampValue() {
        return timestampValue;
    }

    /**
     * TSecr, when {@link #hasTimestamp()}.
     *
     * @return 32 bits
     */
    public int timestampEcho() {
        return timestampEcho;
    }

    /**
     * How many SACK blocks the segment carries, after {@link #parseOptions()}.
     *
     * @return 0..{@value #MAX_SACK_BLOCKS}
     */
    public int sackCount() {
        return sackCount;
    }

    /**
     * The left edge (first sequence number) of SACK block {@code i}.
     *
     * @param i 0..sackCount()-1
     * @return 32 bits
     */
    public int sackLeft(int i) {
        return sackLeft[i];
    }

    /**
     * The right edge (sequence number after the last) of SACK block {@code i}.
     *
     * @param i 0..sackCount()-1
     * @return 32 bits
     */
    public int sackRight(int i) {
        return sackRight[i];
    }

    /**
     * Writes an MSS option.
     *
     * @param buffer the buffer
     * @param at absolute index
     * @param mss the segment size
     * @return bytes written (4)
     */
    public static int writeMss(ByteBuffer buffer, int at, int mss) {
        NetworkOrder.u8(buffer, at, OPTION_MSS);
        NetworkOrder.u8(buffer, at + 1, 4);
        NetworkOrder.u16(buffer, at + 2, mss);
        return 4;
    }

    /**
     * Writes NOP and a window scale option.
     *
     * @param buffer the buffer
     * @param at absolute index
     * @param shift the window shift
     * @return bytes written (4)
     */
    public static int writeWindowScale(ByteBuffer buffer, int at, int shift) {
        NetworkOrder.u8(buffer, at, OPTION_NOP);
        NetworkOrder.u8(buffer, at + 1, OPTION_WINDOW_SCALE);
        NetworkOrder.u8(buffer, at + 2, 3);
        NetworkOrder.u8(buffer, at + 3, shift);
        return 4;
    }

    /**
     * Writes two NOPs and SACK-permitted.
     *
     * @param buffer the buffer
     * @param at absolute index
     * @return bytes written (4)
     */
    public static int writeSackPermitted(ByteBuffer buffer, int at) {
        NetworkOrder.u8(buffer, at, OPTION_NOP);
        NetworkOrder.u8(buffer, at + 1, OPTION_NOP);
        NetworkOrder.u8(buffer, at + 2, OPTION_SACK_PERMITTED);
        NetworkOrder.u8(buffer, at + 3, 2);
        return 4;
    }

    /**
     * Writes two NOPs and a timestamps option.
     *
     * @param buffer the buffer
     * @param at absolute index
     * @param value TSval
     * @param echo TSecr
     * @return bytes written (12)
     */
    public static int writeTimestamp(ByteBuffer buffer, int at, int value, int echo) {
        NetworkOrder.u8(buffer, at, OPTION_NOP);
        NetworkOrder.u8(buffer, at + 1, OPTION_NOP);
        NetworkOrder.u8(buffer, at + 2, OPTION_TIMESTAMP);
        NetworkOrder.u8(buffer, at + 3, 10);
        NetworkOrder.i32(buffer, at + 4, value);
        NetworkOrder.i32(buffer, at + 8, echo);
        return 12;
    }

    /**
     * Writes two NOPs and a SACK option of {@code count} blocks.
     *
     * @param buffer the buffer
     * @param at absolute index
     * @param left left edges
     * @param right right edges
     * @param count 1..{@value #MAX_SACK_BLOCKS}
     * @return bytes written (4 + 8 * count)
     */
    public static int writeSack(ByteBuffer buffer, int at, int[] left, int[] right, int count) {
        NetworkOrder.u8(buffer, at, OPTION_NOP);
        NetworkOrder.u8(buffer, at + 1, OPTION_NOP);
        NetworkOrder.u8(buffer, at + 2, OPTION_SACK);
        NetworkOrder.u8(buffer, at + 3, 2 + 8 * count);
        for (int i = 0; i < count; i++) {
            NetworkOrder.i32(buffer, at + 4 + 8 * i, left[i]);
            NetworkOrder.i32(buffer, at + 8 + 8 * i, right[i]);
        }
        return 4 + 8 * count;
    }
}

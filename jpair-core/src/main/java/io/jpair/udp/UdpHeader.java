package io.jpair.udp;

import io.jpair.wire.InternetChecksum;
import io.jpair.wire.NetworkOrder;
import java.nio.ByteBuffer;

/**
 * A view over a UDP header (RFC 768): no copy, retargeted with {@link #wrap}, network byte order.
 *
 * <pre>
 *  0      7 8     15 16    23 24    31
 * +--------+--------+--------+--------+
 * |   Source Port   |Destination Port |
 * +--------+--------+--------+--------+
 * |     Length      |    Checksum     |
 * +--------+--------+--------+--------+
 * |          data octets ...
 * +---------------- ...
 * </pre>
 *
 * <p>The length covers header and data. The checksum covers the pseudo-header, header and data;
 * 0 means "none" (allowed over IPv4 only), and a computed 0 is sent as 0xFFFF.
 */
public final class UdpHeader {
    /** Offset of the source port. */
    public static final int SOURCE_PORT_OFFSET = 0;
    /** Offset of the destination port. */
    public static final int DESTINATION_PORT_OFFSET = 2;
    /** Offset of the length. */
    public static final int LENGTH_OFFSET = 4;
    /** Offset of the checksum. */
    public static final int CHECKSUM_OFFSET = 6;
    /** Length of the header. */
    public static final int LENGTH = 8;

    private ByteBuffer buffer;
    private int offset;

    /** A view not yet pointed at a header: call {@link #wrap} first. */
    public UdpHeader() {
    }

    /**
     * Points the view at a header.
     *
     * @param buffer the buffer
     * @param offset absolute index of the first byte
     * @return this
     */
    public UdpHeader wrap(ByteBuffer buffer, int offset) {
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
        return NetworkOrder.u16(buffer, offset + SOURCE_PORT_OFFSET);
    }

    /**
     * Sets the source port.
     *
     * @param port 0..65535
     * @return this
     */
    public UdpHeader sourcePort(int port) {
        NetworkOrder.u16(buffer, offset + SOURCE_PORT_OFFSET, port);
        return this;
    }

    /**
     * The destination port.
     *
     * @return 0..65535
     */
    public int destinationPort() {
        return NetworkOrder.u16(buffer, offset + DESTINATION_PORT_OFFSET);
    }

    /**
     * Sets the destination port.
     *
     * @param port 0..65535
     * @return this
     */
    public UdpHeader destinationPort(int port) {
        NetworkOrder.u16(buffer, offset + DESTINATION_PORT_OFFSET, port);
        return this;
    }

    /**
     * The length of header and data.
     *
     * @return 0..65535 (at least 8 when valid)
     */
    public int length() {
        return NetworkOrder.u16(buffer, offset + LENGTH_OFFSET);
    }

    /**
     * Sets the length.
     *
     * @param length header and data, bytes
     * @return this
     */
    public UdpHeader length(int length) {
        NetworkOrder.u16(buffer, offset + LENGTH_OFFSET, length);
        return this;
    }

    /**
     * The checksum field.
     *
     * @return 0..65535 (0: none)
     */
    public int checksum() {
        return NetworkOrder.u16(buffer, offset + CHECKSUM_OFFSET);
    }

    /**
     * Sets the checksum field.
     *
     * @param checksum 0..65535
     * @return this
     */
    public UdpHeader checksum(int checksum) {
        NetworkOrder.u16(buffer, offset + CHECKSUM_OFFSET, checksum);
        return this;
    }

    /**
     * Computes and stores the checksum over {@link #length()} bytes plus a pseudo-header (a
     * computed 0 is stored as 0xFFFF).
     *
     * @param pseudoHeader the pseudo-header sum
     * @return this
     */
    public UdpHeader computeChecksum(long pseudoHeader) {
        checksum(0);
        int sum = InternetChecksum.checksum(buffer, offset, length(), pseudoHeader);
        return checksum(sum == 0 ? 0xFFFF : sum);
    }

    /**
     * Whether the checksum over {@link #length()} bytes plus a pseudo-header is correct (a zero
     * field is not checked here: see the class comment).
     *
     * @param pseudoHeader the pseudo-header sum
     * @return true if valid
     */
    public boolean checksumValid(long pseudoHeader) {
        return InternetChecksum.checksum(buffer, offset, length(), pseudoHeader) == 0;
    }
}

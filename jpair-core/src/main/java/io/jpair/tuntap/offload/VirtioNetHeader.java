package io.jpair.tuntap.offload;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Flyweight over the 10-byte {@code struct virtio_net_hdr} that a TUN/TAP device opened with
 * {@code IFF_VNET_HDR} puts before every packet it reads and expects before every packet it is
 * written ({@code <linux/virtio_net.h>}).
 *
 * <pre>
 *  0               1               2               3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     flags     |   gso_type    |            hdr_len            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            gso_size           |           csum_start          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          csum_offset          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p><b>Byte order.</b> Unlike the packet after it, the header is in the device's virtio byte
 * order, not network order: little-endian unless {@code TUNSETVNETBE} was called (the tun
 * driver's {@code tun_is_little_endian()} is true when {@code TUN_VNET_LE} is set <em>or</em> the
 * host is little-endian and {@code TUN_VNET_BE} is not). jpair never calls {@code TUNSETVNETBE},
 * so on the little-endian machines it runs on (x86_64, aarch64, riscv64, loongarch64,
 * ppc64le) the fields are little-endian; every accessor states that order explicitly instead of
 * relying on the buffer's.
 *
 * <p>{@code csum_start}/{@code csum_offset} are meaningful with {@link #F_NEEDS_CSUM}: the
 * checksum over {@code [csum_start, end)} goes to {@code csum_start + csum_offset}; the field
 * there holds the pseudo-header sum (not complemented). {@code hdr_len} is a hint the kernel may
 * get wrong; {@link GsoSplitter} recomputes it from the headers.
 *
 * <p>Reusable: {@link #wrap} retargets it; allocation-free after construction. Not thread-safe.
 */
public final class VirtioNetHeader {
    /** {@code sizeof(struct virtio_net_hdr)}. */
    public static final int LENGTH = 10;
    /** The largest frame a device with a virtio header hands over: the header and a 64 KiB IP packet. */
    public static final int MAX_FRAME_LENGTH = LENGTH + 65535;
    /** Offset of {@code flags} (u8). */
    public static final int FLAGS_OFFSET = 0;
    /** Offset of {@code gso_type} (u8). */
    public static final int GSO_TYPE_OFFSET = 1;
    /** Offset of {@code hdr_len} (u16, little-endian). */
    public static final int HDR_LEN_OFFSET = 2;
    /** Offset of {@code gso_size} (u16, little-endian). */
    public static final int GSO_SIZE_OFFSET = 4;
    /** Offset of {@code csum_start} (u16, little-endian). */
    public static final int CSUM_START_OFFSET = 6;
    /** Offset of {@code csum_offset} (u16, little-endian). */
    public static final int CSUM_OFFSET_OFFSET = 8;

    /** {@code VIRTIO_NET_HDR_F_NEEDS_CSUM}: the L4 checksum is partial and must be completed. */
    public static final int F_NEEDS_CSUM = 1;
    /** {@code VIRTIO_NET_HDR_F_DATA_VALID}: the checksum was already verified. */
    public static final int F_DATA_VALID = 2;
    /** {@code VIRTIO_NET_HDR_GSO_NONE}: a single packet. */
    public static final int GSO_NONE = 0;
    /** {@code VIRTIO_NET_HDR_GSO_TCPV4}: a TCP/IPv4 super-packet. */
    public static final int GSO_TCPV4 = 1;
    /** {@code VIRTIO_NET_HDR_GSO_UDP}: legacy UFO (IP fragmentation), never produced since 3.18. */
    public static final int GSO_UDP = 3;
    /** {@code VIRTIO_NET_HDR_GSO_TCPV6}: a TCP/IPv6 super-packet. */
    public static final int GSO_TCPV6 = 4;
    /** {@code VIRTIO_NET_HDR_GSO_UDP_L4}: a UDP super-packet cut into datagrams (USO, Linux 6.2). */
    public static final int GSO_UDP_L4 = 5;
    /** {@code VIRTIO_NET_HDR_GSO_ECN}: flag bit, the TCP ECN/CWR bit is set. */
    public static final int GSO_ECN = 0x80;

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private ByteBuffer buffer;
    private int offset;

    /** An unwrapped flyweight; call {@link #wrap} before use. */
    public VirtioNetHeader() {
    }

    /**
     * Points the flyweight at a header.
     *
     * @param buffer the bytes
     * @param offset where the header starts
     * @return this
     * @throws IndexOutOfBoundsException if fewer than {@value #LENGTH} bytes follow {@code offset}
     *     within the buffer's capacity
     */
    public VirtioNetHeader wrap(ByteBuffer buffer, int offset) {
        if (offset < 0 || offset > buffer.capacity() - LENGTH) {
            throw new IndexOutOfBoundsException("virtio_net_hdr needs " + LENGTH + " bytes at " + offset
                + " in a buffer of capacity " + buffer.capacity());
        }
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * The wrapped buffer.
     *
     * @return the buffer
     */
    public ByteBuffer buffer() {
        return buffer;
    }

    /**
     * Where the header starts in {@link #buffer()}.
     *
     * @return the offset
     */
    public int offset() {
        return offset;
    }

    /**
     * {@code flags}.
     *
     * @return e.g. {@link #F_NEEDS_CSUM}
     */
    public int flags() {
        return flags(buffer, offset);
    }

    /**
     * Sets {@code flags}.
     *
     * @param value the low 8 bits
     * @return this
     */
    public VirtioNetHeader flags(int value) {
        buffer.put(offset + FLAGS_OFFSET, (byte) value);
        return this;
    }

    /**
     * {@code gso_type}, including the {@link #GSO_ECN} bit.
     *
     * @return e.g. {@link #GSO_TCPV4}
     */
    public int gsoType() {
        return gsoType(buffer, offset);
    }

    /**
     * Sets {@code gso_type}.
     *
     * @param value the low 8 bits
     * @return this
     */
    public VirtioNetHeader gsoType(int value) {
        buffer.put(offset + GSO_TYPE_OFFSET, (byte) value);
        return this;
    }

    /**
     * {@code hdr_len}: the bytes of headers (IP + L4) before the payload, as the sender claims.
     *
     * @return 0..65535
     */
    public int hdrLen() {
        return u16(buffer, offset + HDR_LEN_OFFSET);
    }

    /**
     * Sets {@code hdr_len}.
     *
     * @param value 0..65535
     * @return this
     */
    public VirtioNetHeader hdrLen(int value) {
        putU16(buffer, offset + HDR_LEN_OFFSET, value);
        return this;
    }

    /**
     * {@code gso_size}: the payload bytes per segment (MSS for TCP).
     *
     * @return 0..65535
     */
    public int gsoSize() {
        return gsoSize(buffer, offset);
    }

    /**
     * Sets {@code gso_size}.
     *
     * @param value 0..65535
     * @return this
     */
    public VirtioNetHeader gsoSize(int value) {
        putU16(buffer, offset + GSO_SIZE_OFFSET, value);
        return this;
    }

    /**
     * {@code csum_start}: where checksumming starts, from the start of the packet.
     *
     * @return 0..65535
     */
    public int csumStart() {
        return u16(buffer, offset + CSUM_START_OFFSET);
    }

    /**
     * Sets {@code csum_start}.
     *
     * @param value 0..65535
     * @return this
     */
    public VirtioNetHeader csumStart(int value) {
        putU16(buffer, offset + CSUM_START_OFFSET, value);
        return this;
    }

    /**
     * {@code csum_offset}: where the checksum goes, from {@code csum_start}.
     *
     * @return 0..65535 (6 for UDP, 16 for TCP)
     */
    public int csumOffset() {
        return u16(buffer, offset + CSUM_OFFSET_OFFSET);
    }

    /**
     * Sets {@code csum_offset}.
     *
     * @param value 0..65535
     * @return this
     */
    public VirtioNetHeader csumOffset(int value) {
        putU16(buffer, offset + CSUM_OFFSET_OFFSET, value);
        return this;
    }

    /**
     * Zeroes all ten bytes: a plain packet with a complete checksum.
     *
     * @return this
     */
    public VirtioNetHeader clear() {
        clear(buffer, offset);
        return this;
    }

    /**
     * Zeroes the header at {@code offset} without a flyweight.
     *
     * @param buffer the bytes
     * @param offset where the header starts
     */
    public static void clear(ByteBuffer buffer, int offset) {
        buffer.putLong(offset, 0L);
        buffer.putShort(offset + 8, (short) 0);
    }

    /**
     * {@code flags} without a flyweight.
     *
     * @param buffer the bytes
     * @param offset where the header starts
     * @return the flags
     */
    public static int flags(ByteBuffer buffer, int offset) {
        return buffer.get(offset + FLAGS_OFFSET) & 0xFF;
    }

    /**
     * {@code gso_type} without a flyweight.
     *
     * @param buffer the bytes
     * @param offset where the header starts
     * @return the GSO type
     */
    public static int gsoType(ByteBuffer buffer, int offset) {
        return buffer.get(offset + GSO_TYPE_OFFSET) & 0xFF;
    }

    /**
     * {@code gso_size} without a flyweight.
     *
     * @param buffer the bytes
     * @param offset where the header starts
     * @return the segment payload size
     */
    public static int gsoSize(ByteBuffer buffer, int offset) {
        return u16(buffer, offset + GSO_SIZE_OFFSET);
    }

    private static int u16(ByteBuffer buffer, int index) {
        return (buffer.get(index) & 0xFF) | (buffer.get(index + 1) & 0xFF) << 8;
    }

    private static void putU16(ByteBuffer buffer, int index, int value) {
        buffer.put(index, (byte) value);
        buffer.put(index + 1, (byte) (value >>> 8));
    }

    /**
     * The byte order of the multi-byte fields on this device (see the class comment).
     *
     * @return {@link ByteOrder#LITTLE_ENDIAN}
     */
    public static ByteOrder byteOrder() {
        return ORDER;
    }

    @Override
    public String toString() {
        return buffer == null ? "virtio_net_hdr[unwrapped]"
            : "virtio_net_hdr[flags=" + flags() + " gso_type=" + gsoType() + " hdr_len=" + hdrLen() + " gso_size="
                + gsoSize() + " csum_start=" + csumStart() + " csum_offset=" + csumOffset() + "]";
    }
}

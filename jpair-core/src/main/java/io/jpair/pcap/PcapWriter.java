package io.jpair.pcap;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Objects;

/**
 * Writes packets to a classic pcap file, the format of libpcap's {@code pcap_dump} that
 * {@code tcpdump -r}, {@code tshark -r} and Wireshark read.
 *
 * <pre>{@code
 * try (PcapWriter pcap = PcapWriter.open(Path.of("tun0.pcap"), LinkType.RAW)) {
 *     pcap.append(packet);               // in datagramReceived: a record stamped "now"
 * }
 * }</pre>
 *
 * <p>The file is one global header, then one record header plus {@code incl_len} packet bytes per
 * packet. Every field is in this writer's byte order (little-endian; readers detect the order from
 * the magic number):
 * <pre>
 * global header (24 bytes)
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         magic: 0xA1B2C3D4 (us stamps) or 0xA1B23C4D (ns)      |
 * +-------------------------------+-------------------------------+
 * |       version_major = 2       |       version_minor = 4       |
 * +-------------------------------+-------------------------------+
 * |                         thiszone = 0                          |
 * +---------------------------------------------------------------+
 * |                          sigfigs = 0                          |
 * +---------------------------------------------------------------+
 * |                            snaplen                            |
 * +---------------------------------------------------------------+
 * |          network: link type (1 Ethernet, 101 raw IP)          |
 * +---------------------------------------------------------------+
 *
 * record header (16 bytes)
 * +---------------------------------------------------------------+
 * |                ts_sec: seconds since 1970-01-01Z              |
 * +---------------------------------------------------------------+
 * |           ts_usec or ts_nsec: fraction of the second          |
 * +---------------------------------------------------------------+
 * |             incl_len: bytes stored (at most snaplen)          |
 * +---------------------------------------------------------------+
 * |             orig_len: bytes the packet really had             |
 * +---------------------------------------------------------------+
 * </pre>
 *
 * <p><b>No allocation per packet.</b> Records are copied into one direct buffer allocated at
 * construction and written to the channel when it fills, on {@link #flush()} and on
 * {@link #close()}; a record larger than the buffer is written straight from the caller's buffer.
 * "Now" comes from {@link System#nanoTime()} anchored to the wall clock once at construction, so
 * no {@code Instant} is made per packet (the stamps do not follow later wall-clock steps).
 *
 * <p><b>Buffers.</b> {@link #append(ByteBuffer)} reads the bytes between the packet's position and
 * limit and leaves both as they were; it keeps no reference to the packet.
 *
 * <p><b>Threading.</b> Not thread-safe: one thread (typically the reactor thread) appends,
 * flushes and closes.
 */
public final class PcapWriter implements Closeable, Flushable {
    /** Magic number of a file with microsecond timestamps. */
    public static final int MAGIC_MICROSECONDS = 0xA1B2C3D4;
    /** Magic number of a file with nanosecond timestamps. */
    public static final int MAGIC_NANOSECONDS = 0xA1B23C4D;
    /** Major format version. */
    public static final int VERSION_MAJOR = 2;
    /** Minor format version. */
    public static final int VERSION_MINOR = 4;
    /** Length of the global header. */
    public static final int GLOBAL_HEADER_LENGTH = 24;
    /** Length of each record header. */
    public static final int RECORD_HEADER_LENGTH = 16;
    /** The snap length tcpdump uses by default: whole packets. */
    public static final int DEFAULT_SNAP_LENGTH = 262_144;
    /** Default size of the write buffer. */
    public static final int DEFAULT_BUFFER_SIZE = 64 * 1024;

    /** Offset of {@code magic} in the global header. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of {@code version_major}. */
    public static final int VERSION_MAJOR_OFFSET = 4;
    /** Offset of {@code version_minor}. */
    public static final int VERSION_MINOR_OFFSET = 6;
    /** Offset of {@code thiszone}. */
    public static final int THISZONE_OFFSET = 8;
    /** Offset of {@code sigfigs}. */
    public static final int SIGFIGS_OFFSET = 12;
    /** Offset of {@code snaplen}. */
    public static final int SNAPLEN_OFFSET = 16;
    /** Offset of {@code network}. */
    public static final int NETWORK_OFFSET = 20;
    /** Offset of {@code ts_sec} in a record header. */
    public static final int TS_SEC_OFFSET = 0;
    /** Offset of {@code ts_usec}/{@code ts_nsec} in a record header. */
    public static final int TS_FRACTION_OFFSET = 4;
    /** Offset of {@code incl_len} in a record header. */
    public static final int INCL_LEN_OFFSET = 8;
    /** Offset of {@code orig_len} in a record header. */
    public static final int ORIG_LEN_OFFSET = 12;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final WritableByteChannel channel;
    private final ByteBuffer buffer;
    private final LinkType linkType;
    private final int snapLength;
    private final boolean nanosecond;
    private final long wallAnchorNanos;
    private final long monotonicAnchorNanos;
    private long records;
    private boolean closed;

    /**
     * A writer over a channel: the global header is buffered at once.
     *
     * @param channel where the file's bytes go; closed by {@link #close()}
     * @param linkType what each record starts with
     * @param snapLength the most bytes stored per record (longer packets are truncated, their
     *     original length kept), 1..{@value #DEFAULT_SNAP_LENGTH}
     * @param nanosecond nanosecond timestamps (magic {@code 0xA1B23C4D}) instead of microseconds
     * @param bufferSize bytes buffered before a write to the channel, at least
     *     {@value #GLOBAL_HEADER_LENGTH}
     * @throws IllegalArgumentException for a snap length or buffer size out of range
     */
    public PcapWriter(WritableByteChannel channel, LinkType linkType, int snapLength, boolean nanosecond,
            int bufferSize) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.linkType = Objects.requireNonNull(linkType, "linkType");
        if (snapLength < 1 || snapLength > DEFAULT_SNAP_LENGTH) {
            throw new IllegalArgumentException("snapLength must be 1.." + DEFAULT_SNAP_LENGTH + ", not " + snapLength);
        }
        if (bufferSize < GLOBAL_HEADER_LENGTH) {
            throw new IllegalArgumentException("bufferSize must be at least " + GLOBAL_HEADER_LENGTH);
        }
        this.snapLength = snapLength;
        this.nanosecond = nanosecond;
        this.buffer = ByteBuffer.allocateDirect(bufferSize).order(ByteOrder.LITTLE_ENDIAN);
        Instant now = Instant.now();
        this.monotonicAnchorNanos = System.nanoTime();
        this.wallAnchorNanos = now.getEpochSecond() * NANOS_PER_SECOND + now.getNano();
        buffer.putInt(MAGIC_OFFSET, nanosecond ? MAGIC_NANOSECONDS : MAGIC_MICROSECONDS)
            .putShort(VERSION_MAJOR_OFFSET, (short) VERSION_MAJOR)
            .putShort(VERSION_MINOR_OFFSET, (short) VERSION_MINOR)
            .putInt(THISZONE_OFFSET, 0)
            .putInt(SIGFIGS_OFFSET, 0)
            .putInt(SNAPLEN_OFFSET, snapLength)
            .putInt(NETWORK_OFFSET, linkType.value())
            .position(GLOBAL_HEADER_LENGTH);
    }

    /**
     * Creates (or truncates) a file with microsecond stamps and the default snap length.
     *
     * @param file the path
     * @param linkType {@link LinkType#RAW} for a TUN device, {@link LinkType#ETHERNET} for TAP
     * @return the writer
     * @throws IOException if the file cannot be created
     */
    public static PcapWriter open(Path file, LinkType linkType) throws IOException {
        return open(file, linkType, DEFAULT_SNAP_LENGTH, false);
    }

    /**
     * Creates (or truncates) a file.
     *
     * @param file the path
     * @param linkType what each record starts with
     * @param snapLength the most bytes stored per record
     * @param nanosecond nanosecond instead of microsecond timestamps
     * @return the writer
     * @throws IOException if the file cannot be created
     */
    public static PcapWriter open(Path file, LinkType linkType, int snapLength, boolean nanosecond)
            throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
        return new PcapWriter(channel, linkType, snapLength, nanosecond, DEFAULT_BUFFER_SIZE);
    }

    /**
     * Appends one record stamped with the current time.
     *
     * @param packet the bytes between position and limit; neither is moved
     * @throws IOException if the channel fails
     * @throws ClosedChannelException after {@link #close()}
     */
    public void append(ByteBuffer packet) throws IOException {
        append(packet, wallAnchorNanos + (System.nanoTime() - monotonicAnchorNanos));
    }

    /**
     * Appends one record with an explicit timestamp.
     *
     * @param packet the bytes between position and limit; neither is moved
     * @param epochNanos the capture time, nanoseconds since 1970-01-01T00:00Z
     * @throws IOException if the channel fails
     * @throws ClosedChannelException after {@link #close()}
     */
    public void append(ByteBuffer packet, long epochNanos) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        int position = packet.position();
        int originalLength = packet.limit() - position;
        int storedLength = Math.min(originalLength, snapLength);
        if (buffer.remaining() < RECORD_HEADER_LENGTH + storedLength) {
            drain();
        }
        long seconds = Math.floorDiv(epochNanos, NANOS_PER_SECOND);
        long fraction = Math.floorMod(epochNanos, NANOS_PER_SECOND);
        int at = buffer.position();
        buffer.putInt(at + TS_SEC_OFFSET, (int) seconds)
            .putInt(at + TS_FRACTION_OFFSET, (int) (nanosecond ? fraction : fraction / 1000))
            .putInt(at + INCL_LEN_OFFSET, storedLength)
            .putInt(at + ORIG_LEN_OFFSET, originalLength)
            .position(at + RECORD_HEADER_LENGTH);
        records++;
        if (buffer.remaining() >= storedLength) {
            buffer.put(buffer.position(), packet, position, storedLength);
            buffer.position(buffer.position() + storedLength);
            return;
        }
        // Larger than the whole buffer: write the header, then the packet from the caller's buffer.
        drain();
        int limit = packet.limit();
        try {
            packet.limit(position + storedLength);
            while (packet.hasRemaining()) {
                channel.write(packet);
            }
        } finally {
            packet.limit(limit).position(position);
        }
    }

    private void drain() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    /**
     * Writes the buffered records to the channel (so a reader of the file sees them).
     *
     * @throws IOException if the channel fails
     */
    @Override
    public void flush() throws IOException {
        if (!closed) {
            drain();
        }
    }

    /**
     * Flushes and closes the channel. Idempotent.
     *
     * @throws IOException if the final write or the close fails (the channel is closed anyway)
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            drain();
        } finally {
            closed = true;
            channel.close();
        }
    }

    /**
     * Records appended so far.
     *
     * @return the count
     */
    public long records() {
        return records;
    }

    /**
     * The link type written in the global header.
     *
     * @return the link type
     */
    public LinkType linkType() {
        return linkType;
    }

    /**
     * The largest number of bytes stored per record.
     *
     * @return the snap length
     */
    public int snapLength() {
        return snapLength;
    }
}

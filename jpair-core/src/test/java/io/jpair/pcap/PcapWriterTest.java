package io.jpair.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapWriterTest {
    /** 2023-11-14T22:13:20.123456789Z. */
    private static final long STAMP = 1_700_000_000_123_456_789L;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private PcapWriter writer(LinkType linkType, int snapLength, boolean nanosecond, int bufferSize) {
        return new PcapWriter(Channels.newChannel(bytes), linkType, snapLength, nanosecond, bufferSize);
    }

    private static String hex(byte[] data) {
        return HexFormat.of().formatHex(data);
    }

    @Test
    void emptyFileIsTheLibpcapGlobalHeader() throws Exception {
        writer(LinkType.RAW, PcapWriter.DEFAULT_SNAP_LENGTH, false, 4096).close();

        // magic d4c3b2a1, 2.4, thiszone 0, sigfigs 0, snaplen 262144, network 101: little-endian
        assertThat(hex(bytes.toByteArray()))
            .isEqualTo("d4c3b2a1" + "0200" + "0400" + "00000000" + "00000000" + "00000400" + "65000000");
    }

    @Test
    void tapCapturesUseTheEthernetLinkType() throws Exception {
        writer(LinkType.ETHERNET, 1500, false, 4096).close();

        assertThat(hex(bytes.toByteArray())).endsWith("dc050000" + "01000000");
    }

    @Test
    void recordHeaderHoldsSecondsMicrosecondsAndLengths() throws Exception {
        try (PcapWriter pcap = writer(LinkType.RAW, PcapWriter.DEFAULT_SNAP_LENGTH, false, 4096)) {
            pcap.append(ByteBuffer.wrap(new byte[] {0x45, 0, 0, 4}), STAMP);
        }

        // ts_sec 1700000000 = 0x6553f100, ts_usec 123456 = 0x0001e240, incl 4, orig 4, data
        assertThat(hex(bytes.toByteArray()).substring(2 * PcapWriter.GLOBAL_HEADER_LENGTH))
            .isEqualTo("00f15365" + "40e20100" + "04000000" + "04000000" + "45000004");
    }

    @Test
    void nanosecondFilesUseTheirMagicAndANanosecondFraction() throws Exception {
        try (PcapWriter pcap = writer(LinkType.RAW, PcapWriter.DEFAULT_SNAP_LENGTH, true, 4096)) {
            pcap.append(ByteBuffer.wrap(new byte[] {1}), STAMP);
        }

        String file = hex(bytes.toByteArray());
        assertThat(file).startsWith("4d3cb2a1");
        // ts_nsec 123456789 = 0x075bcd15
        assertThat(file.substring(2 * PcapWriter.GLOBAL_HEADER_LENGTH)).startsWith("00f15365" + "15cd5b07");
    }

    @Test
    void packetsLongerThanTheSnapLengthAreTruncatedButKeepTheirLength() throws Exception {
        try (PcapWriter pcap = writer(LinkType.RAW, 2, false, 4096)) {
            pcap.append(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5}), STAMP);
        }

        assertThat(hex(bytes.toByteArray()).substring(2 * (PcapWriter.GLOBAL_HEADER_LENGTH + 8)))
            .isEqualTo("02000000" + "05000000" + "0102");
    }

    @Test
    void appendWritesOnlyBetweenPositionAndLimitAndMovesNeither() throws Exception {
        ByteBuffer packet = ByteBuffer.wrap(new byte[] {9, 1, 2, 9}).position(1).limit(3);
        try (PcapWriter pcap = writer(LinkType.RAW, 100, false, 4096)) {
            pcap.append(packet, STAMP);
        }

        assertThat(hex(bytes.toByteArray())).endsWith("02000000" + "02000000" + "0102");
        assertThat(packet.position()).isEqualTo(1);
        assertThat(packet.limit()).isEqualTo(3);
    }

    @Test
    void recordsLargerThanTheBufferAreWrittenWhole() throws Exception {
        byte[] large = new byte[300];
        for (int i = 0; i < large.length; i++) {
            large[i] = (byte) i;
        }
        ByteBuffer packet = ByteBuffer.wrap(large);
        try (PcapWriter pcap = writer(LinkType.RAW, 1000, false, 64)) {
            pcap.append(ByteBuffer.wrap(new byte[] {7}), STAMP);
            pcap.append(packet, STAMP);
            pcap.append(ByteBuffer.wrap(new byte[] {8}), STAMP);
        }

        byte[] file = bytes.toByteArray();
        assertThat(file).hasSize(24 + (16 + 1) + (16 + 300) + (16 + 1));
        int data = 24 + 17 + 16;
        assertThat(file[data]).isEqualTo((byte) 0);
        assertThat(file[data + 299]).isEqualTo((byte) 299);
        assertThat(file[file.length - 1]).isEqualTo((byte) 8);
        assertThat(packet.position()).isZero();
        assertThat(packet.limit()).isEqualTo(300);
    }

    @Test
    void recordsStayBufferedUntilFlush() throws Exception {
        PcapWriter pcap = writer(LinkType.RAW, 100, false, 4096);
        pcap.append(ByteBuffer.wrap(new byte[] {1}), STAMP);
        assertThat(bytes.size()).isZero();

        pcap.flush();

        assertThat(bytes.size()).isEqualTo(24 + 16 + 1);
        assertThat(pcap.records()).isEqualTo(1);
    }

    @Test
    void appendAfterCloseThrowsAndCloseIsIdempotent() throws Exception {
        PcapWriter pcap = writer(LinkType.RAW, 100, false, 4096);
        pcap.close();
        pcap.close();

        assertThat(bytes.size()).isEqualTo(24);
        assertThatThrownBy(() -> pcap.append(ByteBuffer.wrap(new byte[] {1})))
            .isInstanceOf(ClosedChannelException.class);
    }

    @Test
    void appendStampsRecordsWithTheCurrentTime() throws Exception {
        long before = System.currentTimeMillis() / 1000;
        try (PcapWriter pcap = writer(LinkType.RAW, 100, false, 4096)) {
            pcap.append(ByteBuffer.wrap(new byte[] {1}));
        }
        long after = System.currentTimeMillis() / 1000;

        ByteBuffer file = ByteBuffer.wrap(bytes.toByteArray()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long seconds = Integer.toUnsignedLong(file.getInt(PcapWriter.GLOBAL_HEADER_LENGTH));
        assertThat(seconds).isBetween(before, after);
    }

    @Test
    void openCreatesAFileWithTheHeaderAndRecords(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("x.pcap");
        try (PcapWriter pcap = PcapWriter.open(file, LinkType.ETHERNET)) {
            pcap.append(ByteBuffer.allocateDirect(60));
        }

        assertThat(Files.size(file)).isEqualTo(24 + 16 + 60);
    }

    @Test
    void rejectsSnapLengthsOutOfRange() {
        assertThatThrownBy(() -> writer(LinkType.RAW, 0, false, 4096)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer(LinkType.RAW, PcapWriter.DEFAULT_SNAP_LENGTH + 1, false, 4096))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void appendAllocatesNothingPerPacket() throws Exception {
        WritableByteChannel discard = new WritableByteChannel() {
            @Override
            public int write(ByteBuffer src) {
                int n = src.remaining();
                src.position(src.limit());
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
        ByteBuffer packet = ByteBuffer.allocateDirect(1500);
        com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (PcapWriter pcap = new PcapWriter(discard, LinkType.RAW, PcapWriter.DEFAULT_SNAP_LENGTH, false,
                PcapWriter.DEFAULT_BUFFER_SIZE)) {
            for (int i = 0; i < 10_000; i++) {
                pcap.append(packet);
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10_000; i++) {
                pcap.append(packet);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;

            assertThat(allocated).as("bytes allocated for 10 000 appends").isLessThan(1_000);
        }
    }
}

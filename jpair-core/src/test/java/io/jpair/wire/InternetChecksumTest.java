package io.jpair.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.testing.Packets;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The Internet checksum against RFC 1071's example and a byte-by-byte reference, for any offset,
 * length, initial sum and buffer byte order.
 */
class InternetChecksumTest {
    @Test
    void sumsTheRfc1071Example() {
        // RFC 1071 section 3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2.
        ByteBuffer data = ByteBuffer.wrap(new byte[] {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5,
            (byte) 0xf6, (byte) 0xf7});
        assertThat(InternetChecksum.sum(data, 0, 8, 0)).isEqualTo(0xddf2);
        assertThat(InternetChecksum.finish(0xddf2)).isEqualTo(0x220d);
        assertThat(InternetChecksum.checksum(data, 0, 8, 0)).isEqualTo(0x220d);
    }

    @Test
    void aValidIpv4HeaderVerifies() {
        byte[] packet = Packets.ipv4Udp("10.99.0.1", 5000, "10.99.0.2", 9, new byte[3]);
        assertThat(InternetChecksum.verifies(ByteBuffer.wrap(packet), 0, 20, 0)).isTrue();
        assertThat(InternetChecksum.checksum(ByteBuffer.wrap(packet), 0, 20, 0)).isZero();
        packet[8]--;
        assertThat(InternetChecksum.verifies(ByteBuffer.wrap(packet), 0, 20, 0)).isFalse();
        assertThat(InternetChecksum.checksum(ByteBuffer.wrap(packet), 0, 20, 0)).isNotZero();
    }

    @Test
    void sumOfZerosIsZeroNotFfff() {
        ByteBuffer zeros = ByteBuffer.allocateDirect(200).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(InternetChecksum.sum(zeros, 0, 200, 0)).isZero();
        assertThat(InternetChecksum.checksum(zeros, 0, 200, 0)).isEqualTo(0xFFFF);
    }

    @Property
    void sumEqualsTheByteWiseReferenceForAnyOffsetLengthAndByteOrder(@ForAll @Size(max = 300) byte[] data,
            @ForAll @IntRange(max = 7) int skip, @ForAll @IntRange(max = 0xFFFF) int initial,
            @ForAll boolean littleEndian) {
        int offset = Math.min(skip, data.length);
        int length = data.length - offset;
        ByteBuffer buffer = ByteBuffer.allocateDirect(data.length).put(0, data)
            .order(littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        assertThat(InternetChecksum.sum(buffer, offset, length, initial))
            .isEqualTo(reference(data, offset, length, initial));
    }

    @Property
    void checksumEqualsTheComplementedReferenceForAnyPartialSum(@ForAll @Size(max = 300) byte[] data,
            @ForAll @IntRange(max = 7) int skip, @ForAll @LongRange(max = 0x3_FFFF_FFFFL) long initial,
            @ForAll boolean littleEndian) {
        int offset = Math.min(skip, data.length);
        int length = data.length - offset;
        ByteBuffer buffer = ByteBuffer.allocate(data.length).put(0, data)
            .order(littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        assertThat(InternetChecksum.checksum(buffer, offset, length, initial))
            .isEqualTo(~reference(data, offset, length, initial) & 0xFFFF);
    }

    @Property
    void pseudoHeaderSumReadsTheAddressesTheIpv4FormTakes(@ForAll int source, @ForAll int destination,
            @ForAll @IntRange(max = 255) int protocol, @ForAll @IntRange(max = 0xFFFF) int l4Length) {
        ByteBuffer ip = ByteBuffer.allocate(20).putInt(12, source).putInt(16, destination);
        assertThat(InternetChecksum.pseudoHeaderSum(ip, 0, false, protocol, l4Length))
            .isEqualTo(InternetChecksum.fold(InternetChecksum.pseudoHeaderIpv4(source, destination, protocol,
                l4Length)));
    }

    @Property
    void pseudoHeaderSumReadsTheAddressesTheIpv6FormTakes(@ForAll long sourceHigh, @ForAll long sourceLow,
            @ForAll long destinationHigh, @ForAll long destinationLow,
            @ForAll @IntRange(max = 255) int protocol, @ForAll @IntRange(max = 0xFFFF) int l4Length) {
        ByteBuffer ip = ByteBuffer.allocate(40).putLong(8, sourceHigh).putLong(16, sourceLow)
            .putLong(24, destinationHigh).putLong(32, destinationLow);
        assertThat(InternetChecksum.pseudoHeaderSum(ip, 0, true, protocol, l4Length))
            .isEqualTo(InternetChecksum.fold(InternetChecksum.pseudoHeaderIpv6(sourceHigh, sourceLow,
                destinationHigh, destinationLow, protocol, l4Length)));
    }

    /** Byte-by-byte reference: big-endian words added to {@code initial}, folded with end-around carry. */
    private static int reference(byte[] p, int offset, int length, long initial) {
        long s = initial;
        for (int i = 0; i < length; i += 2) {
            int hi = p[offset + i] & 0xFF;
            int lo = i + 1 < length ? p[offset + i + 1] & 0xFF : 0;
            s += hi << 8 | lo;
        }
        while (s >>> 16 != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) s;
    }
}

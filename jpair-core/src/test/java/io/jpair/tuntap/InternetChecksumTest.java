package io.jpair.tuntap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class InternetChecksumTest {
    @Test
    void sumsTheRfc1071Example() {
        // RFC 1071 section 3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2.
        ByteBuffer data = ByteBuffer.wrap(new byte[] {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5,
            (byte) 0xf6, (byte) 0xf7});
        assertThat(InternetChecksum.sum(data, 0, 8, 0)).isEqualTo(0xddf2);
        assertThat(InternetChecksum.finish(0xddf2)).isEqualTo(0x220d);
    }

    @Test
    void aValidIpv4HeaderVerifies() {
        byte[] packet = OffloadPackets.udp(false, 1, 2, new byte[3]);
        assertThat(InternetChecksum.verifies(ByteBuffer.wrap(packet), 0, 20, 0)).isTrue();
        packet[8]--;
        assertThat(InternetChecksum.verifies(ByteBuffer.wrap(packet), 0, 20, 0)).isFalse();
    }

    @Property
    void equalsTheByteWiseReferenceForAnyOffsetLengthAndByteOrder(@ForAll @Size(max = 300) byte[] data,
            @ForAll @IntRange(max = 7) int skip, @ForAll @IntRange(max = 0xFFFF) int initial,
            @ForAll boolean littleEndian) {
        int offset = Math.min(skip, data.length);
        int length = data.length - offset;
        ByteBuffer buffer = ByteBuffer.allocateDirect(data.length).put(0, data)
            .order(littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        int expected = OffloadPackets.sum(data, offset, length, initial);
        int actual = InternetChecksum.sum(buffer, offset, length, initial);
        // 0 and 0xFFFF are the same value in ones' complement.
        assertThat(actual % 0xFFFF).isEqualTo(expected % 0xFFFF);
    }
}

package io.jpair.ethernet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class MacAddressTest {
    @Test
    void parseAndFormatRoundTrip() {
        MacAddress mac = MacAddress.parse("02:00:5E:10:00:01");
        assertThat(mac.value()).isEqualTo(0x02005E100001L);
        assertThat(mac).hasToString("02:00:5e:10:00:01");
        assertThat(MacAddress.of(mac.bytes())).isEqualTo(mac);
    }

    @Test
    void parseRejectsMalformedTextWithTheText() {
        assertThatThrownBy(() -> MacAddress.parse("02:00:5e:10:00")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("'02:00:5e:10:00'");
        assertThatThrownBy(() -> MacAddress.parse("02:00:5e:10:00:zz")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void longFormIsReadAndWrittenInNetworkOrderWhateverTheBufferOrder() {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        MacAddress.put(b, 1, 0x0102_0304_0506L);
        assertThat(b.get(1)).isEqualTo((byte) 1);
        assertThat(b.get(6)).isEqualTo((byte) 6);
        assertThat(MacAddress.get(b, 1)).isEqualTo(0x0102_0304_0506L);
    }

    @Test
    void randomLocalIsUnicastAndLocallyAdministered() {
        long v = MacAddress.randomLocal().value();
        assertThat(MacAddress.isGroup(v)).isFalse();
        assertThat(v >>> 40 & 0x02).isEqualTo(2);
    }

    @Test
    void multicastMappings() {
        assertThat(MacAddress.format(MacAddress.ipv6Multicast(0x0000_0001_FF00_0002L))).isEqualTo("33:33:ff:00:00:02");
        assertThat(MacAddress.format(MacAddress.ipv4Multicast(0xE000_00FB))).isEqualTo("01:00:5e:00:00:fb");
        assertThat(MacAddress.isGroup(MacAddress.BROADCAST_VALUE)).isTrue();
    }
}

package io.jpair.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RtAttrTest {
    private final RtAttr attribute = new RtAttr();

    @BeforeEach
    void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);
    }

    private List<Integer> types(ByteBuffer buffer, int start, int end) {
        List<Integer> types = new ArrayList<>();
        for (boolean more = attribute.first(buffer, start, end); more; more = attribute.next()) {
            types.add(attribute.type());
        }
        return types;
    }

    @Test
    void walksAttributesAcrossTheirPadding() {
        // IFLA_IFNAME "jn10\0" (9 bytes + 3 padding), IFLA_MTU 1500
        ByteBuffer buffer = Hex.buffer("0900 0300 6a6e313000 000000 0800 0400 dc050000");
        assertThat(types(buffer, 0, 20)).containsExactly(IfInfoMsg.IFLA_IFNAME, IfInfoMsg.IFLA_MTU);
        attribute.first(buffer, 0, 20);
        assertThat(attribute.getString()).isEqualTo("jn10");
        attribute.next();
        assertThat(attribute.getInt()).isEqualTo(1500);
    }

    @Test
    void typeDropsTheNestedAndByteOrderFlags() {
        ByteBuffer buffer = Hex.buffer("0400 1a80");
        attribute.first(buffer, 0, 4);
        assertThat(attribute.type()).isEqualTo(26);
    }

    @Test
    void stopsAtALengthBelowTheHeader() {
        ByteBuffer buffer = Hex.buffer("0800 0400 dc050000 0200 0300 0000");
        assertThat(types(buffer, 0, 14)).containsExactly(IfInfoMsg.IFLA_MTU);
    }

    @Test
    void stopsAtALengthPastTheEnd() {
        ByteBuffer buffer = Hex.buffer("0800 0400 dc050000 4000 0300 6a6e3000");
        assertThat(types(buffer, 0, 16)).containsExactly(IfInfoMsg.IFLA_MTU);
    }

    @Test
    void stopsAtATruncatedHeader() {
        ByteBuffer buffer = Hex.buffer("0800 0400 dc050000 0800");
        assertThat(types(buffer, 0, 10)).containsExactly(IfInfoMsg.IFLA_MTU);
    }

    @Test
    void shortPayloadReadsAsMinusOne() {
        ByteBuffer buffer = Hex.buffer("0600 0400 dc05 0000");
        attribute.first(buffer, 0, 8);
        assertThat(attribute.getInt()).isEqualTo(-1);
    }

    @Test
    void stringWithoutNulEndsWithThePayload() {
        ByteBuffer buffer = Hex.buffer("0700 0300 6a6e30 00");
        attribute.first(buffer, 0, 8);
        assertThat(attribute.getString()).isEqualTo("jn0");
    }
}

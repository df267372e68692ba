package io.jpair.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class NlMsgHdrTest {
    @Test
    void readsEveryFieldInHostOrderWhateverTheBufferOrder() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);
        ByteBuffer buffer = Hex.buffer("24000000 1000 0200 2a000000 39300000").order(ByteOrder.BIG_ENDIAN);
        NlMsgHdr header = new NlMsgHdr().wrap(buffer, 0);
        assertThat(header.length()).isEqualTo(36);
        assertThat(header.type()).isEqualTo(RtmType.RTM_NEWLINK);
        assertThat(header.flags()).isEqualTo(NlMsgHdr.NLM_F_MULTI);
        assertThat(header.sequence()).isEqualTo(42);
        assertThat(header.portId()).isEqualTo(12345);
        assertThat(header.payloadOffset()).isEqualTo(16);
    }

    @Test
    void settersWriteWhatGettersRead() {
        ByteBuffer buffer = ByteBuffer.allocate(32);
        NlMsgHdr header = new NlMsgHdr().wrap(buffer, 8)
            .length(20).type(0xffff).flags(0x8001).sequence(-1).portId(7);
        assertThat(header.length()).isEqualTo(20);
        assertThat(header.type()).isEqualTo(0xffff);
        assertThat(header.flags()).isEqualTo(0x8001);
        assertThat(header.sequence()).isEqualTo(-1);
        assertThat(header.portId()).isEqualTo(7);
        assertThat(buffer.get(0)).isZero();
    }

    @Test
    void alignRoundsUpToFourBytes() {
        assertThat(NlMsgHdr.align(0)).isZero();
        assertThat(NlMsgHdr.align(1)).isEqualTo(4);
        assertThat(NlMsgHdr.align(4)).isEqualTo(4);
        assertThat(NlMsgHdr.align(17)).isEqualTo(20);
    }

    @Test
    void isValidRejectsAHeaderThatDoesNotFit() {
        ByteBuffer buffer = ByteBuffer.allocate(64);
        new NlMsgHdr().wrap(buffer, 0).length(16);
        assertThat(NlMsgHdr.isValid(buffer, 0, 16)).isTrue();
        assertThat(NlMsgHdr.isValid(buffer, 0, 15)).isFalse();
    }

    @Test
    void isValidRejectsALengthBelowTheHeaderOrPastTheEnd() {
        ByteBuffer buffer = ByteBuffer.allocate(64);
        NlMsgHdr header = new NlMsgHdr().wrap(buffer, 0);
        header.length(0);
        assertThat(NlMsgHdr.isValid(buffer, 0, 64)).isFalse();
        header.length(15);
        assertThat(NlMsgHdr.isValid(buffer, 0, 64)).isFalse();
        header.length(65);
        assertThat(NlMsgHdr.isValid(buffer, 0, 64)).isFalse();
        header.length(-16);
        assertThat(NlMsgHdr.isValid(buffer, 0, 64)).isFalse();
    }
}

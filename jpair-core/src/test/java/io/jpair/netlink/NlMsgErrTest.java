package io.jpair.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NlMsgErrTest {
    @BeforeEach
    void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void acknowledgementHasErrorZero() {
        // NLMSG_ERROR, capped, error 0, echoed RTM_NEWLINK header with seq 7
        ByteBuffer buffer = Hex.buffer("24000000 0200 0001 07000000 39300000"
            + " 00000000 28000000 1000 0500 07000000 00000000");
        assertThat(NlMsgErr.error(buffer, 16)).isZero();
        assertThat(NlMsgErr.requestSequence(buffer, 16)).isEqualTo(7);
        assertThat(NlMsgErr.message(buffer, 0)).isNull();
    }

    @Test
    void cappedErrorCarriesTheKernelsMessage() {
        // NLMSG_ERROR, NLM_F_CAPPED|NLM_F_ACK_TLVS, error -EINVAL, echoed header,
        // NLMSGERR_ATTR_MSG "bad mtu\0"
        ByteBuffer buffer = Hex.buffer("30000000 0200 0003 07000000 39300000"
            + " eaffffff 28000000 1000 0500 07000000 00000000"
            + " 0c00 0100 626164206d747500");
        assertThat(NlMsgErr.error(buffer, 16)).isEqualTo(-22);
        assertThat(NlMsgErr.attributesOffset(buffer, 0)).isEqualTo(36);
        assertThat(NlMsgErr.message(buffer, 0)).isEqualTo("bad mtu");
    }

    @Test
    void uncappedErrorSkipsTheWholeEchoedRequest() {
        // echoed request is 20 bytes (header + 4-byte body), then the message attribute
        ByteBuffer buffer = Hex.buffer("30000000 0200 0002 07000000 39300000"
            + " eaffffff 14000000 1000 0500 07000000 00000000 01020304"
            + " 0800 0100 6f6f7000");
        assertThat(NlMsgErr.attributesOffset(buffer, 0)).isEqualTo(40);
        assertThat(NlMsgErr.message(buffer, 0)).isEqualTo("oop");
    }

    @Test
    void echoedLengthPastTheMessageMeansNoAttributes() {
        ByteBuffer buffer = Hex.buffer("30000000 0200 0002 07000000 39300000"
            + " eaffffff ff000000 1000 0500 07000000 00000000"
            + " 0c00 0100 626164206d747500");
        assertThat(NlMsgErr.attributesOffset(buffer, 0)).isEqualTo(-1);
        assertThat(NlMsgErr.message(buffer, 0)).isNull();
    }
}

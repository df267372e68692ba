package io.jpair.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class LinkMessageTest {
    private final LinkMessage decoder = new LinkMessage();

    @Test
    void decodesIndexFlagsNameMtuAndLimits() {
        byte[] message = KernelMessages.newLink(5, "jn0", IfInfoMsg.IFF_UP | IfInfoMsg.IFF_NOARP, 1400);
        assertThat(decoder.decode(KernelMessages.datagram(message), 0)).isTrue();
        assertThat(decoder.index).isEqualTo(5);
        assertThat(decoder.name).isEqualTo("jn0");
        assertThat(decoder.flags).isEqualTo(IfInfoMsg.IFF_UP | IfInfoMsg.IFF_NOARP);
        assertThat(decoder.mtu).isEqualTo(1400);
        assertThat(decoder.minMtu).isEqualTo(68);
        assertThat(decoder.maxMtu).isEqualTo(65535);
    }

    @Test
    void bodyShorterThanIfInfoMsgIsRejected() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(64);
        new NlMsgHdr().wrap(buffer, 0).length(NlMsgHdr.LENGTH + 8).type(RtmType.RTM_NEWLINK);
        assertThat(decoder.decode(buffer, 0)).isFalse();
    }

    @Test
    void missingNameFallsBackToTheIndex() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(64);
        new NlMsgHdr().wrap(buffer, 0).length(NlMsgHdr.LENGTH + IfInfoMsg.LENGTH).type(RtmType.RTM_NEWLINK);
        new IfInfoMsg().wrap(buffer, NlMsgHdr.LENGTH).index(9);
        assertThat(decoder.decode(buffer, 0)).isTrue();
        assertThat(decoder.name).isEqualTo("if9");
        assertThat(decoder.mtu).isZero();
    }
}

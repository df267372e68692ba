package io.jpair.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class AddressMessageTest {
    private final AddressMessage decoder = new AddressMessage();

    @Test
    void prefersTheLocalAddressOverThePeer() {
        byte[] message = KernelMessages.address(3, IfAddrMsg.AF_INET, 32,
            Hex.bytes("0a070001"), Hex.bytes("0a070002"));
        assertThat(decoder.decode(KernelMessages.datagram(message), 0)).isTrue();
        assertThat(decoder.index).isEqualTo(3);
        assertThat(decoder.address).isEqualTo(LinkAddress.parse("10.7.0.1/32"));
    }

    @Test
    void ipv6AddressComesFromIfaAddress() {
        byte[] message = KernelMessages.address(3, IfAddrMsg.AF_INET6, 64,
            null, Hex.bytes("fd000000000000000000000000000001"));
        assertThat(decoder.decode(KernelMessages.datagram(message), 0)).isTrue();
        assertThat(decoder.address).isEqualTo(LinkAddress.parse("fd00::1/64"));
    }

    @Test
    void addressOfTheWrongSizeIsRejected() {
        byte[] message = KernelMessages.address(3, IfAddrMsg.AF_INET6, 64, Hex.bytes("0a070001"), null);
        assertThat(decoder.decode(KernelMessages.datagram(message), 0)).isFalse();
    }

    @Test
    void prefixLongerThanTheFamilyIsRejected() {
        byte[] message = KernelMessages.address(3, IfAddrMsg.AF_INET, 33, Hex.bytes("0a070001"), null);
        assertThat(decoder.decode(KernelMessages.datagram(message), 0)).isFalse();
    }

    @Test
    void otherFamiliesAreRejected() {
        byte[] message = KernelMessages.address(3, 17, 0, Hex.bytes("0a070001"), null);
        assertThat(decoder.decode(KernelMessages.datagram(message), 0)).isFalse();
    }

    @Test
    void truncatedBodyIsRejected() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(32);
        new NlMsgHdr().wrap(buffer, 0).length(NlMsgHdr.LENGTH + 4).type(RtmType.RTM_NEWADDR);
        assertThat(decoder.decode(buffer, 0)).isFalse();
    }
}

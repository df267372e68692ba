package io.jpair.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class LinkAddressTest {
    @Test
    void parsesIpv4AndIpv6WithPrefix() throws Exception {
        assertThat(LinkAddress.parse("10.7.0.1/24"))
            .isEqualTo(new LinkAddress(InetAddress.getByName("10.7.0.1"), 24));
        assertThat(LinkAddress.parse("fd00::1/64").isIpv6()).isTrue();
    }

    @Test
    void printsAsAddressSlashPrefix() {
        assertThat(LinkAddress.parse("fd00:0::1/64")).hasToString("fd00:0:0:0:0:0:0:1/64");
        assertThat(LinkAddress.parse("10.7.0.1/24")).hasToString("10.7.0.1/24");
    }

    @Test
    void prefixLongerThanTheFamilyAllowsIsRefused() {
        assertThatThrownBy(() -> LinkAddress.parse("10.7.0.1/33"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..32");
        assertThatThrownBy(() -> LinkAddress.parse("fd00::1/129"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..128");
    }

    @Test
    void hostNamesAreNotResolved() {
        assertThatThrownBy(() -> LinkAddress.parse("example.org/24"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("numeric");
    }

    @Test
    void missingPrefixIsRefused() {
        assertThatThrownBy(() -> LinkAddress.parse("10.7.0.1"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("address/prefix");
    }
}

package io.jpair.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpair.tuntap.TunnelFlags;
import org.junit.jupiter.api.Test;

class LinkTypeTest {
    @Test
    void tunDevicesCaptureRawIp() {
        assertThat(LinkType.forDevice(TunnelFlags.IFF_TUN)).isEqualTo(LinkType.RAW);
        assertThat(LinkType.RAW.value()).isEqualTo(101);
    }

    @Test
    void tapDevicesCaptureEthernet() {
        assertThat(LinkType.forDevice(TunnelFlags.IFF_TAP.or(TunnelFlags.IFF_NO_PI))).isEqualTo(LinkType.ETHERNET);
        assertThat(LinkType.ETHERNET.value()).isEqualTo(1);
    }

    @Test
    void flagsWithoutAModeAreRejected() {
        assertThatThrownBy(() -> LinkType.forDevice(TunnelFlags.IFF_NO_PI))
            .isInstanceOf(IllegalArgumentException.class);
    }
}

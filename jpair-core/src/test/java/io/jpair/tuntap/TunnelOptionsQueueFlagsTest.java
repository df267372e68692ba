package io.jpair.tuntap;

import io.jpair.tuntap.offload.OffloadOptions;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TunnelOptionsQueueFlagsTest {
    @Test
    void withMultiQueueAddsAndRemovesOnlyThatFlag() {
        TunnelOptions options = TunnelOptions.defaults().withExtraFlags(TunnelFlags.IFF_NO_CARRIER).withMultiQueue(true);
        assertThat(options.extraFlags()).isEqualTo(TunnelFlags.IFF_NO_CARRIER.or(TunnelFlags.IFF_MULTI_QUEUE));
        assertThat(options.withMultiQueue(false).extraFlags()).isEqualTo(TunnelFlags.IFF_NO_CARRIER);
    }

    @Test
    void withVnetHeaderAddsAndRemovesOnlyThatFlag() {
        TunnelOptions options = TunnelOptions.defaults().withMultiQueue(true).withVnetHeader(true);
        assertThat(options.extraFlags()).isEqualTo(TunnelFlags.IFF_MULTI_QUEUE.or(TunnelFlags.IFF_VNET_HDR));
        assertThat(options.withVnetHeader(false).extraFlags()).isEqualTo(TunnelFlags.IFF_MULTI_QUEUE);
        assertThat(TunnelOptions.defaults().withVnetHeader(false)).isEqualTo(TunnelOptions.defaults());
    }

    @Test
    void offloadOptionsSwitchEachDirection() {
        assertThat(OffloadOptions.enabled().withRxOffload(false).withTxOffload(false).any()).isFalse();
        assertThat(OffloadOptions.disabled().withTxOffload(true)).isEqualTo(new OffloadOptions(false, true, false));
        assertThat(OffloadOptions.enabled().withUdp(false).udp()).isFalse();
    }
}

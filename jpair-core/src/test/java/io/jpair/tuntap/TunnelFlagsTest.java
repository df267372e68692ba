package io.jpair.tuntap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TunnelFlagsTest {
    @Test
    void valuesAreTheKernels() {
        assertThat(TunnelFlags.IFF_TUN.value()).isEqualTo(0x0001);
        assertThat(TunnelFlags.IFF_TAP.value()).isEqualTo(0x0002);
        assertThat(TunnelFlags.IFF_NAPI.value()).isEqualTo(0x0010);
        assertThat(TunnelFlags.IFF_MULTI_QUEUE.value()).isEqualTo(0x0100);
        assertThat(TunnelFlags.IFF_NO_PI.value()).isEqualTo(0x1000);
        assertThat(TunnelFlags.IFF_VNET_HDR.value()).isEqualTo(0x4000);
        assertThat(TunnelFlags.IFF_TUN_EXCL.value()).isEqualTo(0x8000);
    }

    @Test
    void aSingleFlagRendersAsItsName() {
        assertThat(TunnelFlags.IFF_TUN.name()).isEqualTo("IFF_TUN");
        assertThat(TunnelFlags.IFF_TUN.or(TunnelFlags.IFF_TUN).name()).isEqualTo("IFF_TUN");
    }

    @Test
    void severalFlagsRenderSortedInBraces() {
        assertThat(TunnelFlags.IFF_TUN.or(TunnelFlags.IFF_NO_PI).name()).isEqualTo("{IFF_NO_PI,IFF_TUN}");
    }

    @Test
    void noFlagsRenderAsEmptyBracesAndAreEmpty() {
        TunnelFlags none = TunnelFlags.IFF_TUN.and(TunnelFlags.IFF_TAP);
        assertThat(none.name()).isEqualTo("{}");
        assertThat(none.isEmpty()).isTrue();
    }

    @Test
    void xorTogglesFlags() {
        assertThat(TunnelFlags.IFF_TUN.or(TunnelFlags.IFF_NO_PI).xor(TunnelFlags.IFF_NO_PI)).isEqualTo(TunnelFlags.IFF_TUN);
    }

    @Test
    void equalityIsByValue() {
        assertThat(TunnelFlags.IFF_TUN.or(TunnelFlags.IFF_TUN)).isEqualTo(TunnelFlags.IFF_TUN)
            .hasSameHashCodeAs(TunnelFlags.IFF_TUN);
        assertThat(TunnelFlags.of(0x1001)).isEqualTo(TunnelFlags.IFF_TUN.or(TunnelFlags.IFF_NO_PI));
    }

    @Test
    void containsTestsEveryBit() {
        TunnelFlags flags = TunnelFlags.IFF_TAP.or(TunnelFlags.IFF_NO_PI);
        assertThat(flags.contains(TunnelFlags.IFF_TAP)).isTrue();
        assertThat(flags.contains(TunnelFlags.IFF_TUN)).isFalse();
    }

    @Test
    void unknownBitsAreRejected() {
        assertThatThrownBy(() -> TunnelFlags.of(0x0004)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("0x4");
    }
}

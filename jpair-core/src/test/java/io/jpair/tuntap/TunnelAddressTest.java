package io.jpair.tuntap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Twisted's TunnelAddressTests and TunnelAddressEqualityTests. */
class TunnelAddressTest {
    private final TunnelAddress first = new TunnelAddress(TunnelFlags.IFF_TUN, "device");
    private final TunnelAddress second = new TunnelAddress(TunnelFlags.IFF_TUN.or(TunnelFlags.IFF_TUN), "device");

    @Test
    void reprNamesTypeAndDevice() {
        assertThat(first).hasToString("<TunnelAddress type=IFF_TUN name='device'>");
    }

    @Test
    void comparesEqualToItself() {
        assertThat(first).isEqualTo(first);
    }

    @Test
    void comparesEqualWithTheSameTypeValueAndName() {
        assertThat(first).isEqualTo(second).hasSameHashCodeAs(second);
    }

    @Test
    void differentTypeComparesNotEqual() {
        assertThat(first).isNotEqualTo(new TunnelAddress(TunnelFlags.IFF_TAP, "device"));
    }

    @Test
    void differentNameComparesNotEqual() {
        assertThat(first).isNotEqualTo(new TunnelAddress(TunnelFlags.IFF_TUN, "tun1"));
    }

    @Test
    void differentClassComparesNotEqual() {
        assertThat((Object) first).isNotEqualTo("device");
    }

    @Test
    void isHashableUnlikeTwisted() {
        assertThat(java.util.Set.of(first, new TunnelAddress(TunnelFlags.IFF_TAP, "tap1"))).contains(second);
    }
}

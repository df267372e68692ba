package io.jpair.tuntap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpair.errno.ErrnoException;
import io.jpair.testing.MemoryIOSystem;
import org.junit.jupiter.api.Test;

class TunnelFeaturesTest {
    @Test
    void probeReportsTheDriversFlagsAndClosesItsFd() throws Exception {
        MemoryIOSystem system = new MemoryIOSystem();
        TunnelFlags features = TunnelFeatures.probe(system);
        assertThat(features.contains(TunnelFlags.IFF_TUN.or(TunnelFlags.IFF_TAP).or(TunnelFlags.IFF_NO_PI))).isTrue();
        assertThat(system.openFiles()).isEmpty();
    }

    @Test
    void probeReportsAnUnopenableDevice() {
        MemoryIOSystem system = new MemoryIOSystem();
        system.permissions().remove("open");
        assertThatThrownBy(() -> TunnelFeatures.probe(system)).isInstanceOf(ErrnoException.class)
            .hasMessage("/dev/net/tun: open: EPERM (Operation not permitted)");
    }
}

package io.jpair.ip;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.testing.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link PathMtuCache}: lowers only, floors at Linux's minimums, expires, stays bounded. */
class PathMtuCacheTest {
    private final ManualClock clock = new ManualClock();
    private final PathMtuCache cache = new PathMtuCache(clock);
    private final int peer = Ipv4Header.parse("10.77.0.1");

    @Test
    void anUnknownDestinationHasNoPathMtu() {
        assertThat(cache.ipv4(peer)).isZero();
        assertThat(cache.ipv6(0xFD00_0077_0000_0000L, 1)).isZero();
    }

    @Test
    void aReportLowersThePathMtu() {
        assertThat(cache.lowerIpv4(peer, 1400)).isTrue();
        assertThat(cache.ipv4(peer)).isEqualTo(1400);
    }

    @Test
    void aLargerReportIsIgnored() {
        cache.lowerIpv4(peer, 1200);
        assertThat(cache.lowerIpv4(peer, 1400)).isFalse();
        assertThat(cache.ipv4(peer)).isEqualTo(1200);
    }

    @Test
    void ipv4NeverGoesBelowLinuxsMinPmtu() {
        cache.lowerIpv4(peer, 68);
        assertThat(cache.ipv4(peer)).isEqualTo(PathMtuCache.IPV4_MIN_MTU);
    }

    @Test
    void ipv6NeverGoesBelow1280() {
        cache.lowerIpv6(0xFD00_0077_0000_0000L, 1, 600);
        assertThat(cache.ipv6(0xFD00_0077_0000_0000L, 1)).isEqualTo(1280);
    }

    @Test
    void anEntryExpiresAfterTenMinutes() {
        cache.lowerIpv4(peer, 1400);
        clock.advance(Duration.ofMinutes(10).minusSeconds(1));
        assertThat(cache.ipv4(peer)).isEqualTo(1400);
        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.ipv4(peer)).isZero();
        assertThat(cache.size()).isZero();
    }

    @Test
    void theTableStaysWithinItsCapacity() {
        PathMtuCache small = new PathMtuCache(clock, 16, Duration.ofMinutes(10));
        for (int i = 0; i < 1000; i++) {
            small.lowerIpv4(peer + i, 1400);
        }
        assertThat(small.size()).isLessThanOrEqualTo(16);
        assertThat(small.ipv4(peer + 999)).as("the newest is kept").isEqualTo(1400);
    }
}

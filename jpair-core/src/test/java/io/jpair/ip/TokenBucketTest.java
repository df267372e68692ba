package io.jpair.ip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The ICMP rate limit: a burst at once, then the sustained rate, on a clock moved by hand. */
class TokenBucketTest {
    private static final long MS = 1_000_000L;

    private static int takes(TokenBucket bucket, long now, int attempts) {
        int taken = 0;
        for (int i = 0; i < attempts; i++) {
            if (bucket.tryTake(now)) {
                taken++;
            }
        }
        return taken;
    }

    @Test
    void allowsTheBurstAtOnceThenRefuses() {
        assertThat(takes(new TokenBucket(1000, 50), 5 * MS, 200)).isEqualTo(50);
    }

    @Test
    void refillsAtTheSustainedRate() {
        TokenBucket bucket = new TokenBucket(1000, 50);
        takes(bucket, 0, 200);
        assertThat(takes(bucket, 10 * MS, 200)).isEqualTo(10);
        assertThat(takes(bucket, 10 * MS, 200)).isZero();
    }

    @Test
    void neverHoldsMoreThanTheBurstHoweverLongItRested() {
        TokenBucket bucket = new TokenBucket(1000, 50);
        takes(bucket, 0, 200);
        assertThat(takes(bucket, 3_600_000 * MS, 200)).isEqualTo(50);
    }

    @Test
    void worksAcrossNegativeClockValues() {
        TokenBucket bucket = new TokenBucket(10, 2);
        assertThat(takes(bucket, Long.MIN_VALUE + 1, 5)).isEqualTo(2);
        assertThat(takes(bucket, Long.MIN_VALUE + 1 + 100 * MS, 5)).isEqualTo(1);
    }

    @Test
    void unlimitedNeverRefuses() {
        assertThat(takes(TokenBucket.unlimited(), 0, 100_000)).isEqualTo(100_000);
        assertThat(new TokenBucket(0, 0).perSecond()).isZero();
    }

    @Test
    void defaultsAreLinuxs() {
        assertThat(TokenBucket.defaults()).hasToString("TokenBucket[1000/s, burst 50]");
    }

    @Test
    void aLimitedBucketNeedsABurstOfAtLeastOne() {
        assertThatThrownBy(() -> new TokenBucket(10, 0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("burst");
    }
}

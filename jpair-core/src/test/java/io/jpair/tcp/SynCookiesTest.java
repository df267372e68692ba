package io.jpair.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** SYN cookies: the MSS survives the round trip, forged or aged cookies do not. */
class SynCookiesTest {
    private static final int LOCAL = 0x0a000002;
    private static final int REMOTE = 0x0a000001;
    private static final long MINUTE = SynCookies.TICK_NANOS;

    private final SynCookies cookies = new SynCookies(1, 2, 3, 4);

    @Test
    void encodesTheLargestTableMssNotAboveTheClients() {
        assertThat(SynCookies.mssIndex(1460, SynCookies.MSS_V4)).isEqualTo(3);
        assertThat(SynCookies.mssIndex(1400, SynCookies.MSS_V4)).isEqualTo(1);
        assertThat(SynCookies.mssIndex(9000, SynCookies.MSS_V4)).isEqualTo(3);
        assertThat(SynCookies.mssIndex(100, SynCookies.MSS_V4)).as("Linux's floor").isZero();
        assertThat(SynCookies.mssIndex(1220, SynCookies.MSS_V6)).isZero();
        assertThat(SynCookies.mssIndex(8960, SynCookies.MSS_V6)).isEqualTo(3);
    }

    @Test
    void theFinalAckRecoversTheMss() {
        int cookie = cookies.cookieV4(LOCAL, 80, REMOTE, 40000, 777, 1460, 5 * MINUTE);
        assertThat(cookies.mssV4(LOCAL, 80, REMOTE, 40000, 777, cookie, 5 * MINUTE + 1)).isEqualTo(1460);
    }

    @Test
    void aCookieFromThePreviousTickIsStillValid() {
        int cookie = cookies.cookieV4(LOCAL, 80, REMOTE, 40000, 777, 1300, 5 * MINUTE + MINUTE - 1);
        assertThat(cookies.mssV4(LOCAL, 80, REMOTE, 40000, 777, cookie, 6 * MINUTE + MINUTE - 1)).isEqualTo(1300);
    }

    @Test
    void aCookieTwoTicksOldIsRejected() {
        int cookie = cookies.cookieV4(LOCAL, 80, REMOTE, 40000, 777, 1460, 5 * MINUTE);
        assertThat(cookies.mssV4(LOCAL, 80, REMOTE, 40000, 777, cookie, 7 * MINUTE)).isZero();
    }

    @Test
    void aCookieFromTheFutureIsRejected() {
        int cookie = cookies.cookieV4(LOCAL, 80, REMOTE, 40000, 777, 1460, 6 * MINUTE);
        assertThat(cookies.mssV4(LOCAL, 80, REMOTE, 40000, 777, cookie, 5 * MINUTE)).isZero();
    }

    @Test
    void anAckFromAnotherTupleOrClientIsnIsRejected() {
        int cookie = cookies.cookieV4(LOCAL, 80, REMOTE, 40000, 777, 1460, 0);
        assertThat(cookies.mssV4(LOCAL, 80, REMOTE, 40001, 777, cookie, 0)).isZero();
        assertThat(cookies.mssV4(LOCAL, 80, REMOTE, 40000, 777 + 1000, cookie, 0)).isZero();
        assertThat(new SynCookies(1, 2, 3, 5).mssV4(LOCAL, 80, REMOTE, 40000, 777, cookie, 0)).isZero();
    }

    @Test
    void ipv6CookiesRoundTrip() {
        int cookie = cookies.cookieV6(0xfd00L << 48, 2, 443, 0xfd00L << 48, 1, 50000, -5, 1440, 0);
        assertThat(cookies.mssV6(0xfd00L << 48, 2, 443, 0xfd00L << 48, 1, 50000, -5, cookie, MINUTE)).isEqualTo(1440);
        assertThat(cookies.mssV6(0xfd00L << 48, 3, 443, 0xfd00L << 48, 1, 50000, -5, cookie, MINUTE)).isZero();
    }

    @Property
    void roundTripsWithinTwoTicks(@ForAll long k0, @ForAll long k1, @ForAll int local, @ForAll int remote,
            @ForAll @IntRange(max = 65535) int localPort, @ForAll @IntRange(max = 65535) int remotePort,
            @ForAll int clientIsn, @ForAll @IntRange(min = 1, max = 65535) int mss,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long now, @ForAll @LongRange(min = 0, max = 2 * 60_000_000_000L) long later) {
        SynCookies keyed = new SynCookies(k0, k1, k1, k0);
        int cookie = keyed.cookieV4(local, localPort, remote, remotePort, clientIsn, mss, now);
        int expected = SynCookies.MSS_V4[SynCookies.mssIndex(mss, SynCookies.MSS_V4)];
        long checked = now + later;
        boolean fresh = checked / MINUTE - now / MINUTE < SynCookies.MAX_AGE_TICKS;
        assertThat(keyed.mssV4(local, localPort, remote, remotePort, clientIsn, cookie, checked)).isEqualTo(fresh ? expected : 0);
    }

    @Property(tries = 2000)
    void rejectsTamperedCookies(@ForAll int clientIsn, @ForAll @IntRange(min = 2, max = 31) int bit,
            @ForAll @LongRange(min = 0, max = 1L << 50) long now) {
        int cookie = cookies.cookieV4(LOCAL, 80, REMOTE, 40000, clientIsn, 1460, now);
        assertThat(cookies.mssV4(LOCAL, 80, REMOTE, 40000, clientIsn, cookie ^ (1 << bit), now)).isZero();
    }
}

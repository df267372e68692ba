package io.jpair.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** {@link Route}: the value {@code RtNetlink.addRoute} takes. */
class RouteTest {
    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void toStartsInTheMainTableWithMetricZero() throws Exception {
        Route route = Route.to(ip("10.20.0.0"), 16);
        assertThat(route.table()).isEqualTo(RtMsg.RT_TABLE_MAIN);
        assertThat(route.metric()).isZero();
        assertThat(route.gateway()).isNull();
        assertThat(route.device()).isNull();
    }

    @Test
    void hostBitsOfTheDestinationAreCleared() throws Exception {
        assertThat(Route.to(ip("10.20.3.4"), 16).destination()).isEqualTo(new LinkAddress(ip("10.20.0.0"), 16));
    }

    @Test
    void toStringReadsLikeIpRoute() throws Exception {
        assertThat(Route.to(ip("0.0.0.0"), 0).via(ip("10.9.0.1")).dev("jv0").table(100).metric(5))
            .hasToString("default via 10.9.0.1 dev jv0 table 100 metric 5");
        assertThat(Route.to(ip("10.20.0.0"), 16).dev("jv0")).hasToString("10.20.0.0/16 dev jv0");
    }

    @Test
    void aGatewayOfTheOtherFamilyIsRefused() {
        assertThatThrownBy(() -> Route.to(ip("10.20.0.0"), 16).via(ip("fe80::1")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("route 10.20.0.0/16: gateway fe80:0:0:0:0:0:0:1 is not of the destination's address family");
    }

    @Test
    void tableZeroAndNegativeMetricsAreRefused() {
        assertThatThrownBy(() -> Route.to(ip("10.20.0.0"), 16).table(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Route.to(ip("10.20.0.0"), 16).metric(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tablesAboveTwoToTheThirtyOneAreUnsigned() throws Exception {
        assertThat(Route.to(ip("10.20.0.0"), 16).dev("jv0").table(-2)).hasToString("10.20.0.0/16 dev jv0 table 4294967294");
    }
}

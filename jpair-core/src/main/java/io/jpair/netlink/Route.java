package io.jpair.netlink;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A route as {@link RtNetlink#addRoute(Route)} adds it: a destination prefix, an optional gateway,
 * an optional output link, a table and a metric, like
 * {@code ip route add DESTINATION/PREFIX [via GATEWAY] [dev NAME] [table N] [metric M]}.
 *
 * <pre>{@code
 * Route.to(InetAddress.getByName("10.9.0.0"), 16)
 *     .via(InetAddress.getByName("10.0.0.1"))      // RTA_GATEWAY
 *     .dev("veth0")                                // RTA_OIF
 *     .table(100)                                  // RTA_TABLE
 *     .metric(5);                                  // RTA_PRIORITY
 * }</pre>
 *
 * <p>Host bits of the destination beyond the prefix are cleared, as {@code ip} requires. A route
 * needs a gateway, a link or both; a gateway must be of the destination's family. Immutable.
 *
 * @param destination the destination network (prefix length 0: the default route)
 * @param gateway the next hop, or {@code null} for a directly connected destination
 * @param device the output link's name, or {@code null} to let the kernel pick it from the gateway
 * @param table the routing table, 1..2<sup>32</sup>-1 as an unsigned int ({@link RtMsg#RT_TABLE_MAIN} by default)
 * @param metric the metric ({@code RTA_PRIORITY}); 0 by default, as in {@code ip}
 */
public record Route(LinkAddress destination, InetAddress gateway, String device, int table, int metric) {
    /**
     * Checks the fields and clears the destination's host bits.
     *
     * @throws IllegalArgumentException if the gateway's family differs from the destination's,
     *     the table is 0 ({@link RtMsg#RT_TABLE_UNSPEC}) or the metric is negative
     */
    public Route {
        Objects.requireNonNull(destination, "destination");
        destination = RtNetlink.network(destination.address(), destination.prefixLength());
        if (gateway != null && (gateway instanceof Inet4Address) != (destination.address() instanceof Inet4Address)) {
            throw new IllegalArgumentException("route " + destination + ": gateway " + gateway.getHostAddress()
                + " is not of the destination's address family");
        }
        if (table == RtMsg.RT_TABLE_UNSPEC) {
            throw new IllegalArgumentException("route " + destination + ": table 0 is not a table");
        }
        if (metric < 0) {
            throw new IllegalArgumentException("route " + destination + ": metric " + metric + " is negative");
        }
    }

    /**
     * A route to a prefix in the main table, metric 0, with no gateway or link yet.
     *
     * @param destination the destination network
     * @param prefixLength its prefix length (0 = default route)
     * @return the route; give it {@link #via} and/or {@link #dev} before adding it
     * @throws IllegalArgumentException if the prefix length does not fit the family
     */
    public static Route to(InetAddress destination, int prefixLength) {
        return new Route(new LinkAddress(destination, prefixLength), null, null, RtMsg.RT_TABLE_MAIN, 0);
    }

    /**
     * This route through a gateway.
     *
     * @param next the next hop
     * @return a new route
     */
    public Route via(InetAddress next) {
        return new Route(destination, Objects.requireNonNull(next, "gateway"), device, table, metric);
    }

    /**
     * This route out of a link.
     *
     * @param name the link's name
     * @return a new route
     */
    public Route dev(String name) {
        return new Route(destination, gateway, Objects.requireNonNull(name, "device"), table, metric);
    }

    /**
     * This route in another table.
     *
     * @param id the table id (an unsigned 32-bit value)
     * @return a new route
     */
    public Route table(int id) {
        return new Route(destination, gateway, device, id, metric);
    }

    /**
     * This route with another metric.
     *
     * @param value the metric
     * @return a new route
     */
    public Route metric(int value) {
        return new Route(destination, gateway, device, table, value);
    }

    /**
     * The destination's family is IPv6.
     *
     * @return true for an IPv6 route
     */
    public boolean isIpv6() {
        return destination.isIpv6();
    }

    /**
     * As {@code ip route} prints it.
     *
     * @return e.g. {@code "10.9.0.0/16 via 10.0.0.1 dev veth0 table 100 metric 5"}; the main
     *     table and metric 0 are left out
     */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(destination.prefixLength() == 0 ? "default" : destination.toString());
        if (gateway != null) {
            text.append(" via ").append(gateway.getHostAddress());
        }
        if (device != null) {
            text.append(" dev ").append(device);
        }
        if (table != RtMsg.RT_TABLE_MAIN) {
            text.append(" table ").append(Integer.toUnsignedString(table));
        }
        if (metric != 0) {
            text.append(" metric ").append(metric);
        }
        return text.toString();
    }
}

package io.jpair.metrics;

import io.jpair.host.IpHost;
import java.util.Map;

/**
 * The JMX view of an {@link IpHost}'s counters: one attribute per name of
 * {@link IpHost#counters()}, read on the host's reactor thread by an {@link IpHostCounterReader}.
 */
final class IpHostCountersBean extends ReadOnlyCounterBean {
    private final IpHostCounterReader reader;

    IpHostCountersBean(IpHostCounterReader reader) {
        super(IpHost.class.getName(), "Counters of every layer of the IP host on " + reader.interfaceName()
            + " (read on its reactor thread)", reader.names(), reader.names().stream().map(IpHostCountersBean::describe).toList());
        this.reader = reader;
    }

    /** {@code ip.drop.BAD_CHECKSUM} is "ip: packets dropped: BAD_CHECKSUM"; others name themselves. */
    private static String describe(String name) {
        int dot = name.indexOf('.');
        String layer = name.substring(0, dot);
        String rest = name.substring(dot + 1);
        return rest.startsWith("drop.") ? layer + ": packets dropped: " + rest.substring("drop.".length())
            : layer + ": " + rest;
    }

    @Override
    Map<String, Long> snapshot() {
        return reader.read();
    }
}

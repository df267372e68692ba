package io.jpair.cli;

import io.jpair.reactor.ReactorTime;
import io.jpair.services.HttpResponder;
import io.jpair.services.TcpDiscard;
import io.jpair.services.TcpEcho;
import io.jpair.services.TcpSource;
import io.jpair.stream.ProtocolFactory;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The TCP services {@code jpair host} can serve on a port, each named after its option
 * ({@code --tcp-echo}, {@code --tcp-discard}, {@code --tcp-source}, {@code --http}), with the
 * {@code io.jpair.services} protocol behind it.
 */
enum TcpService {
    ECHO("--tcp-echo", "echo"),
    DISCARD("--tcp-discard", "discard"),
    SOURCE("--tcp-source", "source"),
    HTTP("--http", "HTTP");

    private final String option;
    private final String label;

    TcpService(String option, String label) {
        this.option = option;
        this.label = label;
    }

    /**
     * The option that asks for it.
     *
     * @return e.g. {@code --tcp-echo}
     */
    String option() {
        return option;
    }

    /**
     * How the ready line names it.
     *
     * @return e.g. {@code echo}
     */
    String label() {
        return label;
    }

    /**
     * Builds the service's protocol per connection.
     *
     * @param clock the reactor's time (source bursts, HTTP timeouts and bodies)
     * @param counters the host's counters, for the HTTP status page
     * @return the factory
     */
    ProtocolFactory<?> factory(ReactorTime clock, Supplier<Map<String, Long>> counters) {
        return switch (this) {
            case ECHO -> peer -> new TcpEcho();
            case DISCARD -> peer -> new TcpDiscard();
            case SOURCE -> peer -> new TcpSource(clock);
            case HTTP -> peer -> new HttpResponder(clock, counters);
        };
    }
}

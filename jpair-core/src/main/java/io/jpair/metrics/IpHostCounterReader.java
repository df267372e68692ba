package io.jpair.metrics;

import io.jpair.host.IpHost;
import io.jpair.reactor.Reactor;
import io.jpair.transport.PacketTransport;
import io.jpair.tuntap.TunnelAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads {@link IpHost#counters()} from any thread, correctly: the host's counters are plain
 * fields owned by its reactor thread, so a read from another thread is handed to that thread
 * ({@code callFromThread}) and waited for, at most {@link #timeout()}; on the reactor thread (and,
 * as {@code inReactorThread()} says, before the loop has run, or on a {@code MemoryReactor}) the
 * counters are read directly. Every read is one consistent snapshot of every layer.
 *
 * <p>Reads wait for the reactor: while it is busy they wait up to the timeout, and when it is not
 * running at all they fail after the timeout with an {@link IllegalStateException} naming the
 * device. At most one hand-off is outstanding at a time (later reads wait on the same one), so a
 * monitoring system scraping a stopped reactor cannot fill its hand-off queue.
 *
 * <p>The reader is bound to the port the host was attached to when the reader was made: its
 * interface name and its reactor.
 */
public final class IpHostCounterReader {
    /** How long a read from another thread waits for the reactor thread by default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

    private final IpHost host;
    private final Reactor reactor;
    private final String interfaceName;
    private final Duration timeout;
    private final AtomicReference<CompletableFuture<Map<String, Long>>> pending = new AtomicReference<>();
    private final List<String> names;

    /**
     * A reader with the {@link #DEFAULT_TIMEOUT}.
     *
     * @param host a host attached to a port ({@link IpHost#listen})
     * @throws IllegalStateException if the host is not attached to a port
     */
    public IpHostCounterReader(IpHost host) {
        this(host, DEFAULT_TIMEOUT);
    }

    /**
     * A reader that waits at most {@code timeout} for the reactor thread.
     *
     * @param host a host attached to a port ({@link IpHost#listen})
     * @param timeout the longest wait of one read from another thread (positive)
     * @throws IllegalStateException if the host is not attached to a port, or the first read
     *     (which fixes {@link #names()}) times out
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public IpHostCounterReader(IpHost host, Duration timeout) {
        this.host = Objects.requireNonNull(host, "host");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        PacketTransport port = host.isTap() ? host.ethernet().transport() : host.ip().transport();
        if (port == null) {
            throw new IllegalStateException("IpHost is not attached to a port: call IpHost.listen(...) first");
        }
        this.reactor = port.reactor();
        this.interfaceName = port.getHost() instanceof TunnelAddress address ? address.name()
            : String.valueOf(port.getHost());
        this.names = List.copyOf(read().keySet());
    }

    /**
     * The name of the device the host was attached to.
     *
     * @return e.g. {@code "jtap0"}
     */
    public String interfaceName() {
        return interfaceName;
    }

    /**
     * How long a read from another thread waits.
     *
     * @return the timeout
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * The counter names, fixed for the host's life (every drop reason is present, zero or not;
     * a TAP host adds the {@code ethernet.}, {@code arp.} and {@code link.} counters).
     *
     * @return the names of {@link IpHost#counters()}, in its order
     */
    public List<String> names() {
        return names;
    }

    /**
     * One snapshot of every counter, read on the reactor thread.
     *
     * @return names to values, in {@link IpHost#counters()}'s order
     * @throws IllegalStateException if the reactor thread did not answer within the timeout, the
     *     wait was interrupted (the interrupt flag is set again), or reading threw
     */
    public Map<String, Long> read() {
        if (reactor.inReactorThread()) {
            return host.counters();
        }
        CompletableFuture<Map<String, Long>> read = handOff();
        try {
            return read.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(interfaceName + ": IpHost counters: the reactor thread did not answer within "
                + timeout.toMillis() + " ms (is the reactor running?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interfaceName + ": IpHost counters: interrupted waiting for the reactor thread",
                e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(interfaceName + ": IpHost counters: reading failed on the reactor thread: "
                + e.getCause(), e.getCause());
        }
    }

    /** The outstanding hand-off, or a new one if none is. */
    private CompletableFuture<Map<String, Long>> handOff() {
        while (true) {
            CompletableFuture<Map<String, Long>> current = pending.get();
            if (current != null && !current.isDone()) {
                return current;
            }
            CompletableFuture<Map<String, Long>> next = new CompletableFuture<>();
            if (pending.compareAndSet(current, next)) {
                reactor.callFromThread(() -> {
                    try {
                        next.complete(host.counters());
                    } catch (RuntimeException e) {
                        next.completeExceptionally(e);
                    }
                });
                return next;
            }
        }
    }

    @Override
    public String toString() {
        return "IpHostCounterReader[" + interfaceName + "]";
    }
}

package io.jpair.testing;

import io.jpair.ip.IPProtocol;
import io.jpair.ip.IpLink;
import io.jpair.transport.RawPacketProtocol;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * A deterministic point-to-point IP link between two {@link IPProtocol}s for tests, with seeded
 * loss, duplication, reordering and delay on a {@link MemoryReactor}'s clock (smoltcp's netsim
 * and gVisor's channel endpoint, userspace-tcp.md part D). Each side's {@link IpLink} is set to
 * this link; a packet it sends is copied into a pooled direct buffer and delivered to the other
 * side at its due time by {@link #pump()}, one read batch ({@code readComplete}) per side per
 * pump, as a TUN read batch would be.
 *
 * <pre>{@code
 * MemoryReactor reactor = new MemoryReactor();
 * LossyLink link = new LossyLink(reactor, 42).loss(0.05).reorder(0.02).delay(Duration.ofMillis(5));
 * link.attach(ipA);
 * link.attach(ipB);
 * link.runFor(Duration.ofSeconds(10));   // deliveries and timers, jumping from event to event
 * }</pre>
 *
 * <p>Same seed, same schedule: a failing run is replayed exactly. A {@link #dropIf filter} drops
 * chosen packets (scripted loss). Buffers are pooled, so steady state allocates nothing per
 * packet. Test thread only.
 */
public final class LossyLink {
    private static final int SLOT_SIZE = 2048;

    private final MemoryReactor reactor;
    private final SplittableRandom random;
    private final IPProtocol[] ends = new IPProtocol[2];
    private final List<ByteBuffer> pool = new ArrayList<>();
    private ByteBuffer[] queued = new ByteBuffer[64];
    private long[] due = new long[64];
    private int[] destination = new int[64];
    private int count;
    private final boolean[] receivedInBatch = new boolean[2];
    private ByteBuffer[] roundPackets = new ByteBuffer[64];
    private int[] roundDestinations = new int[64];
    private double loss;
    private double duplicate;
    private double reorder;
    private long delayNanos;
    private long reorderNanos = 1_000_000L;
    private Predicate<ByteBuffer> dropIf = packet -> false;
    private long sent;
    private long dropped;
    private long duplicated;
    private long reordered;
    private long delivered;

    /**
     * A link with no loss, no delay.
     *
     * @param reactor the reactor whose clock times deliveries and runs the stacks' timers
     * @param seed the seed of every random choice
     */
    public LossyLink(MemoryReactor reactor, long seed) {
        this.reactor = reactor;
        this.random = new SplittableRandom(seed);
    }

    /**
     * Attaches one end (at most two): the protocol's outbound link becomes this link.
     *
     * @param ip the IP layer
     * @return this
     * @throws IllegalStateException if both ends are attached
     */
    public LossyLink attach(IPProtocol ip) {
        int side = ends[0] == null ? 0 : ends[1] == null ? 1 : -1;
        if (side < 0) {
            throw new IllegalStateException("a LossyLink joins two IP layers; both are attached");
        }
        ends[side] = ip;
        ip.link((buffer, offset, length) -> send(side, buffer, offset, length));
        return this;
    }

    /**
     * Sets the probability that a packet is lost.
     *
     * @param probability 0..1
     * @return this
     */
    public LossyLink loss(double probability) {
        this.loss = probability;
        return this;
    }

    /**
     * Sets the probability that a packet is delivered twice.
     *
     * @param probability 0..1
     * @return this
     */
    public LossyLink duplicate(double probability) {
        this.duplicate = probability;
        return this;
    }

    /**
     * Sets the probability that a packet is held back by an extra millisecond, so later ones
     * overtake it.
     *
     * @param probability 0..1
     * @return this
     */
    public LossyLink reorder(double probability) {
        this.reorder = probability;
        return this;
    }

    /**
     * Sets the one-way delay.
     *
     * @param oneWay the delay of every packet
     * @return this
     */
    public LossyLink delay(Duration oneWay) {
        this.delayNanos = oneWay.toNanos();
        return this;
    }

    /**
     * Drops every packet the predicate accepts (it sees the IP packet between position and limit;
     * borrowed), before the random choices.
     *
     * @param filter true to drop
     * @return this
     */
    public LossyLink dropIf(Predicate<ByteBuffer> filter) {
        this.dropIf = filter;
        return this;
    }

    private boolean send(int side, ByteBuffer buffer, int offset, int length) {
        sent++;
        buffer.limit(offset + length).position(offset);  // IpLink lets a link move them
        if (dropIf.test(buffer)) {
            dropped++;
            return true;
        }
        if (loss > 0 && random.nextDouble() < loss) {
            dropped++;
            return true;
        }
        long at = reactor.nanoTime() + delayNanos;
        if (reorder > 0 && random.nextDouble() < reorder) {
            reordered++;
            at += reorderNanos;
        }
        enqueue(1 - side, buffer, offset, length, at);
        if (duplicate > 0 && random.nextDouble() < duplicate) {
            duplicated++;
            enqueue(1 - side, buffer, offset, length, at);
        }
        return true;
    }

    private void enqueue(int to, ByteBuffer buffer, int offset, int length, long at) {
        ByteBuffer slot = take(length);
        slot.clear();
        slot.put(0, buffer, offset, length);
        slot.limit(length);
        if (count == queued.length) {
            queued = Arrays.copyOf(queued, count * 2);
            due = Arrays.copyOf(due, count * 2);
            destination = Arrays.copyOf(destination, count * 2);
        }
        int i = count++;
        while (i > 0 && due[i - 1] > at) {
            queued[i] = queued[i - 1];
            due[i] = due[i - 1];
            destination[i] = destination[i - 1];
            i--;
        }
        queued[i] = slot;
        due[i] = at;
        destination[i] = to;
    }

    private ByteBuffer take(int length) {
        for (int i = pool.size() - 1; i >= 0; i--) {
            if (pool.get(i).capacity() >= length) {
                return pool.remove(i);
            }
        }
        return ByteBuffer.allocateDirect(Math.max(SLOT_SIZE, length));
    }

    /**
     * Delivers every packet due now (those sent meanwhile too, if due), one read batch per side
     * per round, until none is due.
     *
     * @return how many packets were delivered
     */
    public int pump() {
        int total = 0;
        long now = reactor.nanoTime();
        while (count > 0 && due[0] <= now) {
            int n = 0;
            while (n < count && due[n] <= now) {
                n++;
            }
            // take this round's packets out first: deliveries enqueue more
            ByteBuffer[] round = takeRound(n);
            int[] to = roundDestinations;
            for (int i = 0; i < n; i++) {
                IPProtocol ip = ends[to[i]];
                ByteBuffer packet = round[i];
                receivedInBatch[to[i]] = true;
                delivered++;
                ip.datagramReceived(packet.position(0), RawPacketProtocol.NO_MAC, RawPacketProtocol.NO_MAC, 0);
                pool.add(packet);
            }
            for (int side = 0; side < 2; side++) {
                if (receivedInBatch[side]) {
                    receivedInBatch[side] = false;
                    ends[side].readComplete();
                }
            }
            total += n;
        }
        return total;
    }

    private ByteBuffer[] takeRound(int n) {
        if (roundPackets.length < n) {
            roundPackets = new ByteBuffer[queued.length];
            roundDestinations = new int[queued.length];
        }
        System.arraycopy(queued, 0, roundPackets, 0, n);
        System.arraycopy(destination, 0, roundDestinations, 0, n);
        System.arraycopy(queued, n, queued, 0, count - n);
        System.arraycopy(due, n, due, 0, count - n);
        System.arraycopy(destination, n, destination, 0, count - n);
        for (int i = count - n; i < count; i++) {
            queued[i] = null;
        }
        count -= n;
        return roundPackets;
    }

    /**
     * Runs the simulation for {@code duration}: delivers what is due, then jumps the clock to the
     * next delivery or timer, until the time is up.
     *
     * @param duration how long, on the reactor's clock
     * @return packets delivered
     */
    public int runFor(Duration duration) {
        long end = reactor.nanoTime() + duration.toNanos();
        int total = 0;
        while (true) {
            reactor.advance(Duration.ZERO);
            total += pump();
            long next = Math.min(count > 0 ? due[0] : Long.MAX_VALUE, reactor.clock().nextDeadline());
            long now = reactor.nanoTime();
            if (next <= now) {
                continue;
            }
            if (next > end) {
                if (end > now) {
                    reactor.advance(Duration.ofNanos(end - now));
                    total += pump();
                }
                return total;
            }
            reactor.advance(Duration.ofNanos(next - now));
        }
    }

    /**
     * Runs until nothing is queued and no timer is due within {@code horizon}, or {@code limit}
     * passes: "until the connection settles".
     *
     * @param limit the most simulated time to run
     * @return packets delivered
     */
    public int runUntilIdle(Duration limit) {
        long end = reactor.nanoTime() + limit.toNanos();
        int total = 0;
        while (reactor.nanoTime() < end) {
            reactor.advance(Duration.ZERO);
            total += pump();
            if (count == 0) {
                return total;
            }
            long now = reactor.nanoTime();
            long next = Math.min(due[0], reactor.clock().nextDeadline());
            if (next > now) {
                reactor.advance(Duration.ofNanos(Math.min(next, end) - now));
            }
        }
        return total;
    }

    /**
     * Packets waiting for delivery.
     *
     * @return the count
     */
    public int inFlight() {
        return count;
    }

    /**
     * Packets handed to the link.
     *
     * @return the count
     */
    public long sent() {
        return sent;
    }

    /**
     * Packets dropped (random loss and filter).
     *
     * @return the count
     */
    public long dropped() {
        return dropped;
    }

    /**
     * Packets delivered twice.
     *
     * @return the count
     */
    public long duplicated() {
        return duplicated;
    }

    /**
     * Packets held back.
     *
     * @return the count
     */
    public long reordered() {
        return reordered;
    }

    /**
     * Packets delivered (duplicates counted twice).
     *
     * @return the count
     */
    public long delivered() {
        return delivered;
    }
}

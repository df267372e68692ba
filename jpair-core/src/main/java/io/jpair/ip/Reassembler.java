package io.jpair.ip;

import io.jpair.reactor.DelayedCall;
import io.jpair.reactor.ReactorTime;
import io.jpair.wire.DropCounter;
import io.jpair.wire.InternetChecksum;
import io.jpair.wire.NetworkOrder;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;

/**
 * Reassembles IPv4 and IPv6 fragments (RFC 791, RFC 815, RFC 8200 section 4.5) into datagrams
 * that {@link IPProtocol} then delivers exactly like unfragmented ones. Install it on the IP layer
 * ({@code IpHost} does):
 *
 * <pre>{@code
 * IPProtocol ip = new IPProtocol();
 * ip.reassembler(new Reassembler(reactor));          // without one, fragments are dropped
 * }</pre>
 *
 * <p><b>The rules, as Linux's {@code inet_fragment.c}.</b> A datagram is keyed by (source,
 * destination, protocol, identification) for IPv4 and (source, destination, identification) for
 * IPv6. Fragments may come in any order. A fragment entirely inside data already received is a
 * duplicate and is ignored ({@link FragmentDrop#DUPLICATE}); one that overlaps received data
 * otherwise discards the whole datagram silently ({@link FragmentDrop#OVERLAP}): RFC 5722 for
 * IPv6, and what Linux does for IPv4 too since CVE-2018-5391 ("FragmentSmack"). A last fragment
 * that disagrees with the end already known, or a fragment past that end, discards the datagram
 * ({@link FragmentDrop#INCONSISTENT_LENGTH}). An IPv4 fragment that is not the last must carry a
 * multiple of 8 bytes (Linux would cut it; this drops it). Unlike Linux, whose pieces are
 * "runs" of fragments appended in order, a fragment entirely covered by two adjacent pieces is a
 * duplicate here, not an overlap.
 *
 * <p><b>Time.</b> A datagram still incomplete {@link #IPV4_TIMEOUT 30 s} (IPv4) or
 * {@link #IPV6_TIMEOUT 60 s} (IPv6) after its first fragment arrived is discarded
 * ({@link FragmentDrop#TIMEOUT}; Linux's {@code ipfrag_time} and {@code ip6frag_time}), and if its
 * offset-0 fragment had arrived, an ICMP Time Exceeded code 1 ("fragment reassembly time
 * exceeded") quoting that fragment goes to the source, as Linux does and RFC 1122 section 3.3.2
 * asks. Time is the reactor's clock given at construction; one {@link DelayedCall} is pending at a
 * time, for the earliest deadline.
 *
 * <p><b>Memory.</b> Bounded in total by the high threshold ({@link #DEFAULT_HIGH_THRESHOLD} 4 MiB,
 * Linux's {@code ipfrag_high_thresh}): it buys a fixed number of slots of
 * {@value FragmentQueue#SLOT_BYTES} bytes (one maximal datagram each), allocated the first time
 * each is used and reused after; a fragment of a new datagram while every slot is busy is dropped
 * ({@link FragmentDrop#MEMORY_LIMIT}, Linux too refuses new fragments above the threshold). One
 * source may hold at most a quarter of the slots by default ({@link #perSourceLimit}, Linux has no
 * such limit), so one sender cannot starve the others. A datagram may be in at most
 * {@value #MAX_RUNS} separate pieces, so the work per fragment is bounded too. Nothing is
 * allocated per fragment once the slots in use exist.
 *
 * <p>Reactor thread only.
 */
public final class Reassembler {
    /** Linux's {@code ipfrag_high_thresh} and {@code ip6frag_high_thresh}: 4 MiB. */
    public static final long DEFAULT_HIGH_THRESHOLD = 4L * 1024 * 1024;
    /** How long an IPv4 datagram may take to arrive whole: Linux's {@code ipfrag_time}. */
    public static final Duration IPV4_TIMEOUT = Duration.ofSeconds(30);
    /** How long an IPv6 datagram may take (RFC 8200 section 4.5; Linux's {@code ip6frag_time}). */
    public static final Duration IPV6_TIMEOUT = Duration.ofSeconds(60);
    /** The most separate pieces (runs of contiguous bytes) one datagram may be in. */
    public static final int MAX_RUNS = 64;

    private final ReactorTime clock;
    private final FragmentQueue[] queues;
    private final DropCounter<FragmentDrop> drops = new DropCounter<>(FragmentDrop.class, Reassembler.class);
    private final Runnable expireDue = this::expireDue;
    private IPProtocol owner;
    private int perSource;
    private long ipv4Timeout = IPV4_TIMEOUT.toNanos();
    private long ipv6Timeout = IPV6_TIMEOUT.toNanos();
    private DelayedCall timer;
    private long timerDeadline;
    private long fragmentsReceived;
    private long datagramsReassembled;
    private int inProgress;

    /**
     * A reassembler with Linux's defaults: a 4 MiB high threshold, 30 s / 60 s timeouts.
     *
     * @param clock the reactor's clock, for the timeouts
     */
    public Reassembler(ReactorTime clock) {
        this(clock, DEFAULT_HIGH_THRESHOLD);
    }

    /**
     * A reassembler holding at most {@code highThreshold} bytes of datagrams in reassembly.
     *
     * @param clock the reactor's clock, for the timeouts
     * @param highThreshold the memory bound in bytes; at least one slot
     *     ({@value FragmentQueue#SLOT_BYTES} bytes) is always kept
     */
    public Reassembler(ReactorTime clock, long highThreshold) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (highThreshold < 0) {
            throw new IllegalArgumentException("high threshold must not be negative, not " + highThreshold);
        }
        int slots = (int) Math.max(1, Math.min(65536, highThreshold / FragmentQueue.SLOT_BYTES));
        queues = new FragmentQueue[slots];
        for (int i = 0; i < slots; i++) {
            queues[i] = new FragmentQueue(MAX_RUNS);
        }
        perSource = Math.max(1, slots / 4);
    }

    /**
     * Sets how many datagrams one source may have in reassembly at once.
     *
     * @param datagrams at least 1 (more than {@link #capacity()} means no per-source limit)
     * @return this
     */
    public Reassembler perSourceLimit(int datagrams) {
        if (datagrams < 1) {
            throw new IllegalArgumentException("per-source limit must be at least 1, not " + datagrams);
        }
        this.perSource = datagrams;
        return this;
    }

    /**
     * Sets the reassembly timeouts (before any fragment arrives).
     *
     * @param ipv4 for IPv4 datagrams
     * @param ipv6 for IPv6 datagrams
     * @return this
     */
    public Reassembler timeouts(Duration ipv4, Duration ipv6) {
        if (ipv4.isNegative() || ipv4.isZero() || ipv6.isNegative() || ipv6.isZero()) {
            throw new IllegalArgumentException("reassembly timeouts must be positive: " + ipv4 + ", " + ipv6);
        }
        this.ipv4Timeout = ipv4.toNanos();
        this.ipv6Timeout = ipv6.toNanos();
        return this;
    }

    void owner(IPProtocol ip) {
        if (owner != null && owner != ip) {
            throw new IllegalStateException("this Reassembler already serves another IPProtocol");
        }
        this.owner = ip;
    }

    /**
     * An IPv4 fragment (MF set or offset non-zero), already validated by the IP layer.
     *
     * @return the completed datagram's queue (its packet at {@code [BASE - headerLength, BASE + total)}),
     *     to {@link #release} after delivery; or null
     */
    FragmentQueue ipv4(ByteBuffer packet, int start, int headerLength, int totalLength) {
        fragmentsReceived++;
        int field = NetworkOrder.u16(packet, start + Ipv4Header.FRAGMENT_OFFSET);
        int offset = (field & 0x1FFF) * 8;
        boolean more = (field & Ipv4Header.FLAG_MORE_FRAGMENTS) != 0;
        int length = totalLength - headerLength;
        if (length == 0 || (more && (length & 7) != 0)) {
            drops.add(FragmentDrop.BAD_LENGTH);
            return null;
        }
        if (headerLength + offset + length > Ipv4Header.MAX_TOTAL_LENGTH) {
            drops.add(FragmentDrop.TOO_BIG);
            return null;
        }
        long source = NetworkOrder.i32(packet, start + Ipv4Header.SOURCE_OFFSET) & 0xFFFF_FFFFL;
        long destination = NetworkOrder.i32(packet, start + Ipv4Header.DESTINATION_OFFSET) & 0xFFFF_FFFFL;
        int protocol = NetworkOrder.u8(packet, start + Ipv4Header.PROTOCOL_OFFSET);
        int id = NetworkOrder.u16(packet, start + Ipv4Header.IDENTIFICATION_OFFSET);
        FragmentQueue q = find(4, 0, source, 0, destination, protocol, id);
        if (q == null) {
            return null;
        }
        if (offset == 0) {
            q.buffer.put(FragmentQueue.BASE - headerLength, packet, start, headerLength);
            q.headerLength = headerLength;
            q.firstLength = length;
        }
        if (!insert(q, packet, start + headerLength, offset, length, !more)) {
            return null;
        }
        // RFC 791: the first fragment's header, with the whole length and no fragment fields.
        ByteBuffer b = q.buffer;
        int at = FragmentQueue.BASE - q.headerLength;
        NetworkOrder.u16(b, at + Ipv4Header.TOTAL_LENGTH_OFFSET, q.headerLength + q.total);
        NetworkOrder.u16(b, at + Ipv4Header.FRAGMENT_OFFSET, 0);
        NetworkOrder.u16(b, at + Ipv4Header.CHECKSUM_OFFSET, 0);
        NetworkOrder.u16(b, at + Ipv4Header.CHECKSUM_OFFSET, InternetChecksum.checksum(b, at, q.headerLength, 0));
        datagramsReassembled++;
        return q;
    }

    /**
     * An IPv6 fragment (offset or M set), its fragment header at {@code fragment}, the packet's
     * length and order already checked by the IP layer ({@link #checkIpv6}).
     *
     * @return the completed datagram's queue (its packet at {@code [BASE - 40, BASE + total)}), to
     *     {@link #release} after delivery; or null
     */
    FragmentQueue ipv6(ByteBuffer packet, int start, int fragment, int limit) {
        fragmentsReceived++;
        int field = NetworkOrder.u16(packet, fragment + 2);
        int offset = field & 0xFFF8;
        boolean more = (field & 1) != 0;
        int data = fragment + 8;
        int length = limit - data;
        long sourceHigh = NetworkOrder.i64(packet, start + Ipv6Header.SOURCE_OFFSET);
        long sourceLow = NetworkOrder.i64(packet, start + Ipv6Header.SOURCE_OFFSET + 8);
        long destinationHigh = NetworkOrder.i64(packet, start + Ipv6Header.DESTINATION_OFFSET);
        long destinationLow = NetworkOrder.i64(packet, start + Ipv6Header.DESTINATION_OFFSET + 8);
        int id = NetworkOrder.i32(packet, fragment + 4);
        FragmentQueue q = find(6, sourceHigh, sourceLow, destinationHigh, destinationLow, -1, id);
        if (q == null) {
            return null;
        }
        if (offset == 0) {
            // The first fragment as it came (fixed header, fragment header), for a Time Exceeded.
            int at = FragmentQueue.BASE - Ipv6Header.LENGTH - 8;
            q.buffer.put(at, packet, start, Ipv6Header.LENGTH);
            q.buffer.put(FragmentQueue.BASE - 8, packet, fragment, 8);
            NetworkOrder.u8(q.buffer, at + Ipv6Header.NEXT_HEADER_OFFSET, Ipv6Header.FRAGMENT);
            NetworkOrder.u16(q.buffer, at + Ipv6Header.PAYLOAD_LENGTH_OFFSET, 8 + length);
            q.headerLength = Ipv6Header.LENGTH + 8;
            q.firstLength = length;
        }
        if (!insert(q, packet, data, offset, length, !more)) {
            return null;
        }
        // RFC 8200 4.5: the unfragmentable part with the fragment header's next header.
        ByteBuffer b = q.buffer;
        int from = FragmentQueue.BASE - Ipv6Header.LENGTH - 8;
        int next = NetworkOrder.u8(b, FragmentQueue.BASE - 8);
        int first = NetworkOrder.i32(b, from);
        int hopLimit = NetworkOrder.u8(b, from + Ipv6Header.HOP_LIMIT_OFFSET);
        Ipv6Header.write(b, FragmentQueue.BASE - Ipv6Header.LENGTH, q.total, next, hopLimit, sourceHigh, sourceLow,
            destinationHigh, destinationLow);
        NetworkOrder.i32(b, FragmentQueue.BASE - Ipv6Header.LENGTH, first);
        datagramsReassembled++;
        return q;
    }

    /**
     * The checks RFC 8200 answers with a Parameter Problem, done before {@link #ipv6}.
     *
     * @return -1 if the fragment may be reassembled, else the offset from the IP header of the
     *     field to point at (the reason is counted)
     */
    int checkIpv6(ByteBuffer packet, int start, int fragment, int limit) {
        int field = NetworkOrder.u16(packet, fragment + 2);
        int length = limit - fragment - 8;
        if (length == 0 || ((field & 1) != 0 && (length & 7) != 0)) {
            fragmentsReceived++;
            drops.add(FragmentDrop.BAD_LENGTH);
            return Ipv6Header.PAYLOAD_LENGTH_OFFSET;
        }
        if ((field & 0xFFF8) + length > FragmentQueue.MAX_PAYLOAD) {
            fragmentsReceived++;
            drops.add(FragmentDrop.TOO_BIG);
            return fragment + 2 - start;
        }
        return -1;
    }

    /** The queue for the key: the one in progress, a new one, or null (counted) when none may be had. */
    private FragmentQueue find(int version, long sourceHigh, long sourceLow, long destinationHigh,
            long destinationLow, int protocol, int id) {
        FragmentQueue free = null;
        int fromSource = 0;
        for (FragmentQueue q : queues) {
            if (q.matches(version, sourceHigh, sourceLow, destinationHigh, destinationLow, protocol, id)) {
                return q;
            }
            if (!q.inUse) {
                if (free == null) {
                    free = q;
                }
            } else if (q.sameSource(version, sourceHigh, sourceLow)) {
                fromSource++;
            }
        }
        if (free == null) {
            drops.add(FragmentDrop.MEMORY_LIMIT);
            return null;
        }
        if (fromSource >= perSource) {
            drops.add(FragmentDrop.SOURCE_LIMIT);
            return null;
        }
        long deadline = clock.nanoTime() + (version == 4 ? ipv4Timeout : ipv6Timeout);
        free.open(version, sourceHigh, sourceLow, destinationHigh, destinationLow, protocol, id, deadline);
        inProgress++;
        schedule(deadline);
        return free;
    }

    /**
     * Adds {@code [offset, offset + length)} of payload to the queue.
     *
     * @return true if the datagram is now complete; false if it waits for more or was discarded
     */
    private boolean insert(FragmentQueue q, ByteBuffer packet, int data, int offset, int length, boolean last) {
        int end = offset + length;
        if (last) {
            if ((q.total >= 0 && end != q.total) || end < q.highestEnd()) {
                discard(q, FragmentDrop.INCONSISTENT_LENGTH);
                return false;
            }
        } else if (q.total >= 0 && end > q.total) {
            discard(q, FragmentDrop.INCONSISTENT_LENGTH);
            return false;
        }
        int[] starts = q.runStart;
        int[] ends = q.runEnd;
        int runs = q.runs;
        int i = 0;
        while (i < runs && ends[i] <= offset) {
            i++;
        }
        if (i < runs && starts[i] < end) {
            if (starts[i] <= offset && end <= ends[i]) {
                drops.add(FragmentDrop.DUPLICATE);
            } else {
                discard(q, FragmentDrop.OVERLAP);
            }
            return false;
        }
        boolean joinPrevious = i > 0 && ends[i - 1] == offset;
        boolean joinNext = i < runs && starts[i] == end;
        if (joinPrevious && joinNext) {
            ends[i - 1] = ends[i];
            System.arraycopy(starts, i + 1, starts, i, runs - i - 1);
            System.arraycopy(ends, i + 1, ends, i, runs - i - 1);
            q.runs = runs - 1;
        } else if (joinPrevious) {
            ends[i - 1] = end;
        } else if (joinNext) {
            starts[i] = offset;
        } else {
            if (runs == MAX_RUNS) {
                discard(q, FragmentDrop.TOO_MANY_PIECES);
                return false;
            }
            System.arraycopy(starts, i, starts, i + 1, runs - i);
            System.arraycopy(ends, i, ends, i + 1, runs - i);
            starts[i] = offset;
            ends[i] = end;
            q.runs = runs + 1;
        }
        if (last) {
            q.total = end;
        }
        q.buffer.put(FragmentQueue.BASE + offset, packet, data, length);
        return q.complete();
    }

    private void discard(FragmentQueue q, FragmentDrop reason) {
        drops.add(reason);
        release(q);
    }

    /** Frees the slot of a delivered or discarded datagram. */
    void release(FragmentQueue q) {
        if (q.inUse) {
            q.release();
            inProgress--;
        }
    }

    private void schedule(long deadline) {
        if (timer != null && timer.isActive() && timerDeadline <= deadline) {
            return;
        }
        if (timer != null && timer.isActive()) {
            timer.cancel();
        }
        timerDeadline = deadline;
        timer = clock.callLater(Duration.ofNanos(Math.max(0, deadline - clock.nanoTime())), expireDue);
    }

    private void expireDue() {
        timer = null;
        long now = clock.nanoTime();
        long next = Long.MAX_VALUE;
        for (FragmentQueue q : queues) {
            if (!q.inUse) {
                continue;
            }
            if (q.deadline - now <= 0) {
                drops.add(FragmentDrop.TIMEOUT);
                if (q.headerLength > 0 && owner != null) {
                    int at = FragmentQueue.BASE - q.headerLength;
                    owner.reassemblyTimedOut(q.version, q.buffer, at, FragmentQueue.BASE + q.firstLength);
                }
                release(q);
            } else if (q.deadline < next) {
                next = q.deadline;
            }
        }
        if (next != Long.MAX_VALUE) {
            schedule(next);
        }
    }

    /**
     * The drop counters, one per {@link FragmentDrop} reason.
     *
     * @return the live counters
     */
    public DropCounter<FragmentDrop> drops() {
        return drops;
    }

    /**
     * Fragments handed to the reassembler (each ends held, in a reassembled datagram, or in a drop
     * reason).
     *
     * @return the count
     */
    public long fragmentsReceived() {
        return fragmentsReceived;
    }

    /**
     * Datagrams reassembled whole and handed back to the IP layer.
     *
     * @return the count
     */
    public long datagramsReassembled() {
        return datagramsReassembled;
    }

    /**
     * Datagrams in reassembly now.
     *
     * @return the count
     */
    public int inProgress() {
        return inProgress;
    }

    /**
     * How many datagrams may be in reassembly at once (the high threshold in slots).
     *
     * @return the slot count
     */
    public int capacity() {
        return queues.length;
    }
}

package io.jpair.neighbour;

import io.jpair.ethernet.MacAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A fixed-size table from protocol address to MAC address: the ARP cache for IPv4 and the
 * neighbour cache for IPv6 (keys are 128 bits as two {@code long}s; an IPv4 address is
 * {@code (0, address & 0xFFFFFFFFL)}, see {@link #ipv4Key(int)}).
 *
 * <p><b>No poisoning.</b> What the wire says goes through {@link #offer}, told what kind of
 * packet said it ({@link #ANSWER}, {@link #REQUEST} or {@link #HEARSAY}):
 * <ul>
 *   <li>an {@link #ANSWER} (a reply addressed to us) is taken for an address we are resolving,
 *       within {@link #ANSWER_WINDOW_NANOS} of our request and only once;</li>
 *   <li>a {@link #REQUEST} for our address adds its sender only if the sender is unknown and the
 *       table has room without evicting a neighbour in use (RFC 826's and RFC 4861's rule, the
 *       asker being about to talk to us); it never creates or changes an entry we are resolving
 *       or revalidating;</li>
 *   <li>any kind repeating the MAC we have confirms the entry;</li>
 *   <li>any kind giving a <em>different</em> MAC for a resolved neighbour is a conflict: the old
 *       MAC is kept and still used, and the entry is <em>revalidated</em>, as Linux's
 *       {@code NUD_PROBE} and RFC 826 intend: {@link #probeDue} tells the resolver to probe the
 *       old MAC by unicast (plus one broadcast) up to {@value #MAX_PROBES} times,
 *       {@link #PROBE_INTERVAL_NANOS} apart. An answer from the old MAC ends the revalidation;
 *       the first answer with another MAC during it is only a candidate, taken when the
 *       revalidation ends ({@value #MAX_PROBES} probe intervals) without the old MAC answering.
 *       If nobody answers, the entry is emptied: the next packet resolves afresh by broadcast,
 *       and requests in the address's name cannot fill it in meanwhile.</li>
 * </ul>
 * A forger therefore cannot replace a live neighbour at all: the real owner answers the unicast
 * probe. A legitimate MAC change (a new NIC announcing itself) costs {@value #MAX_PROBES} s.
 *
 * <p><b>Bounded, and in-use entries protected.</b> At most {@code capacity} entries. Entries
 * expire {@link #lifetimeNanos()} after their last confirmation. A new entry takes, in this order,
 * a free slot, an expired entry or an incomplete one no longer awaiting an answer, then the least
 * recently used resolved entry that has not been looked up for {@link #IN_USE_NANOS} (an
 * <em>idle</em> one); a new resolution (not a request's sender) may also replace the oldest
 * incomplete entry. A neighbour we sent to within {@link #IN_USE_NANOS} is never evicted: a
 * sweep of spoofed senders or destinations takes the other slots or nothing
 * ({@link #admissionsRefused()}).
 *
 * <p><b>Requests are budgeted.</b> {@link #requestDue} and {@link #probeDue} allow one request
 * per address per interval and at most {@link #requestsPerSecond()} requests for the whole table
 * (a burst of as many), so a flood from spoofed on-link sources cannot turn each packet into a
 * broadcast ({@link #requestsSuppressed()} counts the rest).
 *
 * <p>Lookups scan a small array: no allocation, no boxing. Reactor thread only.
 */
public final class NeighbourTable {
    /** Default number of entries. */
    public static final int DEFAULT_CAPACITY = 128;
    /** Default lifetime of a resolved entry: 5 minutes. */
    public static final long DEFAULT_LIFETIME_NANOS = 300_000_000_000L;
    /** Default number of requests (broadcasts and probes) the table allows per second: 50. */
    public static final int DEFAULT_REQUESTS_PER_SECOND = 50;
    /** How long after our request an answer is taken: 3 s. */
    public static final long ANSWER_WINDOW_NANOS = 3_000_000_000L;
    /** A neighbour looked up within this time is in use and is never evicted: 60 s. */
    public static final long IN_USE_NANOS = 60_000_000_000L;
    /** Time between two probes of a neighbour being revalidated: 1 s (Linux's retrans_time). */
    public static final long PROBE_INTERVAL_NANOS = 1_000_000_000L;
    /** Unicast probes of a neighbour being revalidated (Linux's ucast_solicit). */
    public static final int MAX_PROBES = 3;

    /** {@link #offer} kind: a reply addressed to us (ARP reply, solicited advertisement). */
    public static final int ANSWER = 0;
    /** {@link #offer} kind: a request for one of our addresses (ARP request, solicitation). */
    public static final int REQUEST = 1;
    /** {@link #offer} kind: anything else (gratuitous ARP, unsolicited advertisement, others' traffic). */
    public static final int HEARSAY = 2;

    /** {@link #offer} result: the MAC was recorded (an answer we awaited, or a new neighbour). */
    public static final int LEARNED = 0;
    /** {@link #offer} result: the neighbour repeated the MAC we have; its entry was refreshed. */
    public static final int CONFIRMED = 1;
    /** {@link #offer} result: a different MAC than the one we have; not taken, entry revalidated. */
    public static final int CONFLICT = 2;
    /** {@link #offer} result: nothing recorded (unknown and not admitted, or being resolved). */
    public static final int UNKNOWN = 3;

    /** {@link #probeDue} result: no probe now. */
    public static final int NO_PROBE = 0;
    /** {@link #probeDue} result: the first probe: unicast to the old MAC and one broadcast. */
    public static final int FIRST_PROBE = 1;
    /** {@link #probeDue} result: a repeated probe: unicast to the old MAC. */
    public static final int REPEATED_PROBE = 2;

    private static final long NOT_AWAITING = Long.MAX_VALUE / 2;
    private static final long ONE_SECOND = 1_000_000_000L;
    private static final long NOT_REVALIDATING = Long.MIN_VALUE;
    /** {@code probes[i]} of an entry whose revalidation found nobody: requests may not fill it in. */
    private static final int FAILED = -1;

    private final long[] high;
    private final long[] low;
    private final long[] mac;
    private final long[] updated;
    private final long[] used;
    private final long[] requested;
    /** When the revalidation of a resolved entry began, or NOT_REVALIDATING. */
    private final long[] revalidating;
    private final long[] candidate;
    private final int[] probes;
    private final long lifetimeNanos;
    private final int requestsPerSecond;
    private final long requestSpacing;
    /** Request budget: nanoseconds of credit, a request costing {@code requestSpacing}, at most one second's worth. */
    private long credit = ONE_SECOND;
    private long creditTime;
    private boolean creditStarted;
    private int size;
    private long admissionsRefused;
    private long requestsSuppressed;
    private long revalidations;
    /** Entries under revalidation now: lets {@link #probeDue} skip the scan on the common path. */
    private int revalidatingNow;

    /** A table of {@value #DEFAULT_CAPACITY} entries living 5 minutes. */
    public NeighbourTable() {
        this(DEFAULT_CAPACITY, DEFAULT_LIFETIME_NANOS);
    }

    /**
     * A table of a given size and entry lifetime, allowing
     * {@value #DEFAULT_REQUESTS_PER_SECOND} requests per second.
     *
     * @param capacity entries, at least 1
     * @param lifetimeNanos how long a resolved entry is trusted
     */
    public NeighbourTable(int capacity, long lifetimeNanos) {
        this(capacity, lifetimeNanos, DEFAULT_REQUESTS_PER_SECOND);
    }

    /**
     * A table of a given size, entry lifetime and request budget.
     *
     * @param capacity entries, at least 1
     * @param lifetimeNanos how long a resolved entry is trusted
     * @param requestsPerSecond requests allowed per second for the whole table (and the burst), at least 1
     */
    public NeighbourTable(int capacity, long lifetimeNanos, int requestsPerSecond) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
        }
        if (requestsPerSecond < 1) {
            throw new IllegalArgumentException("requestsPerSecond must be at least 1, not " + requestsPerSecond);
        }
        high = new long[capacity];
        low = new long[capacity];
        mac = new long[capacity];
        updated = new long[capacity];
        used = new long[capacity];
        requested = new long[capacity];
        revalidating = new long[capacity];
        Arrays.fill(revalidating, NOT_REVALIDATING);
        candidate = new long[capacity];
        probes = new int[capacity];
        this.lifetimeNanos = lifetimeNanos;
        this.requestsPerSecond = requestsPerSecond;
        this.requestSpacing = ONE_SECOND / requestsPerSecond;
    }

    /**
     * The key of an IPv4 address.
     *
     * @param ipv4 the address
     * @return the low half of the key (the high half is 0)
     */
    public static long ipv4Key(int ipv4) {
        return ipv4 & 0xFFFF_FFFFL;
    }

    /**
     * How long a resolved entry is trusted.
     *
     * @return nanoseconds
     */
    public long lifetimeNanos() {
        return lifetimeNanos;
    }

    /**
     * Requests (broadcasts and probes) allowed per second for the whole table.
     *
     * @return the budget
     */
    public int requestsPerSecond() {
        return requestsPerSecond;
    }

    /**
     * The MAC of a neighbour, if resolved and not expired; marks the entry in use. While an entry
     * is revalidated its old MAC is still the answer.
     *
     * @param high high 64 bits of the key
     * @param low low 64 bits of the key
     * @param now the reactor's {@code nanoTime()}
     * @return the {@code long} MAC, or {@link MacAddress#NONE}
     */
    public long lookup(long high, long low, long now) {
        int i = indexOf(high, low);
        if (i < 0) {
            return MacAddress.NONE;
        }
        settle(i, now);
        if (mac[i] == MacAddress.NONE || now - updated[i] > lifetimeNanos) {
            return MacAddress.NONE;
        }
        used[i] = now;
        return mac[i];
    }

    /** Marks an entry not in use (a lookup that was no traffic of ours, e.g. answering its solicitation). */
    void idle(long high, long low) {
        int i = indexOf(high, low);
        if (i >= 0) {
            used[i] = updated[i] - IN_USE_NANOS - 1;
        }
    }

    /**
     * Whether the table has an entry (resolved or not) for a key: RFC 826's "merge" test.
     *
     * @param high high 64 bits
     * @param low low 64 bits
     * @return true if present
     */
    public boolean contains(long high, long low) {
        return indexOf(high, low) >= 0;
    }

    /**
     * Records a neighbour's MAC (configuration, not the wire: no rule applies), if a slot can be
     * had without evicting a neighbour in use.
     *
     * @param high high 64 bits
     * @param low low 64 bits
     * @param macAddress the {@code long} MAC
     * @param now the reactor's {@code nanoTime()}
     * @return true if recorded
     */
    public boolean update(long high, long low, long macAddress, long now) {
        int i = slotFor(high, low, now, true);
        if (i < 0) {
            return false;
        }
        resolved(i, macAddress, now);
        return true;
    }

    /**
     * Whether we sent a request (or probe) for this address within {@link #ANSWER_WINDOW_NANOS}
     * that has not been answered yet.
     *
     * @param high high 64 bits
     * @param low low 64 bits
     * @param now the reactor's {@code nanoTime()}
     * @return true if an answer would be taken
     */
    public boolean awaiting(long high, long low, long now) {
        int i = indexOf(high, low);
        return i >= 0 && awaiting(i, now);
    }

    /**
     * Whether a resolved entry is being revalidated after a conflicting claim.
     *
     * @param high high 64 bits
     * @param low low 64 bits
     * @param now the reactor's {@code nanoTime()}
     * @return true while its probes are outstanding
     */
    public boolean revalidating(long high, long low, long now) {
        int i = indexOf(high, low);
        if (i < 0) {
            return false;
        }
        settle(i, now);
        return revalidating[i] != NOT_REVALIDATING;
    }

    private boolean awaiting(int i, long now) {
        long since = now - requested[i];
        return since >= 0 && since <= ANSWER_WINDOW_NANOS;
    }

    /**
     * Applies what a packet from the wire says about a neighbour, by the rules in the class
     * comment.
     *
     * @param high high 64 bits of the neighbour's address
     * @param low low 64 bits
     * @param macAddress the MAC the packet gives
     * @param now the reactor's {@code nanoTime()}
     * @param kind {@link #ANSWER}, {@link #REQUEST} or {@link #HEARSAY}
     * @return {@link #LEARNED}, {@link #CONFIRMED}, {@link #CONFLICT} or {@link #UNKNOWN}
     */
    public int offer(long high, long low, long macAddress, long now, int kind) {
        int i = indexOf(high, low);
        if (i >= 0) {
            settle(i, now);
        }
        if (i >= 0 && mac[i] != MacAddress.NONE && now - updated[i] <= lifetimeNanos) {
            if (mac[i] == macAddress) {
                updated[i] = now;
                if (revalidating[i] != NOT_REVALIDATING && kind == ANSWER) {
                    endRevalidation(i, now);
                }
                return CONFIRMED;
            }
            if (revalidating[i] == NOT_REVALIDATING) {
                revalidating[i] = now;
                revalidatingNow++;
                candidate[i] = MacAddress.NONE;
                probes[i] = 0;
                revalidations++;
            } else if (kind == ANSWER && probes[i] > 0 && awaiting(i, now) && candidate[i] == MacAddress.NONE) {
                candidate[i] = macAddress;
            }
            return CONFLICT;
        }
        if (i >= 0 && mac[i] == MacAddress.NONE && awaiting(i, now)) {
            if (kind != ANSWER) {
                // Being resolved: only the answer to our request may fill it in.
                return UNKNOWN;
            }
            resolved(i, macAddress, now);
            return LEARNED;
        }
        if (kind == REQUEST && (i < 0 || probes[i] != FAILED)) {
            int slot = slotFor(high, low, now, false);
            if (slot < 0) {
                return UNKNOWN;
            }
            resolved(slot, macAddress, now);
            // Learned, not yet used: idle until we send to it.
            used[slot] = now - IN_USE_NANOS - 1;
            return LEARNED;
        }
        return UNKNOWN;
    }

    /**
     * Whether a neighbour being revalidated should be probed now (one probe per
     * {@link #PROBE_INTERVAL_NANOS}, at most {@value #MAX_PROBES}, within the table's request
     * budget); if so, records that the probe is being sent. The old MAC to probe is
     * {@link #lookup}'s answer.
     *
     * @param high high 64 bits
     * @param low low 64 bits
     * @param now the reactor's {@code nanoTime()}
     * @return {@link #NO_PROBE}, {@link #FIRST_PROBE} or {@link #REPEATED_PROBE}
     */
    public int probeDue(long high, long low, long now) {
        if (revalidatingNow == 0) {
            return NO_PROBE;
        }
        int i = indexOf(high, low);
        if (i < 0) {
            return NO_PROBE;
        }
        settle(i, now);
        if (revalidating[i] == NOT_REVALIDATING || probes[i] >= MAX_PROBES
                || (probes[i] > 0 && now - requested[i] < PROBE_INTERVAL_NANOS)) {
            return NO_PROBE;
        }
        if (!takeBudget(now)) {
            return NO_PROBE;
        }
        probes[i]++;
        requested[i] = now;
        return probes[i] == 1 ? FIRST_PROBE : REPEATED_PROBE;
    }

    /** Ends a revalidation whose time is up: the candidate wins if the old MAC never answered. */
    private void settle(int i, long now) {
        if (revalidating[i] == NOT_REVALIDATING
                || now - revalidating[i] < MAX_PROBES * PROBE_INTERVAL_NANOS) {
            return;
        }
        long winner = candidate[i];
        endRevalidation(i, now);
        if (winner != MacAddress.NONE) {
            resolved(i, winner, now);
        } else {
            // Contradicted and silent: resolve afresh, and only an answer may fill it in.
            mac[i] = MacAddress.NONE;
            requested[i] = now - NOT_AWAITING;
            probes[i] = FAILED;
        }
    }

    private void notRevalidating(int i) {
        if (revalidating[i] != NOT_REVALIDATING) {
            revalidating[i] = NOT_REVALIDATING;
            revalidatingNow--;
        }
    }

    private void endRevalidation(int i, long now) {
        notRevalidating(i);
        candidate[i] = MacAddress.NONE;
        probes[i] = 0;
        requested[i] = now - NOT_AWAITING;
    }

    private void resolved(int i, long macAddress, long now) {
        mac[i] = macAddress;
        updated[i] = now;
        used[i] = now;
        requested[i] = now - NOT_AWAITING;
        notRevalidating(i);
        candidate[i] = MacAddress.NONE;
        probes[i] = 0;
    }

    /**
     * The number of entries the table holds at most.
     *
     * @return the capacity
     */
    public int capacity() {
        return high.length;
    }

    /**
     * Whether a request for an unresolved key may be sent now (none sent for it within
     * {@code intervalNanos}, the table's budget not spent, and a slot to be had without evicting
     * a neighbour in use); if so, records that one is being sent.
     *
     * @param high high 64 bits
     * @param low low 64 bits
     * @param now the reactor's {@code nanoTime()}
     * @param intervalNanos the minimum time between two requests for the key
     * @return true if the caller should send a request
     */
    public boolean requestDue(long high, long low, long now, long intervalNanos) {
        int i = indexOf(high, low);
        if (i >= 0) {
            settle(i, now);
            if (mac[i] != MacAddress.NONE && now - updated[i] <= lifetimeNanos) {
                return false;
            }
            if (now - requested[i] < intervalNanos || !takeBudget(now)) {
                return false;
            }
            mac[i] = MacAddress.NONE;
            requested[i] = now;
            return true;
        }
        if (!budgetAvailable(now)) {
            requestsSuppressed++;
            return false;
        }
        i = slotFor(high, low, now, true);
        if (i < 0) {
            return false;
        }
        takeBudget(now);
        mac[i] = MacAddress.NONE;
        updated[i] = now;
        requested[i] = now;
        return true;
    }

    private boolean budgetAvailable(long now) {
        if (!creditStarted) {
            creditStarted = true;
            creditTime = now;
        } else if (now - creditTime > 0) {
            credit = Math.min(ONE_SECOND, credit + (now - creditTime));
            creditTime = now;
        }
        return credit >= requestSpacing;
    }

    /** Takes one request from the budget: a burst of one second's worth, then one per {@code requestSpacing}. */
    private boolean takeBudget(long now) {
        if (!budgetAvailable(now)) {
            requestsSuppressed++;
            return false;
        }
        credit -= requestSpacing;
        return true;
    }

    /**
     * Forgets every entry.
     */
    public void clear() {
        for (int i = 0; i < size; i++) {
            notRevalidating(i);
        }
        size = 0;
    }

    /**
     * Entries in use (resolved or incomplete).
     *
     * @return the count
     */
    public int size() {
        return size;
    }

    /**
     * New entries refused because every slot held a neighbour in use (or, for a request's sender,
     * an entry being resolved).
     *
     * @return the count
     */
    public long admissionsRefused() {
        return admissionsRefused;
    }

    /**
     * Requests not sent because the table's per-second budget was spent.
     *
     * @return the count
     */
    public long requestsSuppressed() {
        return requestsSuppressed;
    }

    /**
     * Revalidations started by a conflicting claim.
     *
     * @return the count
     */
    public long revalidations() {
        return revalidations;
    }

    /**
     * The resolved entries, for display (allocates).
     *
     * @param now the reactor's {@code nanoTime()}, to leave out expired entries
     * @return one line per entry: high, low, MAC
     */
    public List<long[]> entries(long now) {
        List<long[]> list = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            if (mac[i] != MacAddress.NONE && now - updated[i] <= lifetimeNanos) {
                list.add(new long[] {high[i], low[i], mac[i]});
            }
        }
        return list;
    }

    /**
     * The entry to replace in a full table, or -1: expired or abandoned first, else the least
     * recently used idle resolved entry, else (for a resolution) the oldest incomplete one.
     */
    private int victim(long now, boolean mayReplaceIncomplete) {
        int idle = -1;
        int incomplete = -1;
        for (int j = 0; j < size; j++) {
            boolean resolvedEntry = mac[j] != MacAddress.NONE;
            if (resolvedEntry && now - updated[j] > lifetimeNanos
                    || !resolvedEntry && !awaiting(j, now)) {
                return j;
            }
            if (resolvedEntry) {
                if (revalidating[j] == NOT_REVALIDATING && now - used[j] > IN_USE_NANOS
                        && (idle < 0 || used[j] - used[idle] < 0)) {
                    idle = j;
                }
            } else if (incomplete < 0 || requested[j] - requested[incomplete] < 0) {
                incomplete = j;
            }
        }
        if (idle >= 0) {
            return idle;
        }
        return mayReplaceIncomplete ? incomplete : -1;
    }

    private int indexOf(long h, long l) {
        for (int i = 0; i < size; i++) {
            if (low[i] == l && high[i] == h) {
                return i;
            }
        }
        return -1;
    }

    private int slotFor(long h, long l, long now, boolean mayReplaceIncomplete) {
        int i = indexOf(h, l);
        if (i >= 0) {
            return i;
        }
        if (size < high.length) {
            i = size++;
        } else {
            i = victim(now, mayReplaceIncomplete);
            if (i < 0) {
                admissionsRefused++;
                return -1;
            }
        }
        high[i] = h;
        low[i] = l;
        mac[i] = MacAddress.NONE;
        updated[i] = now;
        used[i] = now - IN_USE_NANOS - 1;
        requested[i] = now - NOT_AWAITING;
        notRevalidating(i);
        candidate[i] = MacAddress.NONE;
        probes[i] = 0;
        return i;
    }
}

package io.jpair.neighbour;

import io.jpair.ethernet.MacAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A fixed-size table from protocol address to MAC address: the ARP cache for IPv4 and the
 * neighbour cache for IPv6 (keys are 128 bits as two {@code long}s; an IPv4 address is
 * {@code (0, address & 0xFFFFFFFFL)}, see {@link #ipv4Key(int)}).
 *
 * <p><b>Bounded.</b> At most {@code capacity} entries. Entries expire {@link #lifetimeNanos()}
 * after their last confirmation. When the table is full a new entry replaces, in this order of
 * preference, an expired entry or an incomplete one no longer awaiting an answer, else the least
 * recently updated entry. An "incomplete" entry (MAC {@link MacAddress#NONE}) rate-limits requests
 * for an address being resolved and remembers that we asked.
 *
 * <p><b>No poisoning.</b> What the wire says goes through {@link #offer}: an answer is taken for
 * an address we asked about within {@link #ANSWER_WINDOW_NANOS} (and only once per request); a
 * known neighbour repeating its MAC is confirmed; a different MAC for a known neighbour is not
 * taken but makes the entry incomplete, so the next packet to it asks again (an unsolicited
 * reply, gratuitous ARP or advertisement can make us ask, never make us believe); an unknown
 * address is added only when the caller allows it (a request addressed to us, RFC 826's and
 * RFC 4861's rule, since the asker is about to talk to us).
 *
 * <p>Lookups scan a small array: no allocation, no boxing. Reactor thread only.
 */
public final class NeighbourTable {
    /** Default number of entries. */
    public static final int DEFAULT_CAPACITY = 128;
    /** Default lifetime of a resolved entry: 5 minutes. */
    public static final long DEFAULT_LIFETIME_NANOS = 300_000_000_000L;
    /** How long after our request an answer is taken: 3 s. */
    public static final long ANSWER_WINDOW_NANOS = 3_000_000_000L;

    /** {@link #offer} result: the MAC was recorded (an answer we awaited, or a new neighbour). */
    public static final int LEARNED = 0;
    /** {@link #offer} result: the neighbour repeated the MAC we have; its entry was refreshed. */
    public static final int CONFIRMED = 1;
    /** {@link #offer} result: a different MAC than the one we have; not taken, entry made incomplete. */
    public static final int CONFLICT = 2;
    /** {@link #offer} result: an address we neither know nor asked about; nothing recorded. */
    public static final int UNKNOWN = 3;

    private static final long NOT_AWAITING = Long.MAX_VALUE / 2;

    private final long[] high;
    private final long[] low;
    private final long[] mac;
    private final long[] updated;
    private final long[] requested;
    private final long lifetimeNanos;
    private int size;

    /** A table of {@value #DEFAULT_CAPACITY} entries living 5 minutes. */
    public NeighbourTable() {
        this(DEFAULT_CAPACITY, DEFAULT_LIFETIME_NANOS);
    }

    /**
     * A table of a given size and entry lifetime.
     *
     * @param capacity entries, at least 1
     * @param lifetimeNanos how long a resolved entry is trusted
     */
    public NeighbourTable(int capacity, long lifetimeNanos) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
        }
        high = new long[capacity];
        low = new long[capacity];
        mac = new long[capacity];
        updated = new long[capacity];
        requested = new long[capacity];
        this.lifetimeNanos = lifetimeNanos;
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
     * The MAC of a neighbour, if resolved and not expired.
     *
     * @param high high 64 bits of the key
     * @param low low 64 bits of the key
     * @param now the reactor's {@code nanoTime()}
     * @return the {@code long} MAC, or {@link MacAddress#NONE}
     */
    public long lookup(long high, long low, long now) {
        int i = indexOf(high, low);
        if (i < 0 || mac[i] == MacAddress.NONE || now - updated[i] > lifetimeNanos) {
            return MacAddress.NONE;
        }
        return mac[i];
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
     * Records a neighbour's MAC.
     *
     * @param high high 64 bits
     * @param low low 64 bits
     * @param macAddress the {@code long} MAC
     * @param now the reactor's {@code nanoTime()}
     */
    public void update(long high, long low, long macAddress, long now) {
        int i = slotFor(high, low, now);
        mac[i] = macAddress;
        updated[i] = now;
        requested[i] = now - NOT_AWAITING;
    }

    /**
     * Whether we sent a request for this address within {@link #ANSWER_WINDOW_NANOS} that has not
     * been answered yet.
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

    private boolean awaiting(int i, long now) {
        long since = now - requested[i];
        return since >= 0 && since <= ANSWER_WINDOW_NANOS;
    }

    /**
     * Applies what a packet from the wire says about a neighbour, by the rule in the class
     * comment.
     *
     * @param high high 64 bits of the neighbour's address
     * @param low low 64 bits
     * @param macAddress the MAC the packet gives
     * @param now the reactor's {@code nanoTime()}
     * @param mayCreate whether an unknown neighbour may be added (a request addressed to us)
     * @return {@link #LEARNED}, {@link #CONFIRMED}, {@link #CONFLICT} or {@link #UNKNOWN}
     */
    public int offer(long high, long low, long macAddress, long now, boolean mayCreate) {
        int i = indexOf(high, low);
        if (i >= 0 && awaiting(i, now)) {
            mac[i] = macAddress;
            updated[i] = now;
            requested[i] = now - NOT_AWAITING;
            return LEARNED;
        }
        if (i >= 0 && mac[i] != MacAddress.NONE) {
            if (mac[i] == macAddress) {
                updated[i] = now;
                return CONFIRMED;
            }
            mac[i] = MacAddress.NONE;
            return CONFLICT;
        }
        if (mayCreate) {
            update(high, low, macAddress, now);
            return LEARNED;
        }
        return UNKNOWN;
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
     * Whether a request for an unresolved key may be sent now (none sent within
     * {@code intervalNanos}); if so, records that one is being sent.
     *
     * @param high high 64 bits
     * @param low low 64 bits
     * @param now the reactor's {@code nanoTime()}
     * @param intervalNanos the minimum time between two requests
     * @return true if the caller should send a request
     */
    public boolean requestDue(long high, long low, long now, long intervalNanos) {
        int i = indexOf(high, low);
        if (i < 0) {
            i = slotFor(high, low, now);
            mac[i] = MacAddress.NONE;
            updated[i] = now;
            requested[i] = now;
            return true;
        }
        if (now - requested[i] >= intervalNanos) {
            requested[i] = now;
            return true;
        }
        return false;
    }

    /**
     * Forgets every entry.
     */
    public void clear() {
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

    /** The entry to replace in a full table: expired or abandoned first, else the least recently updated. */
    private int victim(long now) {
        int oldest = 0;
        for (int j = 0; j < size; j++) {
            boolean expired = mac[j] != MacAddress.NONE && now - updated[j] > lifetimeNanos;
            boolean abandoned = mac[j] == MacAddress.NONE && !awaiting(j, now);
            if (expired || abandoned) {
                return j;
            }
            if (updated[j] - updated[oldest] < 0) {
                oldest = j;
            }
        }
        return oldest;
    }

    private int indexOf(long h, long l) {
        for (int i = 0; i < size; i++) {
            if (low[i] == l && high[i] == h) {
                return i;
            }
        }
        return -1;
    }

    private int slotFor(long h, long l, long now) {
        int i = indexOf(h, l);
        if (i >= 0) {
            return i;
        }
        if (size < high.length) {
            i = size++;
        } else {
            i = victim(now);
        }
        high[i] = h;
        low[i] = l;
        mac[i] = MacAddress.NONE;
        updated[i] = now;
        requested[i] = now - NOT_AWAITING;
        return i;
    }
}

package io.jpair.tcp;

import java.security.SecureRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections in TIME-WAIT, kept compactly instead of as whole connections: per 4-tuple only
 * what TIME-WAIT still needs (SND.NXT and RCV.NXT to acknowledge a retransmitted FIN, the window
 * and TS.Recent for that ACK and for RFC 6191's judgement of a new SYN), for 2 MSL.
 *
 * <pre>{@code
 * int e = timeWait.addV4(local, lport, remote, rport, sndNxt, rcvNxt, window, tsRecent, ts, now);
 * ...
 * int e = timeWait.findV4(local, lport, remote, rport, now);   // a segment matched no connection
 * if (e >= 0) { ackWith(timeWait.sndNxt(e), timeWait.rcvNxt(e)); timeWait.restart(e, now); }
 * ...
 * timeWait.expire(now);                                        // from a periodic reactor timer
 * }</pre>
 *
 * <p>Bounded as Linux's {@code tcp_max_tw_buckets}: at most {@link #capacity()} entries, all
 * allocated up front; when full, the oldest entry is recycled for the new one (the connection it
 * guarded simply loses its TIME-WAIT, as in Linux, which prints "time wait bucket table overflow"
 * and drops the new one instead). Each overflow is counted ({@link #overflows()}) and logged at
 * the 1st, 2nd, 4th, 8th... occurrence, so a flood cannot flood the log. Entries live
 * {@link #DEFAULT_DURATION_NANOS} (60 s, Linux's {@code TCP_TIMEWAIT_LEN}) after they were added or
 * last {@link #restart}ed (RFC 9293: a retransmitted FIN restarts the 2 MSL timer).
 *
 * <p>Lookups are a keyed hash (SipHash-2-4 under a random key, so no one can aim tuples at one
 * chain) into an open-addressed index, with no allocation; entries are an index into parallel
 * arrays, valid until that entry is removed, expired or recycled. A lookup never answers with an
 * expired entry, whether or not {@link #expire} ran. Expiry is driven by the caller's clock (the
 * reactor's), entries kept in expiry order on an intrusive list. Reactor thread only.
 */
public final class TimeWaitTable {
    /** 2 MSL: 60 s, as Linux's {@code TCP_TIMEWAIT_LEN} and gVisor's default. */
    public static final long DEFAULT_DURATION_NANOS = 60_000_000_000L;
    /** The default capacity: 16384 entries (about 1 MiB). */
    public static final int DEFAULT_CAPACITY = 16_384;

    private static final Logger LOG = LoggerFactory.getLogger(TimeWaitTable.class);
    private static final int NONE = -1;

    private final int capacity;
    private final long duration;
    private final long key0;
    private final long key1;
    private final SipHash hash = new SipHash();

    // per entry
    private final boolean[] v6;
    private final long[] localHigh;
    private final long[] localLow;
    private final long[] remoteHigh;
    private final long[] remoteLow;
    private final int[] ports;
    private final int[] hashes;
    private final int[] sndNxt;
    private final int[] rcvNxt;
    private final int[] window;
    private final int[] tsRecent;
    private final boolean[] timestamps;
    private final long[] expiry;
    private final int[] older;
    private final int[] newer;
    private final int[] freeList;
    private int freeCount;
    private int oldest = NONE;
    private int newest = NONE;
    private int size;

    /** Slot -> entry + 1; 0 is empty. A power of two at least twice the capacity. */
    private final int[] slots;
    private final int mask;

    private long overflows;
    private long expirations;

    /** A table of {@value #DEFAULT_CAPACITY} entries living 60 s. */
    public TimeWaitTable() {
        this(DEFAULT_CAPACITY, DEFAULT_DURATION_NANOS);
    }

    /**
     * A table of {@code capacity} entries living {@code durationNanos}.
     *
     * @param capacity the most entries at once, 1 to 2<sup>24</sup>
     * @param durationNanos how long an entry lives (2 MSL), at least 1
     * @throws IllegalArgumentException if either is out of range
     */
    public TimeWaitTable(int capacity, long durationNanos) {
        if (capacity < 1 || capacity > 1 << 24 || durationNanos < 1) {
            throw new IllegalArgumentException("TIME-WAIT table needs 1..2^24 entries and a positive duration, not "
                + capacity + " entries for " + durationNanos + " ns");
        }
        this.capacity = capacity;
        this.duration = durationNanos;
        SecureRandom random = new SecureRandom();
        this.key0 = random.nextLong();
        this.key1 = random.nextLong();
        v6 = new boolean[capacity];
        localHigh = new long[capacity];
        localLow = new long[capacity];
        remoteHigh = new long[capacity];
        remoteLow = new long[capacity];
        ports = new int[capacity];
        hashes = new int[capacity];
        sndNxt = new int[capacity];
        rcvNxt = new int[capacity];
        window = new int[capacity];
        tsRecent = new int[capacity];
        timestamps = new boolean[capacity];
        expiry = new long[capacity];
        older = new int[capacity];
        newer = new int[capacity];
        freeList = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            freeList[i] = capacity - 1 - i;
        }
        freeCount = capacity;
        int slotCount = Integer.highestOneBit(capacity) << 2;
        slots = new int[slotCount];
        mask = slotCount - 1;
    }

    /**
     * Puts an IPv4 connection into TIME-WAIT (replacing any entry of the same 4-tuple).
     *
     * @param localAddress the local address
     * @param localPort the local port
     * @param remoteAddress the remote address
     * @param remotePort the remote port
     * @param sendNext SND.NXT (after our FIN)
     * @param receiveNext RCV.NXT (after the peer's FIN)
     * @param windowField the window field to send in its ACKs (already scaled)
     * @param timestampRecent TS.Recent
     * @param useTimestamps whether the connection negotiated timestamps
     * @param nowNanos the reactor's time
     * @return the entry
     */
    public int addV4(int localAddress, int localPort, int remoteAddress, int remotePort, int sendNext, int receiveNext,
            int windowField, int timestampRecent, boolean useTimestamps, long nowNanos) {
        return add(false, 0, localAddress & 0xFFFFFFFFL, 0, remoteAddress & 0xFFFFFFFFL, packPorts(localPort, remotePort),
            hashV4(localAddress, localPort, remoteAddress, remotePort), sendNext, receiveNext, windowField,
            timestampRecent, useTimestamps, nowNanos);
    }

    /**
     * Puts an IPv6 connection into TIME-WAIT (replacing any entry of the same 4-tuple).
     *
     * @param localHighBits the local address's first eight bytes
     * @param localLowBits its last eight bytes
     * @param localPort the local port
     * @param remoteHighBits the remote address's first eight bytes
     * @param remoteLowBits its last eight bytes
     * @param remotePort the remote port
     * @param sendNext SND.NXT
     * @param receiveNext RCV.NXT
     * @param windowField the window field to send in its ACKs
     * @param timestampRecent TS.Recent
     * @param useTimestamps whether the connection negotiated timestamps
     * @param nowNanos the reactor's time
     * @return the entry
     */
    public int addV6(long localHighBits, long localLowBits, int localPort, long remoteHighBits, long remoteLowBits,
            int remotePort, int sendNext, int receiveNext, int windowField, int timestampRecent, boolean useTimestamps,
            long nowNanos) {
        return add(true, localHighBits, localLowBits, remoteHighBits, remoteLowBits, packPorts(localPort, remotePort),
            hashV6(localHighBits, localLowBits, localPort, remoteHighBits, remoteLowBits, remotePort), sendNext,
            receiveNext, windowField, timestampRecent, useTimestamps, nowNanos);
    }

    /**
     * The entry of an IPv4 4-tuple, if it is in TIME-WAIT.
     *
     * @param localAddress the local address
     * @param localPort the local port
     * @param remoteAddress the remote address
     * @param remotePort the remote port
     * @param nowNanos the reactor's time: an expired entry is removed, not returned
     * @return the entry, or -1
     */
    public int findV4(int localAddress, int localPort, int remoteAddress, int remotePort, long nowNanos) {
        int found = find(false, 0, localAddress & 0xFFFFFFFFL, 0, remoteAddress & 0xFFFFFFFFL,
            packPorts(localPort, remotePort), hashV4(localAddress, localPort, remoteAddress, remotePort));
        return live(found, nowNanos);
    }

    /**
     * The entry of an IPv6 4-tuple, if it is in TIME-WAIT.
     *
     * @param localHighBits the local address's first eight bytes
     * @param localLowBits its last eight bytes
     * @param localPort the local port
     * @param remoteHighBits the remote address's first eight bytes
     * @param remoteLowBits its last eight bytes
     * @param remotePort the remote port
     * @param nowNanos the reactor's time
     * @return the entry, or -1
     */
    public int findV6(long localHighBits, long localLowBits, int localPort, long remoteHighBits, long remoteLowBits,
            int remotePort, long nowNanos) {
        int found = find(true, localHighBits, localLowBits, remoteHighBits, remoteLowBits, packPorts(localPort, remotePort),
            hashV6(localHighBits, localLowBits, localPort, remoteHighBits, remoteLowBits, remotePort));
        return live(found, nowNanos);
    }

    /**
     * Restarts an entry's 2 MSL (a retransmitted FIN arrived).
     *
     * @param entry a live entry
     * @param nowNanos the reactor's time
     */
    public void restart(int entry, long nowNanos) {
        unlink(entry);
        expiry[entry] = nowNanos + duration;
        append(entry);
    }

    /**
     * Removes an entry early: a RST arrived, or a new SYN may reuse the 4-tuple (RFC 6191).
     *
     * @param entry a live entry
     */
    public void remove(int entry) {
        unlink(entry);
        unindex(entry);
        freeList[freeCount++] = entry;
        size--;
    }

    /**
     * Removes every entry whose 2 MSL has passed. Call it from a periodic reactor timer (e.g.
     * every second, or at {@link #nextExpiryNanos()}).
     *
     * @param nowNanos the reactor's time
     * @return the entries removed
     */
    public int expire(long nowNanos) {
        int removed = 0;
        while (oldest != NONE && expiry[oldest] - nowNanos <= 0) {
            remove(oldest);
            removed++;
        }
        expirations += removed;
        return removed;
    }

    /**
     * When the oldest entry expires.
     *
     * @return the reactor time, or {@link Long#MAX_VALUE} when empty
     */
    public long nextExpiryNanos() {
        return oldest == NONE ? Long.MAX_VALUE : expiry[oldest];
    }

    /**
     * SND.NXT of an entry.
     *
     * @param entry a live entry
     * @return the sequence number for its ACKs
     */
    public int sndNxt(int entry) {
        return sndNxt[entry];
    }

    /**
     * RCV.NXT of an entry.
     *
     * @param entry a live entry
     * @return the acknowledgement number for its ACKs
     */
    public int rcvNxt(int entry) {
        return rcvNxt[entry];
    }

    /**
     * The window field of an entry's ACKs.
     *
     * @param entry a live entry
     * @return the 16-bit field value
     */
    public int window(int entry) {
        return window[entry];
    }

    /**
     * TS.Recent of an entry.
     *
     * @param entry a live entry
     * @return the last timestamp accepted from the peer
     */
    public int tsRecent(int entry) {
        return tsRecent[entry];
    }

    /**
     * Updates TS.Recent of an entry (RFC 7323 section 4.3, for an accepted segment).
     *
     * @param entry a live entry
     * @param value the segment's TSval
     */
    public void setTsRecent(int entry, int value) {
        tsRecent[entry] = value;
    }

    /**
     * Whether the connection used timestamps.
     *
     * @param entry a live entry
     * @return true if its ACKs carry the timestamp option
     */
    public boolean hasTimestamps(int entry) {
        return timestamps[entry];
    }

    /**
     * When an entry expires.
     *
     * @param entry a live entry
     * @return the reactor time
     */
    public long expiresAt(int entry) {
        return expiry[entry];
    }

    /**
     * Entries now.
     *
     * @return 0 to {@link #capacity()}
     */
    public int size() {
        return size;
    }

    /**
     * The most entries at once.
     *
     * @return the capacity
     */
    public int capacity() {
        return capacity;
    }

    /**
     * Entries recycled early because the table was full.
     *
     * @return the count since creation
     */
    public long overflows() {
        return overflows;
    }

    /**
     * Entries removed by {@link #expire} after their 2 MSL, or found expired by a lookup.
     *
     * @return the count since creation
     */
    public long expirations() {
        return expirations;
    }

    // ---------------------------------------------------------------- internals

    private static int packPorts(int localPort, int remotePort) {
        return (localPort & 0xFFFF) << 16 | (remotePort & 0xFFFF);
    }

    private int hashV4(int localAddress, int localPort, int remoteAddress, int remotePort) {
        return (int) hash.reset(key0, key1).addV4(localAddress, localPort, remoteAddress, remotePort).finish();
    }

    private int hashV6(long lh, long ll, int lp, long rh, long rl, int rp) {
        return (int) hash.reset(key0, key1).addV6(lh, ll, lp, rh, rl, rp).finish();
    }

    private int add(boolean family6, long lh, long ll, long rh, long rl, int packedPorts, int h, int sendNext,
            int receiveNext, int windowField, int timestampRecent, boolean useTimestamps, long nowNanos) {
        int entry = find(family6, lh, ll, rh, rl, packedPorts, h);
        if (entry == NONE) {
            if (freeCount == 0) {
                overflow();
                remove(oldest);
            }
            entry = freeList[--freeCount];
            size++;
            v6[entry] = family6;
            localHigh[entry] = lh;
            localLow[entry] = ll;
            remoteHigh[entry] = rh;
            remoteLow[entry] = rl;
            ports[entry] = packedPorts;
            hashes[entry] = h;
            index(entry);
        } else {
            unlink(entry);
        }
        sndNxt[entry] = sendNext;
        rcvNxt[entry] = receiveNext;
        window[entry] = windowField;
        tsRecent[entry] = timestampRecent;
        timestamps[entry] = useTimestamps;
        expiry[entry] = nowNanos + duration;
        append(entry);
        return entry;
    }

    private void overflow() {
        overflows++;
        if (Long.bitCount(overflows) == 1) {
            LOG.warn("TIME-WAIT table full ({} entries): recycled the oldest entry early ({} times so far)",
                capacity, overflows);
        }
    }

    private int live(int entry, long nowNanos) {
        if (entry != NONE && expiry[entry] - nowNanos <= 0) {
            remove(entry);
            expirations++;
            return NONE;
        }
        return entry;
    }

    private int find(boolean family6, long lh, long ll, long rh, long rl, int packedPorts, int h) {
        for (int slot = h & mask; ; slot = (slot + 1) & mask) {
            int e = slots[slot] - 1;
            if (e == NONE) {
                return NONE;
            }
            if (hashes[e] == h && ports[e] == packedPorts && localLow[e] == ll && remoteLow[e] == rl
                    && localHigh[e] == lh && remoteHigh[e] == rh && v6[e] == family6) {
                return e;
            }
        }
    }

    private void index(int entry) {
        int slot = hashes[entry] & mask;
        while (slots[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        slots[slot] = entry + 1;
    }

    /** Linear-probing deletion with backward shift: no tombstones, so probes stay short. */
    private void unindex(int entry) {
        int slot = hashes[entry] & mask;
        while (slots[slot] != entry + 1) {
            slot = (slot + 1) & mask;
        }
        int hole = slot;
        for (int next = (hole + 1) & mask; slots[next] != 0; next = (next + 1) & mask) {
            int home = hashes[slots[next] - 1] & mask;
            // move the entry at next back into the hole if its home is not in (hole, next]
            if (((next - home) & mask) >= ((next - hole) & mask)) {
                slots[hole] = slots[next];
                hole = next;
            }
        }
        slots[hole] = 0;
    }

    private void append(int entry) {
        older[entry] = newest;
        newer[entry] = NONE;
        if (newest != NONE) {
            newer[newest] = entry;
        } else {
            oldest = entry;
        }
        newest = entry;
    }

    private void unlink(int entry) {
        int o = older[entry];
        int n = newer[entry];
        if (o != NONE) {
            newer[o] = n;
        } else {
            oldest = n;
        }
        if (n != NONE) {
            older[n] = o;
        } else {
            newest = o;
        }
    }

    @Override
    public String toString() {
        return "TimeWaitTable[" + size + "/" + capacity + " entries, " + overflows + " overflows]";
    }
}

package io.jpair.socket;

import io.jpair.ip.Ipv4Header;
import io.jpair.ip.Ipv6Header;
import io.jpair.sys.IoVec;
import io.jpair.sys.MultiMessage;
import io.jpair.sys.Sockaddr;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * The reused native memory of a {@link UdpPort}'s {@code recvmmsg} or {@code sendmmsg}: one block
 * holding {@code capacity} message headers ({@code struct mmsghdr}), their iovecs, source or
 * destination addresses, control messages, and the payload bytes. Allocated once per start of the
 * port; nothing is allocated per datagram.
 *
 * <p>A <b>receive</b> batch has one payload slot of {@link #slotSize()} bytes per entry; a
 * <b>send</b> batch appends each datagram's payload after the previous one. Public so that a
 * {@link UdpSystem} (the kernel's or a fake) can fill and read it: the accessors that allocate
 * ({@link #received}, {@link #sendPayload}, {@link #sendDestination}) are for fakes and tests.
 * Not thread-safe: the port's reactor thread only.
 */
public final class DatagramBatch {
    /** Control-message room per entry: {@code CMSG_SPACE(int)} for {@code UDP_GRO} and room to spare. */
    public static final int CONTROL_SIZE = 64;

    private final Arena arena;
    private final int capacity;
    private final int slotSize;
    private final MemorySegment headers;
    private final MemorySegment iovecs;
    private final MemorySegment names;
    private final MemorySegment controls;
    private final MemorySegment payload;
    private final ByteBuffer[] views;
    private final ByteBuffer payloadView;
    private int sends;
    private int cursor;

    private DatagramBatch(int capacity, int slotSize, long payloadBytes, boolean receive) {
        this.capacity = capacity;
        this.slotSize = slotSize;
        // Shared: a port may be started on one thread and read on the reactor's; closed on stop.
        this.arena = Arena.ofShared();
        headers = arena.allocate((long) capacity * MultiMessage.MMSGHDR_SIZE, 8);
        iovecs = arena.allocate(capacity * IoVec.SIZE, 8);
        names = arena.allocate((long) capacity * Sockaddr.SLOT_SIZE, 8);
        controls = arena.allocate((long) capacity * CONTROL_SIZE, 8);
        payload = arena.allocate(payloadBytes, 64);
        payloadView = payload.asByteBuffer();
        for (int i = 0; i < capacity; i++) {
            long header = (long) i * MultiMessage.MMSGHDR_SIZE;
            headers.set(ValueLayout.JAVA_LONG, header + MultiMessage.NAME, names.address() + (long) i * Sockaddr.SLOT_SIZE);
            headers.set(ValueLayout.JAVA_LONG, header + MultiMessage.IOV, iovecs.address() + i * IoVec.SIZE);
            headers.set(ValueLayout.JAVA_LONG, header + MultiMessage.IOV_LENGTH, 1L);
            headers.set(ValueLayout.JAVA_LONG, header + MultiMessage.CONTROL, controls.address() + (long) i * CONTROL_SIZE);
        }
        if (receive) {
            views = new ByteBuffer[capacity];
            for (int i = 0; i < capacity; i++) {
                long slot = (long) i * slotSize;
                IoVec.set(iovecs, i, payload.address() + slot, slotSize);
                views[i] = payload.asSlice(slot, slotSize).asByteBuffer();
            }
        } else {
            views = null;
        }
    }

    /**
     * A receive batch.
     *
     * @param capacity datagrams per {@code recvmmsg}
     * @param slotSize the largest datagram (with GRO: the largest coalesced one, 65535)
     * @return the batch
     */
    public static DatagramBatch forReceive(int capacity, int slotSize) {
        return new DatagramBatch(capacity, slotSize, (long) capacity * slotSize, true);
    }

    /**
     * A send batch.
     *
     * @param capacity datagrams per {@code sendmmsg}
     * @param payloadBytes room for the payloads of one batch together
     * @return the batch
     */
    public static DatagramBatch forSend(int capacity, int payloadBytes) {
        return new DatagramBatch(capacity, payloadBytes, payloadBytes, false);
    }

    /**
     * Entries per system call.
     *
     * @return the capacity
     */
    public int capacity() {
        return capacity;
    }

    /**
     * Bytes per receive slot (a send batch: the whole payload room).
     *
     * @return the size
     */
    public int slotSize() {
        return slotSize;
    }

    /**
     * The address of entry {@code index}'s {@code mmsghdr}, for the system call.
     *
     * @param index the entry
     * @return a native address
     */
    public long headerAddress(int index) {
        return headers.address() + (long) index * MultiMessage.MMSGHDR_SIZE;
    }

    /** Frees the memory; the batch must not be used afterwards. */
    void release() {
        arena.close();
    }

    // ------------------------------------------------------------------ receive

    /**
     * Resets the in/out fields the kernel overwrites ({@code msg_namelen}, {@code msg_controllen},
     * {@code msg_flags}, {@code msg_len}) for the first {@code count} entries.
     *
     * @param count entries to prepare
     */
    public void prepareReceive(int count) {
        for (int i = 0; i < count; i++) {
            long header = (long) i * MultiMessage.MMSGHDR_SIZE;
            headers.set(ValueLayout.JAVA_INT, header + MultiMessage.NAME_LENGTH, Sockaddr.SLOT_SIZE);
            headers.set(ValueLayout.JAVA_LONG, header + MultiMessage.CONTROL_LENGTH, CONTROL_SIZE);
            headers.set(ValueLayout.JAVA_INT, header + MultiMessage.FLAGS, 0);
            headers.set(ValueLayout.JAVA_INT, header + MultiMessage.LENGTH, 0);
        }
    }

    /**
     * The bytes received in entry {@code index}.
     *
     * @param index the entry
     * @return {@code msg_len}
     */
    public int length(int index) {
        return headers.get(ValueLayout.JAVA_INT, (long) index * MultiMessage.MMSGHDR_SIZE + MultiMessage.LENGTH);
    }

    /**
     * Whether entry {@code index} was cut short ({@code MSG_TRUNC}: larger than its slot).
     *
     * @param index the entry
     * @return true if truncated
     */
    public boolean truncated(int index) {
        return (headers.get(ValueLayout.JAVA_INT, (long) index * MultiMessage.MMSGHDR_SIZE + MultiMessage.FLAGS)
            & MultiMessage.MSG_TRUNC) != 0;
    }

    /**
     * The GRO segment size of entry {@code index} ({@code UDP_GRO} control message).
     *
     * @param index the entry
     * @return the size of each coalesced segment, or 0 for an ordinary datagram
     */
    public int segmentSize(int index) {
        long header = (long) index * MultiMessage.MMSGHDR_SIZE;
        long controlLength = headers.get(ValueLayout.JAVA_LONG, header + MultiMessage.CONTROL_LENGTH);
        return MultiMessage.groSegmentSize(controls, (long) index * CONTROL_SIZE, Math.min(controlLength, CONTROL_SIZE));
    }

    /**
     * The payload slot of entry {@code index} as a reused buffer over native memory (position and
     * limit are the caller's to set).
     *
     * @param index the entry
     * @return the view
     */
    public ByteBuffer payload(int index) {
        return views[index];
    }

    /**
     * The source address family of entry {@code index}.
     *
     * @param index the entry
     * @return {@link UdpSystem#AF_INET} or {@link UdpSystem#AF_INET6}
     */
    public int sourceFamily(int index) {
        return Sockaddr.family(names, (long) index * Sockaddr.SLOT_SIZE);
    }

    /**
     * The source port of entry {@code index}.
     *
     * @param index the entry
     * @return 0..65535
     */
    public int sourcePort(int index) {
        return Sockaddr.port(names, (long) index * Sockaddr.SLOT_SIZE);
    }

    /**
     * The IPv4 source of an {@code AF_INET} entry.
     *
     * @param index the entry
     * @return the address as an int
     */
    public int sourceIpv4(int index) {
        return Sockaddr.ipv4(names, (long) index * Sockaddr.SLOT_SIZE);
    }

    /**
     * The IPv6 source of an {@code AF_INET6} entry, high 64 bits.
     *
     * @param index the entry
     * @return the bits
     */
    public long sourceHigh(int index) {
        return Sockaddr.ipv6High(names, (long) index * Sockaddr.SLOT_SIZE);
    }

    /**
     * The IPv6 source of an {@code AF_INET6} entry, low 64 bits.
     *
     * @param index the entry
     * @return the bits
     */
    public long sourceLow(int index) {
        return Sockaddr.ipv6Low(names, (long) index * Sockaddr.SLOT_SIZE);
    }

    /**
     * Fills receive entry {@code index} as the kernel would (for in-memory systems): copies the
     * payload (setting {@code MSG_TRUNC} and cutting it when it exceeds the slot), writes the
     * source address ({@code AF_INET6} family writes an IPv4 source v4-mapped) and, for a
     * coalesced datagram, the {@code UDP_GRO} control message.
     *
     * @param index the entry
     * @param data the datagram, from position to limit (position not moved)
     * @param source the sender
     * @param family the receiving socket's family
     * @param segmentSize the GRO segment size, or 0 for an ordinary datagram
     */
    public void received(int index, ByteBuffer data, InetSocketAddress source, int family, int segmentSize) {
        InetAddress address = source.getAddress();
        if (address instanceof Inet4Address) {
            receivedIpv4(index, data, Ipv4Header.toInt(address), source.getPort(), family, segmentSize);
        } else {
            receivedIpv6(index, data, Ipv6Header.high(address), Ipv6Header.low(address),
                ((Inet6Address) address).getScopeId(), source.getPort(), segmentSize);
        }
    }

    /**
     * {@link #received} from an IPv4 sender given as primitives (allocation-free).
     *
     * @param index the entry
     * @param data the datagram, from position to limit (position not moved)
     * @param address the sender's address as an int
     * @param port the sender's port
     * @param family the receiving socket's family (an {@code AF_INET6} socket sees it v4-mapped)
     * @param segmentSize the GRO segment size, or 0
     */
    public void receivedIpv4(int index, ByteBuffer data, int address, int port, int family, int segmentSize) {
        long name = (long) index * Sockaddr.SLOT_SIZE;
        if (family == UdpSystem.AF_INET) {
            Sockaddr.writeIpv4(names, name, address, port);
        } else {
            Sockaddr.writeIpv6(names, name, 0, 0xFFFF_0000_0000L | (address & 0xFFFF_FFFFL), port, 0);
        }
        fill(index, data, segmentSize);
    }

    /**
     * {@link #received} from an IPv6 sender given as primitives (allocation-free).
     *
     * @param index the entry
     * @param data the datagram, from position to limit (position not moved)
     * @param high the sender's address, high 64 bits
     * @param low the sender's address, low 64 bits
     * @param scopeId its scope id
     * @param port the sender's port
     * @param segmentSize the GRO segment size, or 0
     */
    public void receivedIpv6(int index, ByteBuffer data, long high, long low, int scopeId, int port,
            int segmentSize) {
        Sockaddr.writeIpv6(names, (long) index * Sockaddr.SLOT_SIZE, high, low, port, scopeId);
        fill(index, data, segmentSize);
    }

    private void fill(int index, ByteBuffer data, int segmentSize) {
        long header = (long) index * MultiMessage.MMSGHDR_SIZE;
        int length = data.remaining();
        int kept = Math.min(length, slotSize);
        payloadView.put((int) ((long) index * slotSize), data, data.position(), kept);
        headers.set(ValueLayout.JAVA_INT, header + MultiMessage.LENGTH, kept);
        headers.set(ValueLayout.JAVA_INT, header + MultiMessage.FLAGS, length > slotSize ? MultiMessage.MSG_TRUNC : 0);
        long control = 0;
        if (segmentSize > 0) {
            control = MultiMessage.writeGroSegmentSize(controls, (long) index * CONTROL_SIZE, segmentSize);
        }
        headers.set(ValueLayout.JAVA_LONG, header + MultiMessage.CONTROL_LENGTH, control);
    }

    // ------------------------------------------------------------------ send

    /**
     * How many sends are queued.
     *
     * @return the count
     */
    public int sendCount() {
        return sends;
    }

    /**
     * Whether one more datagram of {@code length} bytes fits.
     *
     * @param length the payload size
     * @return true if there is an entry and payload room for it
     */
    boolean hasRoom(int length) {
        return sends < capacity && cursor + length <= payload.byteSize();
    }

    /** Forgets every queued send. */
    void clearSends() {
        sends = 0;
        cursor = 0;
    }

    /**
     * Queues a datagram to an IPv4 destination; on an {@code AF_INET6} socket the destination is
     * written v4-mapped.
     */
    void addIpv4(ByteBuffer data, int offset, int length, int family, int address, int port, int segmentSize) {
        long name = (long) sends * Sockaddr.SLOT_SIZE;
        int nameLength = family == UdpSystem.AF_INET
            ? Sockaddr.writeIpv4(names, name, address, port)
            : Sockaddr.writeIpv6(names, name, 0, 0xFFFF_0000_0000L | (address & 0xFFFF_FFFFL), port, 0);
        add(data, offset, length, nameLength, segmentSize);
    }

    /** Queues a datagram to an IPv6 destination. */
    void addIpv6(ByteBuffer data, int offset, int length, long high, long low, int port, int scopeId, int segmentSize) {
        int nameLength = Sockaddr.writeIpv6(names, (long) sends * Sockaddr.SLOT_SIZE, high, low, port, scopeId);
        add(data, offset, length, nameLength, segmentSize);
    }

    /** Queues a datagram to the connected peer (no address). */
    void addConnected(ByteBuffer data, int offset, int length, int segmentSize) {
        add(data, offset, length, 0, segmentSize);
    }

    private void add(ByteBuffer data, int offset, int length, int nameLength, int segmentSize) {
        int index = sends++;
        long header = (long) index * MultiMessage.MMSGHDR_SIZE;
        payloadView.put(cursor, data, offset, length);
        IoVec.set(iovecs, index, payload.address() + cursor, length);
        cursor += (length + 7) & ~7;
        headers.set(ValueLayout.JAVA_LONG, header + MultiMessage.NAME,
            nameLength == 0 ? 0L : names.address() + (long) index * Sockaddr.SLOT_SIZE);
        headers.set(ValueLayout.JAVA_INT, header + MultiMessage.NAME_LENGTH, nameLength);
        long control = 0;
        if (segmentSize > 0) {
            control = MultiMessage.writeUdpSegment(controls, (long) index * CONTROL_SIZE, segmentSize);
        }
        headers.set(ValueLayout.JAVA_LONG, header + MultiMessage.CONTROL, control == 0 ? 0L
            : controls.address() + (long) index * CONTROL_SIZE);
        headers.set(ValueLayout.JAVA_LONG, header + MultiMessage.CONTROL_LENGTH, control);
        headers.set(ValueLayout.JAVA_INT, header + MultiMessage.FLAGS, 0);
        headers.set(ValueLayout.JAVA_INT, header + MultiMessage.LENGTH, 0);
    }

    /**
     * The payload length of send entry {@code index}.
     *
     * @param index the entry
     * @return bytes
     */
    public int sendLength(int index) {
        return (int) iovecs.get(ValueLayout.JAVA_LONG, index * IoVec.SIZE + 8);
    }

    /**
     * Queues send entry {@code index} of {@code from} again as separate datagrams of its GSO
     * segment size, to the same destination: the fallback when the kernel refuses GSO
     * ({@code EIO}). The caller has checked there is room.
     */
    void addSplit(DatagramBatch from, int index) {
        long iov = index * IoVec.SIZE;
        int base = (int) (from.iovecs.get(ValueLayout.JAVA_LONG, iov) - from.payload.address());
        int length = (int) from.iovecs.get(ValueLayout.JAVA_LONG, iov + 8);
        int segmentSize = from.sendSegmentSize(index);
        int nameLength = from.headers.get(ValueLayout.JAVA_INT,
            (long) index * MultiMessage.MMSGHDR_SIZE + MultiMessage.NAME_LENGTH);
        for (int offset = 0; offset < length; offset += segmentSize) {
            MemorySegment.copy(from.names, (long) index * Sockaddr.SLOT_SIZE, names, (long) sends * Sockaddr.SLOT_SIZE,
                Sockaddr.SLOT_SIZE);
            add(from.payloadView, base + offset, Math.min(segmentSize, length - offset), nameLength, 0);
        }
    }

    /**
     * The scope id of an {@code AF_INET6} source (the interface of a link-local sender).
     *
     * @param index the entry
     * @return the scope id
     */
    public int sourceScopeId(int index) {
        return Sockaddr.scopeId(names, (long) index * Sockaddr.SLOT_SIZE);
    }

    /**
     * The GSO segment size of send entry {@code index}.
     *
     * @param index the entry
     * @return the {@code UDP_SEGMENT} value, or 0 for a plain datagram
     */
    public int sendSegmentSize(int index) {
        long header = (long) index * MultiMessage.MMSGHDR_SIZE;
        if (headers.get(ValueLayout.JAVA_LONG, header + MultiMessage.CONTROL_LENGTH) == 0) {
            return 0;
        }
        return controls.get(ValueLayout.JAVA_SHORT_UNALIGNED, (long) index * CONTROL_SIZE + MultiMessage.CMSG_HEADER)
            & 0xFFFF;
    }

    /**
     * A copy of send entry {@code index}'s payload (allocates; for fakes and tests).
     *
     * @param index the entry
     * @return the bytes
     */
    public byte[] sendPayload(int index) {
        long iov = index * IoVec.SIZE;
        long base = iovecs.get(ValueLayout.JAVA_LONG, iov) - payload.address();
        long length = iovecs.get(ValueLayout.JAVA_LONG, iov + 8);
        return payload.asSlice(base, length).toArray(ValueLayout.JAVA_BYTE);
    }

    /**
     * Send entry {@code index}'s destination (allocates; for fakes and tests). A v4-mapped
     * destination is returned as IPv4.
     *
     * @param index the entry
     * @return the address, or {@code null} for the connected peer
     */
    public InetSocketAddress sendDestination(int index) {
        long header = (long) index * MultiMessage.MMSGHDR_SIZE;
        if (headers.get(ValueLayout.JAVA_INT, header + MultiMessage.NAME_LENGTH) == 0) {
            return null;
        }
        long name = (long) index * Sockaddr.SLOT_SIZE;
        int port = Sockaddr.port(names, name);
        try {
            if (Sockaddr.family(names, name) == Sockaddr.AF_INET) {
                return new InetSocketAddress(InetAddress.getByAddress(bytes(Sockaddr.ipv4(names, name))), port);
            }
            byte[] raw = new byte[16];
            ByteBuffer.wrap(raw).putLong(Sockaddr.ipv6High(names, name)).putLong(Sockaddr.ipv6Low(names, name));
            return new InetSocketAddress(InetAddress.getByAddress(raw), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] bytes(int address) {
        return new byte[] {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
    }
}

package io.jpair.bench.jmh;

import io.jpair.testing.Packets;
import io.jpair.tuntap.offload.GroTable;
import io.jpair.tuntap.offload.VirtioNetHeader;
import java.nio.ByteBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Offload send: {@link GroTable#coalesce} turning a batch of 42 packets of one flow (IPv4 UDP, or
 * TCP segments with consecutive sequence numbers) into one GSO super-packet, as
 * {@code TunQueue.write} and {@code TuntapPort}'s write offload do before a {@code write()}.
 * Scores are per packet. Coalescing appends each payload to the first packet's buffer, so every
 * invocation first puts back the first packet's 40 header bytes and limit (the only state it
 * changes); that is part of the score, and small.
 */
@State(Scope.Thread)
public class GroCoalesceBenchmark extends AbstractMicrobenchmark {
    private static final int PACKETS = 42;
    private static final int HEAD_ROOM = VirtioNetHeader.LENGTH;

    /** The transport: UDP or TCP. */
    @Param({"udp", "tcp"})
    public String protocol;

    /** The payload per packet in bytes. */
    @Param({"64", "1400"})
    public int payload;

    private final ByteBuffer[] bufs = new ByteBuffer[PACKETS];
    private GroTable table;
    private final byte[] firstHeaders = new byte[40];
    private int firstLimit;

    /** Created by JMH. */
    public GroCoalesceBenchmark() {
    }

    /** Builds the batch: one flow, equal payloads, each packet in its own 64 KiB direct buffer. */
    @Setup
    public void setUp() {
        boolean tcp = protocol.equals("tcp");
        table = new GroTable(PACKETS, true, true);
        for (int i = 0; i < PACKETS; i++) {
            byte[] packet = tcp ? tcpSegment(1_000_000 + (long) i * payload, new byte[payload])
                : Packets.ipv4Udp("10.99.0.2", 9, "10.99.0.1", 5000, new byte[payload]);
            bufs[i] = ByteBuffer.allocateDirect(HEAD_ROOM + 65535);
            bufs[i].put(HEAD_ROOM, packet).limit(HEAD_ROOM + packet.length);
        }
        bufs[0].get(HEAD_ROOM, firstHeaders);
        firstLimit = bufs[0].limit();
        if (coalesce() != 1) {
            throw new IllegalStateException("the batch did not coalesce into one super-packet");
        }
    }

    /** An IPv4/TCP segment with only ACK set (checksums are not looked at by coalescing). */
    private static byte[] tcpSegment(long sequence, byte[] data) {
        byte[] p = new byte[40 + data.length];
        ByteBuffer b = ByteBuffer.wrap(p);
        b.put(0, (byte) 0x45).putShort(2, (short) p.length).put(6, (byte) 0x40).put(8, (byte) 64).put(9, (byte) 6);
        b.put(12, Packets.address("10.99.0.2", 4)).put(16, Packets.address("10.99.0.1", 4));
        b.putShort(20, (short) 5201).putShort(22, (short) 40000).putInt(24, (int) sequence).putInt(28, 77);
        b.put(32, (byte) 0x50).put(33, (byte) 0x10).putShort(34, (short) 65535);
        b.put(40, data);
        return p;
    }

    /**
     * Puts the first packet back and coalesces the batch.
     *
     * @return how many packets are left to write (1)
     */
    @Benchmark
    @OperationsPerInvocation(PACKETS)
    public int coalesce() {
        bufs[0].put(HEAD_ROOM, firstHeaders).limit(firstLimit);
        return table.coalesce(bufs, PACKETS, HEAD_ROOM);
    }
}

package io.jpair.cli;

import io.jpair.pcap.PcapWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;

/**
 * Where {@code jpair capture} puts each packet: a pcap record, or a one-line summary; it stops
 * the capture after a given count or when the file cannot be written.
 *
 * <p>Reactor thread only. The pcap path allocates nothing per packet; the summary path does (it
 * formats text).
 */
final class PacketRecorder {
    private PcapWriter pcap;
    private final PrintWriter summaries;
    private final PacketSummary summary;
    private final long limit;
    private final Runnable stop;
    private long packets;
    private IOException failure;

    /**
     * Creates the recorder.
     *
     * @param summaries where summaries go (unless a pcap file is given with {@link #writeTo})
     * @param ethernet whether packets start with an Ethernet header (TAP) rather than IP (TUN)
     * @param limit stop after this many packets; {@code Long.MAX_VALUE} for no limit
     * @param stop how to stop the capture; called once, on the reactor thread
     */
    PacketRecorder(PrintWriter summaries, boolean ethernet, long limit, Runnable stop) {
        this.summaries = summaries;
        this.summary = new PacketSummary(ethernet);
        this.limit = limit;
        this.stop = stop;
    }

    /**
     * Appends packets to a pcap file instead of printing summaries. Reactor thread (or before it runs).
     *
     * @param file the writer
     */
    void writeTo(PcapWriter file) {
        this.pcap = file;
    }

    /**
     * Records one packet (ignored once the limit is reached or after a failure).
     *
     * @param packet borrowed for the call; position and limit are left as they were
     */
    void record(ByteBuffer packet) {
        if (packets >= limit || failure != null) {
            return;
        }
        packets++;
        if (pcap != null) {
            try {
                pcap.append(packet);
            } catch (IOException e) {
                failure = e;
                stop.run();
                return;
            }
        } else {
            summaries.println(summary.describe(packet));
            summaries.flush();
        }
        if (packets == limit) {
            stop.run();
        }
    }

    /**
     * Packets recorded.
     *
     * @return the count
     */
    long packets() {
        return packets;
    }

    /**
     * The write failure that stopped the capture.
     *
     * @return the failure, or {@code null}
     */
    IOException failure() {
        return failure;
    }
}

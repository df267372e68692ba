package io.jpair.bench;

import io.jpair.ip.IpPacket;
import io.jpair.reactor.EpollReactor;
import io.jpair.socket.UdpOptions;
import io.jpair.socket.UdpPort;
import io.jpair.udp.DatagramProtocol;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * The jpair side of the UDP receive benchmark ({@code bench/udp/run-rx.sh}), the counterpart of
 * {@code bench/udp/udprecv.c}: per round, a sending {@link UdpPort} fills the receiving port's queue
 * with COUNT datagrams over loopback ({@code sendmmsg} of 64 at a time), then the drain is timed:
 * {@link EpollReactor} turns until COUNT arrived through the receiving port's {@code recvmmsg}
 * batches (or 200 ms pass without any: a drop, reported). Not a test.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp benchmarks.jar io.jpair.bench.UdpDrain COUNT ROUNDS WARMUP [SIZE] [BATCH]
 * </pre>
 * Prints one {@code RESULT} line per measured round, with the reactor thread's heap allocation
 * per datagram.
 */
public final class UdpDrain {
    private UdpDrain() {
    }

    /** Counts datagrams (and touches one byte of each, as the C reader's copy does). */
    static final class Counter extends DatagramProtocol {
        long datagrams;
        long checksum;

        @Override
        public void datagramReceived(ByteBuffer payload, IpPacket packet, int sourcePort) {
            datagrams++;
            if (payload.hasRemaining()) {
                checksum += payload.get(payload.position());
            }
        }
    }

    /**
     * Entry point.
     *
     * @param args COUNT ROUNDS WARMUP [SIZE] [BATCH]
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        long count = Long.parseLong(args[0]);
        int rounds = Integer.parseInt(args[1]);
        int warmup = Integer.parseInt(args[2]);
        int size = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        int batch = args.length > 4 ? Integer.parseInt(args[4]) : 64;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (EpollReactor reactor = new EpollReactor()) {
            Counter counter = new Counter();
            UdpPort receiver = new UdpPort(0, counter, loopback,
                UdpOptions.defaults().withReceiveBatch(batch).withReceiveBufferSize(256 << 20), reactor, null);
            receiver.startListening();
            UdpPort sender = new UdpPort(0, new DatagramProtocol() { }, loopback,
                UdpOptions.defaults().withExplicitFlush(true), reactor, null);
            sender.startListening();
            sender.stopReading();
            int destination = 0x7F00_0001;
            ByteBuffer payload = ByteBuffer.allocateDirect(size);
            for (int r = 0; r < warmup + rounds; r++) {
                for (long sent = 0; sent < count; sent++) {
                    sender.writeIpv4(payload, destination, receiver.getPort());
                    if (sent % 64 == 63) {
                        sender.flush();
                    }
                }
                sender.flush();
                long target = counter.datagrams + count;
                long first = counter.datagrams;
                long wakeups = receiver.counters().readBatches();
                long allocated = threads.getCurrentThreadAllocatedBytes();
                long start = System.nanoTime();
                long idleSince = start;
                while (counter.datagrams < target) {
                    long before = counter.datagrams;
                    reactor.runOnce(50_000_000L);
                    long now = System.nanoTime();
                    if (counter.datagrams != before) {
                        idleSince = now;
                    } else if (now - idleSince > 200_000_000L) {
                        break;
                    }
                }
                long elapsed = System.nanoTime() - start;
                long received = counter.datagrams - first;
                allocated = threads.getCurrentThreadAllocatedBytes() - allocated;
                if (r >= warmup) {
                    System.out.printf("RESULT impl=jpair round=%d datagrams=%d size=%d ns_per_dgram=%.1f mpps=%.3f"
                        + " batches=%d alloc_bytes_per_dgram=%.2f dropped=%d%n", r - warmup + 1, received, size,
                        (double) elapsed / Math.max(1, received), received * 1e3 / Math.max(1, elapsed),
                        receiver.counters().readBatches() - wakeups, (double) allocated / Math.max(1, received),
                        count - received);
                }
            }
            sender.stopListening();
            receiver.stopListening();
            reactor.runOnce(0);
        }
    }
}

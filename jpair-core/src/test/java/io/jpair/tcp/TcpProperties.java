package io.jpair.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of the TCP state machine: whatever the link does (seeded loss, reordering,
 * duplication, delay) and however the application writes, bytes arrive in order, exactly once,
 * and everything sent is acknowledged; whatever garbage arrives, nothing throws.
 */
class TcpProperties {
    @Property(tries = 40)
    void bytesArriveInOrderExactlyOnceAndAreAllAcknowledged(@ForAll long seed,
            @ForAll @DoubleRange(min = 0, max = 0.1) double loss,
            @ForAll @DoubleRange(min = 0, max = 0.1) double reorder,
            @ForAll @DoubleRange(min = 0, max = 0.1) double duplicate,
            @ForAll @IntRange(min = 0, max = 20) int delayMillis,
            @ForAll @Size(min = 1, max = 20) List<@IntRange(min = 1, max = 20_000) Integer> writes,
            @ForAll boolean noDelay, @ForAll boolean pauseReader) {
        TcpPair pair = new TcpPair(seed, TcpOptions.defaults().withNoDelay(noDelay),
            TcpOptions.defaults().withReceiveBuffer(32 * 1024));
        pair.link.delay(Duration.ofMillis(delayMillis));
        pair.listen(9, peer -> new RecordingProtocol().echoing());
        RecordingProtocol client = new RecordingProtocol();
        pair.connect("10.0.0.2", 9, client);
        pair.run(Duration.ofSeconds(2));
        assertThat(pair.accepted).hasSize(1);
        pair.link.loss(loss).reorder(reorder).duplicate(duplicate);
        int total = writes.stream().mapToInt(Integer::intValue).sum();
        byte[] data = TcpConnectionTest.randomBytes(total, seed);
        int at = 0;
        if (pauseReader) {
            pair.accepted.get(0).transport().pauseProducing();
        }
        for (int length : writes) {
            client.transport().write(ByteBuffer.wrap(data, at, length));
            at += length;
            pair.run(Duration.ofMillis(3));
        }
        if (pauseReader) {
            pair.run(Duration.ofSeconds(1));
            pair.accepted.get(0).transport().resumeProducing();
        }
        pair.run(Duration.ofSeconds(200));
        assertThat(pair.accepted.get(0).bytes()).isEqualTo(data);
        assertThat(client.bytes()).isEqualTo(data);
        assertThat(client.connection().bytesInFlight()).isZero();
        assertThat(pair.accepted.get(0).connection().bytesInFlight()).isZero();
        assertThat(pair.reactor.errors()).isEmpty();
        assertThat(pair.client.drops().get(TcpDrop.PROTOCOL_FAILED)).isZero();
        assertThat(pair.server.drops().get(TcpDrop.PROTOCOL_FAILED)).isZero();
    }

    @Property(tries = 200)
    void randomSegmentsToAnEstablishedConnectionNeverThrow(@ForAll @Size(max = 30) List<byte[]> segments,
            @ForAll @IntRange(min = 0, max = 255) int flags, @ForAll int seqOffset, @ForAll int ackOffset) {
        TcpPair pair = new TcpPair(1);
        pair.listen(9, peer -> new RecordingProtocol().echoing());
        RecordingProtocol client = new RecordingProtocol();
        pair.connect("10.0.0.2", 9, client);
        pair.settle();
        TcpConnection server = pair.accepted.get(0).connection();
        java.nio.ByteBuffer packet = ByteBuffer.allocate(2048);
        TcpHeader h = new TcpHeader();
        for (byte[] garbage : segments) {
            // a syntactically valid header for the live 4-tuple, random flags, numbers and payload
            byte[] tcp = new byte[TcpHeader.MIN_LENGTH + Math.min(garbage.length, 1400)];
            ByteBuffer b = ByteBuffer.wrap(tcp);
            h.wrap(b, 0).write(client.connection().getHost().getPort(), 9, seqOffset + garbage.length,
                ackOffset ^ garbage.length, TcpHeader.MIN_LENGTH, flags ^ (garbage.length > 0 ? garbage[0] : 0), 65535);
            System.arraycopy(garbage, 0, tcp, TcpHeader.MIN_LENGTH, tcp.length - TcpHeader.MIN_LENGTH);
            byte[] ip = Segments.ipv4("10.0.0.1", client.connection().getHost().getPort(), "10.0.0.2", 9,
                h.sequence(), h.acknowledgment(), h.flags(), 65535, new byte[0],
                java.util.Arrays.copyOfRange(tcp, TcpHeader.MIN_LENGTH, tcp.length));
            packet.clear().put(ip).flip();
            pair.serverIp.datagramReceived(packet, io.jpair.transport.RawPacketProtocol.NO_MAC,
                io.jpair.transport.RawPacketProtocol.NO_MAC, 0);
            pair.serverIp.readComplete();
            pair.run(Duration.ofMillis(50));
        }
        assertThat(pair.server.drops().get(TcpDrop.PROTOCOL_FAILED)).isZero();
        assertThat(pair.serverIp.drops().get(io.jpair.ip.IpDrop.PROTOCOL_FAILED)).isZero();
        assertThat(pair.reactor.errors()).isEmpty();
        assertThat(server.state()).isNotNull();
    }
}

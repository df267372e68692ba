package io.jpair.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.ip.IpPacket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Loss, reordering, duplication and zero windows between two jpair stacks on a LossyLink. */
class TcpRecoveryTest {
    private static final int MSS = 1460;

    /** The TCP payload length of an IP packet on the link (0 for pure ACKs). */
    static int payloadLength(ByteBuffer packet) {
        IpPacket ip = new IpPacket().wrap(packet, packet.position());
        TcpHeader tcp = new TcpHeader().wrap(packet, ip.payloadOffset());
        return ip.payloadLength() - tcp.headerLength();
    }

    static int sequence(ByteBuffer packet) {
        IpPacket ip = new IpPacket().wrap(packet, packet.position());
        return new TcpHeader().wrap(packet, ip.payloadOffset()).sequence();
    }

    static boolean fromClient(ByteBuffer packet) {
        return new IpPacket().wrap(packet, packet.position()).sourceIpv4() == Segments.toInt("10.0.0.1");
    }

    private static RecordingProtocol connected(TcpPair pair, RecordingProtocol client) {
        pair.connect("10.0.0.2", 9, client);
        pair.settle();
        return pair.accepted.get(0);
    }

    @Test
    void bulkTransferSurvivesLossReorderingAndDuplicationByteExact() {
        TcpPair pair = new TcpPair(11);
        pair.link.delay(Duration.ofMillis(2));
        pair.listen(9, peer -> new RecordingProtocol().echoing());
        RecordingProtocol client = new RecordingProtocol();
        connected(pair, client);
        pair.link.loss(0.03).reorder(0.03).duplicate(0.03);
        byte[] data = TcpConnectionTest.randomBytes(512 * 1024, 3);
        client.transport().write(data);
        pair.run(Duration.ofSeconds(120));
        assertThat(pair.accepted.get(0).bytes()).isEqualTo(data);
        assertThat(client.bytes()).isEqualTo(data);
        assertThat(pair.link.dropped()).isPositive();
        assertThat(pair.client.retransmissions()).isPositive();
        assertThat(client.connection().bytesInFlight()).isZero();
    }

    @Test
    void oneLostSegmentIsRepairedByFastRetransmitWithoutATimeout() {
        TcpPair pair = new TcpPair(1);
        pair.link.delay(Duration.ofMillis(5));
        RecordingProtocol client = new RecordingProtocol();
        pair.listenRecording(9);
        RecordingProtocol server = connected(pair, client);
        int[] dataSegments = {0};
        pair.link.dropIf(p -> fromClient(p) && payloadLength(p) > 0 && ++dataSegments[0] == 3);
        byte[] data = TcpConnectionTest.randomBytes(40 * MSS, 5);
        client.transport().write(data);
        pair.run(Duration.ofSeconds(2));
        assertThat(server.bytes()).isEqualTo(data);
        assertThat(pair.client.fastRetransmits()).isEqualTo(1);
        assertThat(pair.client.timeouts()).isZero();
        assertThat(pair.client.retransmissions()).isEqualTo(1);
    }

    @Test
    void twoLossesInOneWindowAreRepairedWithSackWithoutATimeout() {
        TcpPair pair = new TcpPair(1);
        pair.link.delay(Duration.ofMillis(5));
        RecordingProtocol client = new RecordingProtocol();
        pair.listenRecording(9);
        RecordingProtocol server = connected(pair, client);
        int[] dataSegments = {0};
        List<Integer> sacksSeen = new ArrayList<>();
        pair.link.dropIf(p -> {
            if (!fromClient(p)) {
                IpPacket ip = new IpPacket().wrap(p, p.position());
                TcpHeader h = new TcpHeader().wrap(p, ip.payloadOffset());
                h.parseOptions();
                sacksSeen.add(h.sackCount());
                return false;
            }
            if (payloadLength(p) == 0) {
                return false;
            }
            dataSegments[0]++;
            return dataSegments[0] == 3 || dataSegments[0] == 6;
        });
        byte[] data = TcpConnectionTest.randomBytes(40 * MSS, 5);
        client.transport().write(data);
        pair.run(Duration.ofSeconds(2));
        assertThat(server.bytes()).isEqualTo(data);
        assertThat(pair.client.timeouts()).isZero();
        assertThat(pair.client.retransmissions()).isEqualTo(2);
        assertThat(sacksSeen).as("duplicate ACKs carry SACK blocks").anyMatch(n -> n == 2);
    }

    @Test
    void retransmissionTimerBacksOffExponentially() {
        TcpPair pair = new TcpPair(1);
        RecordingProtocol client = new RecordingProtocol();
        pair.listenRecording(9);
        connected(pair, client);
        List<Long> sendTimes = new ArrayList<>();
        pair.link.dropIf(p -> {
            if (fromClient(p) && payloadLength(p) > 0) {
                sendTimes.add(pair.reactor.nanoTime());
                return true;
            }
            return false;
        });
        client.transport().write(new byte[100]);
        pair.run(Duration.ofSeconds(30));
        assertThat(sendTimes).hasSizeGreaterThanOrEqualTo(5);
        for (int i = 2; i < 5; i++) {
            long previous = sendTimes.get(i - 1) - sendTimes.get(i - 2);
            long gap = sendTimes.get(i) - sendTimes.get(i - 1);
            assertThat(gap).as("gap %d", i).isEqualTo(2 * previous);
        }
        assertThat(pair.client.timeouts()).isEqualTo(sendTimes.size() - 1);
    }

    @Test
    void connectionIsDroppedAfterTheRetryLimit() {
        TcpPair pair = new TcpPair(1, TcpOptions.defaults().withRetries(6, 3), TcpOptions.defaults());
        RecordingProtocol client = new RecordingProtocol();
        pair.listenRecording(9);
        connected(pair, client);
        pair.link.dropIf(p -> true);
        client.transport().write(new byte[100]);
        pair.run(Duration.ofSeconds(60));
        assertThat(client.lost).singleElement().isInstanceOf(io.jpair.stream.ConnectionLost.class);
        assertThat(client.lost.get(0)).hasMessageContaining("timed out");
        assertThat(pair.client.connectionCount()).isZero();
    }

    @Test
    void pausedReaderClosesTheWindowAndTheSenderProbesWithOneByteUntilItReopens() {
        TcpOptions small = TcpOptions.defaults().withReceiveBuffer(16 * 1024);
        TcpPair pair = new TcpPair(1, TcpOptions.defaults(), small);
        pair.listenRecording(9);
        RecordingProtocol client = new RecordingProtocol();
        RecordingProtocol server = connected(pair, client);
        server.transport().pauseProducing();
        List<Integer> probeLengths = new ArrayList<>();
        pair.link.dropIf(p -> {
            if (fromClient(p) && client.connection().sendWindow() == 0 && payloadLength(p) > 0) {
                probeLengths.add(payloadLength(p));
            }
            return false;
        });
        byte[] data = TcpConnectionTest.randomBytes(100 * 1024, 9);
        client.transport().write(data);
        pair.run(Duration.ofSeconds(20));
        assertThat(server.bytes()).isEmpty();
        assertThat(client.connection().sendWindow()).isZero();
        assertThat(pair.client.windowProbes()).isPositive();
        assertThat(probeLengths).isNotEmpty().allMatch(n -> n == 1);
        assertThat(client.lost).isEmpty();
        server.transport().resumeProducing();
        pair.run(Duration.ofSeconds(60));
        assertThat(server.bytes()).isEqualTo(data);
    }

    @Test
    void pushProducerIsPausedAboveTheSendBufferAndResumedWhenItDrains() {
        TcpOptions small = TcpOptions.defaults().withSendBuffer(8 * 1024);
        TcpPair pair = new TcpPair(1, small, TcpOptions.defaults());
        pair.link.delay(Duration.ofMillis(10));
        pair.listenRecording(9);
        RecordingProtocol client = new RecordingProtocol();
        RecordingProtocol server = connected(pair, client);
        int[] events = new int[2];
        io.jpair.transport.PushProducer producer = new io.jpair.transport.PushProducer() {
            @Override
            public void pauseProducing() {
                events[0]++;
            }

            @Override
            public void resumeProducing() {
                events[1]++;
            }

            @Override
            public void stopProducing() {
            }
        };
        client.transport().registerProducer(producer, true);
        client.transport().write(new byte[40 * 1024]);  // above twice the initial window's 14,600 too
        assertThat(events[0]).isEqualTo(1);
        pair.run(Duration.ofSeconds(1));
        assertThat(events[1]).isEqualTo(1);
        assertThat(server.bytes()).hasSize(40 * 1024);
    }

    @Test
    void sendBufferGrowsToTwiceTheFlightSoAFastPathIsNotLimitedByTheConfiguredSize() {
        TcpPair pair = new TcpPair(1);  // the default 256 KiB send buffer, a 1 MiB receive window
        pair.link.delay(Duration.ofMillis(10));
        pair.listenRecording(9);
        RecordingProtocol client = new RecordingProtocol();
        RecordingProtocol server = connected(pair, client);
        client.transport().write(new byte[4 << 20]);  // slow start opens cwnd well past 150 KiB
        pair.run(Duration.ofSeconds(2));
        assertThat(server.bytes()).hasSize(4 << 20);
        assertThat(((TcpConnection) client.transport()).congestionWindow()).isGreaterThan(150 * 1024);
        int[] pauses = {0};
        client.transport().registerProducer(new io.jpair.transport.PushProducer() {
            @Override
            public void pauseProducing() {
                pauses[0]++;
            }

            @Override
            public void resumeProducing() {
            }

            @Override
            public void stopProducing() {
            }
        }, true);
        client.transport().write(new byte[300 * 1024]);  // above the configured 256 KiB, within 2 x the flight
        assertThat(pauses[0]).isZero();
        client.transport().write(new byte[(TcpConnection.SEND_AUTO_MAX) * 2]);  // beyond the auto-tuning cap
        assertThat(pauses[0]).isEqualTo(1);
    }

    @Test
    void nagleHoldsSmallWritesWhileDataIsUnacknowledgedAndNoDelaySendsThemAtOnce() {
        for (boolean noDelay : new boolean[] {false, true}) {
            TcpPair pair = new TcpPair(1);
            pair.link.delay(Duration.ofMillis(10));
            pair.listenRecording(9);
            RecordingProtocol client = new RecordingProtocol();
            RecordingProtocol server = connected(pair, client);
            client.transport().setTcpNoDelay(noDelay);
            int[] segments = {0};
            pair.link.dropIf(p -> {
                if (fromClient(p) && payloadLength(p) > 0) {
                    segments[0]++;
                }
                return false;
            });
            for (int i = 0; i < 10; i++) {
                client.transport().write(new byte[10]);
            }
            pair.run(Duration.ofSeconds(1));
            assertThat(server.bytes()).hasSize(100);
            assertThat(segments[0]).as("noDelay=%s", noDelay).isEqualTo(noDelay ? 10 : 2);
        }
    }

    @Test
    void keepAliveDropsAConnectionWhosePeerVanished() {
        TcpOptions keepAlive = TcpOptions.defaults().withKeepAlive(Duration.ofSeconds(10), Duration.ofSeconds(2), 3);
        TcpPair pair = new TcpPair(1, keepAlive, TcpOptions.defaults());
        pair.listenRecording(9);
        RecordingProtocol client = new RecordingProtocol();
        connected(pair, client);
        pair.run(Duration.ofSeconds(30));
        assertThat(client.lost).as("the peer answers the probes").isEmpty();
        pair.link.dropIf(p -> true);
        pair.run(Duration.ofSeconds(20));
        assertThat(client.lost).singleElement().isInstanceOf(io.jpair.stream.ConnectionLost.class);
        assertThat(client.lost.get(0)).hasMessageContaining("keep-alive");
    }
}

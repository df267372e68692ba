package io.jpair.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpair.errno.Errno;
import io.jpair.ip.IpPacket;
import io.jpair.testing.MemoryDatagram;
import io.jpair.testing.Packets;
import io.jpair.testing.MemoryReactor;
import io.jpair.testing.MemoryUdpSocket;
import io.jpair.testing.MemoryUdpSystem;
import io.jpair.transport.CannotListenException;
import io.jpair.udp.DatagramProtocol;
import io.jpair.udp.RawUDPProtocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link UdpPort} on the in-memory network: the same {@link DatagramProtocol} as on jpair's stack,
 * one {@code readComplete} per receive batch, held writes sent together, GSO and GRO with their
 * fallbacks, connected use, drops, errors and the lifecycle.
 */
class UdpPortTest {
    private final MemoryReactor reactor = new MemoryReactor();
    private final MemoryUdpSystem system = new MemoryUdpSystem();

    /** Records every datagram (as text with sender) and every batch end; echoes when asked. */
    static class Recorder extends DatagramProtocol {
        final List<String> received = new ArrayList<>();
        final List<Integer> versions = new ArrayList<>();
        int completes;
        int refused;
        boolean echo;

        @Override
        public void datagramReceived(ByteBuffer payload, IpPacket packet, int sourcePort) {
            byte[] data = new byte[payload.remaining()];
            payload.get(payload.position(), data);
            received.add(new String(data, StandardCharsets.US_ASCII) + " from "
                + packet.sourceAddress().getHostAddress() + ":" + sourcePort);
            versions.add(packet.version());
            if (echo) {
                transport().reply(payload, packet, sourcePort);
            }
        }

        @Override
        public void readComplete() {
            completes++;
        }

        @Override
        public void connectionRefused() {
            refused++;
        }
    }

    /** Gets coalesced datagrams whole. */
    static final class Whole extends Recorder implements SegmentedDatagramReceiver {
        final List<String> whole = new ArrayList<>();

        @Override
        public void segmentsReceived(ByteBuffer payload, int segmentSize, IpPacket packet, int sourcePort) {
            whole.add(payload.remaining() + "/" + segmentSize);
        }
    }

    private UdpPort open(DatagramProtocol protocol, String address, int port, UdpOptions options) throws Exception {
        UdpPort udp = new UdpPort(port, protocol, InetAddress.getByName(address), options, reactor, system);
        udp.startListening();
        return udp;
    }

    private static InetSocketAddress at(String host, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void deliversEachDatagramWithItsSenderThenOneReadCompletePerBatch() throws Exception {
        Recorder protocol = new Recorder();
        UdpPort port = open(protocol, "127.0.0.1", 9999, UdpOptions.defaults().withReceiveBatch(4));
        MemoryUdpSocket socket = system.socket(port);
        for (int i = 0; i < 6; i++) {
            socket.deliver(ascii("d" + i), at("10.0.0.1", 5000 + i));
        }
        reactor.fireReadable();
        reactor.fireReadable();
        assertThat(protocol.received).containsExactly("d0 from 10.0.0.1:5000", "d1 from 10.0.0.1:5001",
            "d2 from 10.0.0.1:5002", "d3 from 10.0.0.1:5003", "d4 from 10.0.0.1:5004", "d5 from 10.0.0.1:5005");
        assertThat(protocol.completes).isEqualTo(2);
        assertThat(port.counters().readBatches()).isEqualTo(2);
        assertThat(port.counters().datagramsRead()).isEqualTo(6);
    }

    @Test
    void repliesMadeDuringABatchLeaveTogetherInOneSendCall() throws Exception {
        Recorder protocol = new Recorder();
        protocol.echo = true;
        UdpPort port = open(protocol, "127.0.0.1", 7000, UdpOptions.defaults());
        MemoryUdpSocket socket = system.socket(port);
        for (int i = 0; i < 10; i++) {
            socket.deliver(ascii("ping" + i), at("10.0.0.9", 6000 + i));
        }
        reactor.fireReadable();
        List<MemoryDatagram> sent = socket.sent();
        assertThat(sent).hasSize(10);
        assertThat(new String(sent.get(3).payload(), StandardCharsets.US_ASCII)).isEqualTo("ping3");
        assertThat(sent.get(3).destination()).isEqualTo(at("10.0.0.9", 6003));
        assertThat(port.counters().writeCalls()).isEqualTo(1);
        assertThat(port.counters().datagramsWritten()).isEqualTo(10);
    }

    @Test
    void theSameProtocolClassRunsOnTheStackAndOnTheSocket() throws Exception {
        RawUDPProtocol udp = new RawUDPProtocol();
        Recorder onStack = new Recorder();
        udp.addProto(7001, onStack);
        ByteBuffer packet = ByteBuffer.wrap(Packets.ipv4Udp("10.0.0.1", 5000, "10.0.0.2", 7001, ascii("hello")));
        IpPacket ip = new IpPacket().wrap(packet, 0);
        packet.limit(ip.payloadOffset() + ip.payloadLength()).position(ip.payloadOffset());
        udp.datagramReceived(packet, ip);
        udp.readComplete();

        Recorder onSocket = new Recorder();
        UdpPort port = open(onSocket, "10.0.0.2", 7001, UdpOptions.defaults());
        system.socket(port).deliver(ascii("hello"), at("10.0.0.1", 5000));
        reactor.fireReadable();

        assertThat(onSocket.received).isEqualTo(onStack.received).containsExactly("hello from 10.0.0.1:5000");
        assertThat(onSocket.versions).isEqualTo(onStack.versions);
        assertThat(onSocket.completes).isEqualTo(onStack.completes).isEqualTo(1);
        assertThat(onSocket.transport()).isSameAs(port);
    }

    @Test
    void aTwistedStyleProtocolGetsACopyAndTheSenderAddress() throws Exception {
        List<String> got = new ArrayList<>();
        DatagramProtocol twisted = new DatagramProtocol() {
            @Override
            public void datagramReceived(byte[] data, InetSocketAddress source) {
                got.add(new String(data, StandardCharsets.US_ASCII) + " " + source);
                transport().write(data, source);
            }
        };
        UdpPort port = open(twisted, "::", 7007, UdpOptions.defaults());
        system.socket(port).deliver(ascii("hi"), at("2001:db8::5", 33));
        reactor.fireReadable();
        assertThat(got).containsExactly("hi /[2001:db8:0:0:0:0:0:5]:33");
        assertThat(system.socket(port).sent()).extracting(MemoryDatagram::destination)
            .containsExactly(at("2001:db8::5", 33));
    }

    @Test
    void aWriteOutsideABatchGoesOutAtOnce() throws Exception {
        UdpPort port = open(new Recorder(), "0.0.0.0", 7002, UdpOptions.defaults());
        int written = port.write(ascii("now"), at("192.0.2.1", 53));
        assertThat(written).isEqualTo(3);
        assertThat(system.socket(port).sent()).hasSize(1);
    }

    @Test
    void explicitFlushHoldsWritesUntilFlush() throws Exception {
        UdpPort port = open(new Recorder(), "0.0.0.0", 7003, UdpOptions.defaults().withExplicitFlush(true));
        port.write(ascii("a"), at("192.0.2.1", 53));
        port.write(ascii("b"), at("192.0.2.1", 53));
        assertThat(system.socket(port).sent()).isEmpty();
        port.flush();
        assertThat(system.socket(port).sent()).hasSize(2);
        assertThat(port.counters().writeCalls()).isEqualTo(1);
    }

    @Test
    void aFullSendBufferDropsAndCountsTheDatagram() throws Exception {
        UdpPort port = open(new Recorder(), "0.0.0.0", 7004, UdpOptions.defaults());
        system.failSends(Errno.EAGAIN);
        assertThat(port.write(ascii("lost"), at("192.0.2.1", 53))).isZero();
        assertThat(port.counters().droppedWrites()).isEqualTo(1);
    }

    @Test
    void dualStackPresentsIpv4SendersUnmappedAndAnswersThem() throws Exception {
        Recorder protocol = new Recorder();
        protocol.echo = true;
        UdpPort port = open(protocol, "::", 7005, UdpOptions.defaults());
        MemoryUdpSocket socket = system.socket(port);
        socket.deliver(ascii("v4"), at("10.1.2.3", 4000));
        socket.deliver(ascii("v6"), at("2001:db8::1", 4001));
        reactor.fireReadable();
        assertThat(protocol.received).containsExactly("v4 from 10.1.2.3:4000", "v6 from 2001:db8:0:0:0:0:0:1:4001");
        assertThat(protocol.versions).containsExactly(4, 6);
        assertThat(socket.sent()).extracting(MemoryDatagram::destination)
            .containsExactly(at("10.1.2.3", 4000), at("2001:db8::1", 4001));
    }

    @Test
    void anIpv4SocketRefusesAnIpv6Destination() throws Exception {
        UdpPort port = open(new Recorder(), "0.0.0.0", 7006, UdpOptions.defaults());
        assertThatThrownBy(() -> port.write(ascii("x"), at("::1", 53)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("udp 0.0.0.0:7006 is an IPv4 socket");
    }

    @Test
    void aPortInUseFailsWithOneLineNamingSocketCallAndErrno() throws Exception {
        open(new Recorder(), "127.0.0.1", 8000, UdpOptions.defaults());
        UdpPort second = new UdpPort(8000, new Recorder(), InetAddress.getByName("0.0.0.0"), UdpOptions.defaults(),
            reactor, system);
        assertThatThrownBy(second::startListening).isInstanceOf(CannotListenException.class)
            .hasMessage("Couldn't listen on udp 0.0.0.0:8000: udp 0.0.0.0:8000: bind: EADDRINUSE (Address already in use):"
                + " another socket is bound to this address and port");
        assertThat(system.openSockets()).hasSize(1);
    }

    @Test
    void portZeroTakesTheKernelsChoice() throws Exception {
        UdpPort port = open(new Recorder(), "127.0.0.1", 0, UdpOptions.defaults());
        assertThat(port.getHost().port()).isPositive();
        assertThat(port.getHost().toString()).isEqualTo("UdpAddress(UDP, 127.0.0.1, " + port.getPort() + ")");
    }

    @Test
    void gsoSendsOneSuperDatagramWhenTheKernelHasIt() throws Exception {
        UdpPort port = open(new Recorder(), "0.0.0.0", 7010, UdpOptions.defaults());
        assertThat(port.gsoEnabled()).isTrue();
        port.writeSegments(ByteBuffer.wrap(new byte[1000]), 300, at("192.0.2.1", 9));
        List<MemoryDatagram> sent = system.socket(port).sent();
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).segmentSize()).isEqualTo(300);
        assertThat(port.counters().datagramsWritten()).isEqualTo(4);
        assertThat(port.counters().superDatagramsWritten()).isEqualTo(1);
    }

    @Test
    void withoutGsoTheSegmentsLeaveAsSeparateDatagramsInOneCall() throws Exception {
        system.supportGso(false);
        UdpPort port = open(new Recorder(), "0.0.0.0", 7011, UdpOptions.defaults());
        assertThat(port.gsoEnabled()).isFalse();
        byte[] data = new byte[1000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        port.writeSegments(ByteBuffer.wrap(data), 300, at("192.0.2.1", 9));
        List<MemoryDatagram> sent = system.socket(port).sent();
        assertThat(sent).extracting(d -> d.payload().length).containsExactly(300, 300, 300, 100);
        assertThat(sent.get(3).payload()[0]).isEqualTo((byte) 900);
        assertThat(port.counters().writeCalls()).isEqualTo(1);
    }

    @Test
    void gsoRefusedAtSendTimeIsSwitchedOffAndTheDatagramResentSplit() throws Exception {
        UdpPort port = open(new Recorder(), "0.0.0.0", 7012, UdpOptions.defaults());
        system.refuseGsoSends(true);
        port.writeSegments(ByteBuffer.wrap(new byte[700]), 300, at("192.0.2.1", 9));
        assertThat(port.gsoEnabled()).isFalse();
        assertThat(system.socket(port).sent()).extracting(d -> d.payload().length).containsExactly(300, 300, 100);
        assertThat(port.counters().droppedWrites()).isZero();
    }

    @Test
    void tooManySegmentsAreRefused() throws Exception {
        UdpPort port = open(new Recorder(), "0.0.0.0", 7013, UdpOptions.defaults());
        assertThatThrownBy(() -> port.writeSegments(ByteBuffer.wrap(new byte[65 * 10]), 10, at("192.0.2.1", 9)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than 64 segments");
    }

    @Test
    void groDatagramsAreSplitForAnOrdinaryProtocol() throws Exception {
        Recorder protocol = new Recorder();
        UdpPort port = open(protocol, "127.0.0.1", 7020, UdpOptions.defaults().withGro(true));
        assertThat(port.groEnabled()).isTrue();
        system.socket(port).deliverCoalesced(ascii("aaabbbc"), 3, at("10.0.0.1", 1));
        reactor.fireReadable();
        assertThat(protocol.received).containsExactly("aaa from 10.0.0.1:1", "bbb from 10.0.0.1:1",
            "c from 10.0.0.1:1");
        assertThat(port.counters().datagramsRead()).isEqualTo(3);
        assertThat(port.counters().superDatagramsRead()).isEqualTo(1);
    }

    @Test
    void groDatagramsComeWholeToASegmentedReceiver() throws Exception {
        Whole protocol = new Whole();
        UdpPort port = open(protocol, "127.0.0.1", 7021, UdpOptions.defaults().withGro(true));
        system.socket(port).deliverCoalesced(new byte[1400 * 5 + 10], 1400, at("10.0.0.1", 1));
        system.socket(port).deliver(new byte[99], at("10.0.0.1", 1));
        reactor.fireReadable();
        assertThat(protocol.whole).containsExactly("7010/1400", "99/99");
        assertThat(protocol.received).isEmpty();
    }

    @Test
    void groRefusedByTheKernelFallsBackToOrdinaryDatagrams() throws Exception {
        system.supportGro(false);
        Recorder protocol = new Recorder();
        UdpPort port = open(protocol, "127.0.0.1", 7022, UdpOptions.defaults().withGro(true));
        assertThat(port.groEnabled()).isFalse();
        system.socket(port).deliverCoalesced(ascii("xxyy"), 2, at("10.0.0.1", 1));
        reactor.fireReadable();
        assertThat(protocol.received).containsExactly("xx from 10.0.0.1:1", "yy from 10.0.0.1:1");
    }

    @Test
    void aDatagramLargerThanTheSlotIsCountedNotDeliveredCut() throws Exception {
        Recorder protocol = new Recorder();
        UdpPort port = open(protocol, "127.0.0.1", 7023, UdpOptions.defaults().withMaxDatagramSize(100));
        system.socket(port).deliver(new byte[101], at("10.0.0.1", 1));
        system.socket(port).deliver(new byte[100], at("10.0.0.1", 1));
        reactor.fireReadable();
        assertThat(protocol.received).hasSize(1);
        assertThat(port.counters().droppedReads()).isEqualTo(1);
    }

    @Test
    void aConnectedPortWritesToItsPeerAndHearsConnectionRefused() throws Exception {
        Recorder protocol = new Recorder();
        UdpPort port = open(protocol, "127.0.0.1", 7030, UdpOptions.defaults());
        port.connect(at("127.0.0.1", 7031));
        port.write(ByteBuffer.wrap(ascii("anyone?")));
        assertThat(system.socket(port).sent()).hasSize(1);
        reactor.fireReadable();
        assertThat(protocol.refused).isEqualTo(1);
        assertThat(port.getPeer()).isEqualTo(at("127.0.0.1", 7031));
    }

    @Test
    void aConnectedPortReceivesOnlyFromItsPeer() throws Exception {
        Recorder protocol = new Recorder();
        UdpPort port = open(protocol, "127.0.0.1", 7032, UdpOptions.defaults());
        port.connect(at("10.0.0.1", 53));
        system.socket(port).deliver(ascii("stranger"), at("10.0.0.2", 53));
        system.socket(port).deliver(ascii("peer"), at("10.0.0.1", 53));
        reactor.fireReadable();
        assertThat(protocol.received).containsExactly("peer from 10.0.0.1:53");
    }

    @Test
    void writeSequenceSendsThePartsAsOneDatagramToThePeer() throws Exception {
        UdpPort port = open(new Recorder(), "127.0.0.1", 7034, UdpOptions.defaults());
        port.connect(at("10.0.0.1", 53));
        port.writeSequence(List.of(ByteBuffer.wrap(ascii("he")), ByteBuffer.wrap(ascii("llo"))));
        assertThat(system.socket(port).sent()).extracting(d -> new String(d.payload(), StandardCharsets.US_ASCII))
            .containsExactly("hello");
    }

    @Test
    void writeWithoutDestinationNeedsConnect() throws Exception {
        UdpPort port = open(new Recorder(), "127.0.0.1", 7033, UdpOptions.defaults());
        assertThatThrownBy(() -> port.write(ByteBuffer.wrap(ascii("x"))))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("connect() first");
    }

    @Test
    void multicastMembersReceiveWhatIsSentToTheGroupUntilTheyLeave() throws Exception {
        Recorder member = new Recorder();
        UdpPort listener = open(member, "0.0.0.0", 5353, UdpOptions.defaults());
        InetAddress group = InetAddress.getByName("239.1.2.3");
        listener.joinGroup(group, "lo");
        UdpPort sender = open(new Recorder(), "127.0.0.1", 0, UdpOptions.defaults());
        sender.setTTL(4);
        assertThat(sender.getTTL()).isEqualTo(4);
        sender.write(ascii("hi group"), new InetSocketAddress(group, 5353));
        reactor.fireReadable();
        listener.leaveGroup(group, "lo");
        sender.write(ascii("gone"), new InetSocketAddress(group, 5353));
        reactor.fireReadable();
        assertThat(member.received).containsExactly("hi group from 127.0.0.1:" + sender.getPort());
    }

    @Test
    void joiningANonMulticastAddressIsRefused() throws Exception {
        UdpPort port = open(new Recorder(), "0.0.0.0", 5354, UdpOptions.defaults());
        assertThatThrownBy(() -> port.joinGroup(InetAddress.getByName("10.0.0.1")))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("10.0.0.1 is not a multicast address");
    }

    @Test
    void socketBufferSizesAreSet() throws Exception {
        UdpPort port = open(new Recorder(), "0.0.0.0", 7040,
            UdpOptions.defaults().withReceiveBufferSize(1 << 20).withSendBufferSize(1 << 19));
        assertThat(system.socket(port).option(UdpSystem.SOL_SOCKET, UdpSystem.SO_RCVBUF)).isEqualTo(2 << 20);
        assertThat(system.socket(port).option(UdpSystem.SOL_SOCKET, UdpSystem.SO_SNDBUF)).isEqualTo(2 << 19);
    }

    @Test
    void aThrowingProtocolIsCountedAndDeliveryGoesOn() throws Exception {
        List<String> seen = new ArrayList<>();
        DatagramProtocol flaky = new DatagramProtocol() {
            @Override
            public void datagramReceived(ByteBuffer payload, IpPacket packet, int sourcePort) {
                seen.add("got " + payload.remaining());
                if (payload.remaining() == 1) {
                    throw new IllegalStateException("boom");
                }
            }
        };
        UdpPort port = open(flaky, "127.0.0.1", 7050, UdpOptions.defaults());
        system.socket(port).deliver(new byte[1], at("10.0.0.1", 1));
        system.socket(port).deliver(new byte[2], at("10.0.0.1", 1));
        reactor.fireReadable();
        assertThat(seen).containsExactly("got 1", "got 2");
        assertThat(port.counters().protocolErrors()).isEqualTo(1);
        assertThat(reactor.errors()).isEmpty();
    }

    @Test
    void stopListeningClosesTheSocketStopsTheProtocolAndCanRestart() throws Exception {
        Recorder protocol = new Recorder();
        UdpPort port = open(protocol, "127.0.0.1", 7060, UdpOptions.defaults());
        var stopped = port.stopListening();
        assertThat(stopped).isNotDone();
        reactor.advance(java.time.Duration.ZERO);
        assertThat(stopped).isCompleted();
        assertThat(port.fileno()).isEqualTo(-1);
        assertThat(protocol.transport()).isNull();
        assertThat(system.openSockets()).isEmpty();
        port.startListening();
        assertThat(protocol.transport()).isSameAs(port);
        assertThat(system.openSockets()).hasSize(1);
    }

    @Test
    void writingToAStoppedPortIsAnError() throws Exception {
        UdpPort port = open(new Recorder(), "127.0.0.1", 7061, UdpOptions.defaults());
        port.stopListening();
        reactor.advance(java.time.Duration.ZERO);
        assertThatThrownBy(() -> port.write(ascii("x"), at("10.0.0.1", 1)))
            .isInstanceOf(IllegalStateException.class).hasMessage("udp 127.0.0.1:7061: the port is not listening");
    }
}

package io.jpair.tuntap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.testing.MemoryIOSystem;
import io.jpair.testing.MemoryReactor;
import io.jpair.testing.MemoryTunnel;
import io.jpair.testing.Packets;
import io.jpair.transport.AbstractPacketProtocol;
import io.jpair.transport.CannotListenException;
import io.jpair.transport.PacketProtocol;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Twisted's {@code TunnelTestsMixin}: how a {@link TuntapPort} drives its device, on the in-memory
 * system. Run once for TUN and once for TAP by the subclasses.
 */
abstract class TuntapPortContract {
    MemoryIOSystem system;
    MemoryReactor reactor;
    AbstractPacketProtocol protocol;
    TuntapPort port;

    /** A fresh protocol of the kind this variant tests. */
    abstract AbstractPacketProtocol newProtocol();

    /** The frames or packets the protocol recorded. */
    abstract List<byte[]> received();

    /** IFF_TUN or IFF_TAP. */
    abstract TunnelFlags type();

    @BeforeEach
    void createPort() {
        system = new MemoryIOSystem();
        reactor = new MemoryReactor();
        protocol = newProtocol();
        port = new TuntapPort("tun0", protocol, TunnelOptions.DEFAULT_MAX_PACKET_SIZE, reactor, system);
    }

    @AfterEach
    void noErrorsLeftUnexamined() {
        reactor.errors().clear();
    }

    MemoryTunnel started() throws CannotListenException {
        port.startListening();
        return system.getTunnel(port);
    }

    @Test
    void startListeningOpensDeviceNonBlockingAndCloseOnExec() throws Exception {
        MemoryTunnel tunnel = started();
        assertThat(tunnel.openFlags()).isEqualTo(IOSystem.O_RDWR | IOSystem.O_CLOEXEC | IOSystem.O_NONBLOCK);
        assertThat(tunnel.requestedName()).isEqualTo("tun0");
        assertThat(tunnel.name()).isEqualTo(port.interfaceName());
        assertThat(tunnel.blocking()).isFalse();
        assertThat(tunnel.closeOnExec()).isTrue();
    }

    @Test
    void startListeningConfiguresTheTypeWithoutPacketInformation() throws Exception {
        MemoryTunnel tunnel = started();
        assertThat(tunnel.tunnelMode()).isEqualTo(type().or(TunnelFlags.IFF_NO_PI).value());
    }

    @Test
    void startListeningSetsConnected() throws Exception {
        started();
        assertThat(port.isConnected()).isTrue();
    }

    @Test
    void startListeningConnectsProtocol() throws Exception {
        started();
        assertThat(protocol.transport()).isSameAs(port);
    }

    @Test
    void startListeningStartsReading() throws Exception {
        started();
        assertThat(reactor.getReaders()).containsExactly(port);
    }

    @Test
    void startListeningHandlesOpenFailure() {
        system.permissions().remove("open");
        assertThatThrownBy(port::startListening)
            .isInstanceOf(CannotListenException.class)
            .hasMessageContaining("Couldn't listen on tun0")
            .hasMessageContaining("open: EPERM (Operation not permitted)")
            .hasRootCauseInstanceOf(ErrnoException.class);
        assertThat(port.isConnected()).isFalse();
    }

    @Test
    void startListeningHandlesConfigureFailureAndClosesTheFd() {
        system.permissions().remove("ioctl");
        assertThatThrownBy(port::startListening)
            .isInstanceOf(CannotListenException.class)
            .hasMessageContaining("ioctl(TUNSETIFF): EPERM (Operation not permitted): needs CAP_NET_ADMIN");
        // Unlike Twisted, which leaked the fd here.
        assertThat(system.openFiles()).isEmpty();
        assertThat(port.fileno()).isEqualTo(-1);
    }

    @Test
    void startListeningTwiceIsRefused() throws Exception {
        started();
        assertThatThrownBy(port::startListening).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("already listening");
    }

    @Test
    void startListeningClosesTheFdWhenTheProtocolRefusesToConnect() throws Exception {
        protocol.makeConnection(new TuntapPort("other0", newProtocol(), reactor));
        assertThatThrownBy(port::startListening).isInstanceOf(CannotListenException.class)
            .hasMessageContaining("already attached");
        assertThat(system.openFiles()).isEmpty();
        assertThat(port.isConnected()).isFalse();
    }

    @Test
    void stopListeningStopsReadingAtOnceAndClosesOnTheNextTurn() throws Exception {
        started();
        int fd = port.fileno();
        CompletableFuture<Void> stopped = port.stopListening();
        assertThat(reactor.getReaders()).doesNotContain(port);
        assertThat(stopped).isNotDone();
        assertThat(system.openFiles()).containsKey(fd);
        reactor.advance(Duration.ZERO);
        assertThat(stopped).isCompletedWithValue(null);
        assertThat(system.openFiles()).doesNotContainKey(fd);
        assertThat(port.fileno()).isEqualTo(-1);
    }

    @Test
    void stopListeningUnsetsConnected() throws Exception {
        started();
        port.stopListening();
        reactor.advance(Duration.ZERO);
        assertThat(port.isConnected()).isFalse();
    }

    @Test
    void stopListeningStopsProtocol() throws Exception {
        started();
        port.stopListening();
        reactor.advance(Duration.ZERO);
        assertThat(protocol.transport()).isNull();
        assertThat(protocol.numPorts()).isZero();
    }

    @Test
    void stopListeningWhenNeverStartedIsAlreadyComplete() {
        assertThat(port.stopListening()).isCompletedWithValue(null);
    }

    @Test
    void repeatedStopListeningReturnsTheSameFuture() throws Exception {
        started();
        CompletableFuture<Void> first = port.stopListening();
        CompletableFuture<Void> second = port.stopListening();
        assertThat(second).isSameAs(first);
        reactor.advance(Duration.ZERO);
        assertThat(second).isCompletedWithValue(null);
    }

    @Test
    void cancellingTheStopFutureDoesNotLeaveThePortHalfStopped() throws Exception {
        started();
        port.stopListening().cancel(false);
        reactor.advance(Duration.ZERO);
        assertThat(port.isConnected()).isFalse();
        assertThat(system.openFiles()).isEmpty();
    }

    @Test
    @SuppressWarnings("deprecation")
    void loseConnectionIsADeprecatedStopListening() throws Exception {
        started();
        port.loseConnection();
        reactor.advance(Duration.ZERO);
        assertThat(port.isConnected()).isFalse();
    }

    @Test
    void restartAfterStopOpensTheDeviceAgain() throws Exception {
        started();
        port.stopListening();
        reactor.advance(Duration.ZERO);
        port.startListening();
        assertThat(port.isConnected()).isTrue();
        assertThat(reactor.getReaders()).containsExactly(port);
        CompletableFuture<Void> stopped = port.stopListening();
        reactor.advance(Duration.ZERO);
        // Unlike Twisted, whose second stop returned the old future and never closed the new fd.
        assertThat(stopped).isCompletedWithValue(null);
        assertThat(system.openFiles()).isEmpty();
    }

    @Test
    void connectionLostClosesTheFdEvenWhenDoStopThrows() throws Exception {
        AbstractPacketProtocol failing = new ThrowingOnStop(newProtocol());
        port = new TuntapPort("tun0", failing, TunnelOptions.defaults(), reactor, system);
        port.startListening();
        CompletableFuture<Void> stopped = port.stopListening();
        reactor.advance(Duration.ZERO);
        assertThat(system.openFiles()).isEmpty();
        assertThat(stopped).isCompletedExceptionally();
    }

    @Test
    void eagainStopsReading() throws Exception {
        started().nonBlockingErrno(Errno.EAGAIN);
        port.doRead();
        assertThat(received()).isEmpty();
    }

    @Test
    void eintrStopsReadingWithoutRetry() throws Exception {
        MemoryTunnel tunnel = started();
        tunnel.injectReadFault(Errno.EINTR);
        tunnel.readBuffer().add(new byte[] {1, 2, 3});
        port.doRead();
        assertThat(received()).isEmpty();
        port.doRead();
        assertThat(received()).hasSize(1);
    }

    @Test
    void unhandledReadErrorPropagatesNamingTheDevice() throws Exception {
        started().injectReadFault(Errno.EPERM);
        assertThatThrownBy(port::doRead).isInstanceOf(ErrnoException.class)
            .hasMessage("tun0: read: EPERM (Operation not permitted)")
            .extracting(e -> ((ErrnoException) e).errno()).isEqualTo(Errno.EPERM);
    }

    @Test
    void fatalReadErrorDisconnectsThePortThroughTheReactor() throws Exception {
        started().injectReadFault(Errno.EBADFD);
        reactor.fireReadable();
        assertThat(port.isConnected()).isFalse();
        assertThat(system.openFiles()).isEmpty();
        assertThat(protocol.transport()).isNull();
        assertThat(reactor.errors()).singleElement().isInstanceOf(ErrnoException.class);
    }

    @Test
    void transientReadErrorPausesReadingThenResumes() throws Exception {
        MemoryTunnel tunnel = started();
        tunnel.failReadsWith(Errno.EIO);
        reactor.fireReadable();
        assertThat(port.isConnected()).isTrue();
        assertThat(port.counters().readErrors()).isEqualTo(1);
        assertThat(reactor.getReaders()).doesNotContain(port);
        tunnel.failReadsWith(0);
        tunnel.readBuffer().add(new byte[] {42});
        reactor.advance(TuntapPort.READ_RETRY_DELAY);
        assertThat(reactor.getReaders()).containsExactly(port);
        reactor.fireReadable();
        assertThat(received()).containsExactly(new byte[] {42});
    }

    @Test
    void stopDuringAReadBackoffDoesNotResumeReading() throws Exception {
        started().failReadsWith(Errno.EIO);
        reactor.fireReadable();
        port.stopListening();
        reactor.advance(TuntapPort.READ_RETRY_DELAY);
        assertThat(reactor.getReaders()).isEmpty();
        assertThat(system.openFiles()).isEmpty();
    }

    @Test
    void pausingDuringAReadBackoffKeepsThePortPaused() throws Exception {
        started().failReadsWith(Errno.EIO);
        reactor.fireReadable();
        port.pauseProducing();
        reactor.advance(TuntapPort.READ_RETRY_DELAY);
        assertThat(reactor.getReaders()).isEmpty();
        port.resumeProducing();
        assertThat(reactor.getReaders()).containsExactly(port);
    }

    @Test
    void doReadDeliversASmallDatagramIntact() throws Exception {
        MemoryTunnel tunnel = started();
        byte[] datagram = filled(TunnelOptions.DEFAULT_MAX_PACKET_SIZE - 1);
        tunnel.readBuffer().add(datagram);
        port.doRead();
        assertThat(received()).containsExactly(datagram);
    }

    @Test
    void doReadTruncatesALargeDatagramToMaxPacketSize() throws Exception {
        MemoryTunnel tunnel = started();
        byte[] datagram = filled(TunnelOptions.DEFAULT_MAX_PACKET_SIZE + 1);
        tunnel.readBuffer().add(datagram);
        port.doRead();
        assertThat(received()).containsExactly(Arrays.copyOf(datagram, TunnelOptions.DEFAULT_MAX_PACKET_SIZE));
    }

    @Test
    void doReadStopsAfterMaxThroughputBytes() throws Exception {
        MemoryTunnel tunnel = started();
        for (int i = 0; i < 33; i++) {
            tunnel.readBuffer().add(filled(TunnelOptions.DEFAULT_MAX_PACKET_SIZE));
        }
        port.doRead();
        assertThat(received()).hasSize(32);
        assertThat(tunnel.readBuffer()).hasSize(1);
    }

    @Test
    void doReadSurvivesAProtocolExceptionAndLogsItOnce() throws Exception {
        AbstractPacketProtocol failing = new ThrowingOnReceive();
        port = new TuntapPort("tun0", failing, TunnelOptions.defaults(), reactor, system);
        MemoryTunnel tunnel = started();
        tunnel.readBuffer().add(new byte[] {1});
        tunnel.readBuffer().add(new byte[] {2});
        ListAppender<ILoggingEvent> log = capture();
        try {
            port.doRead();
        } finally {
            release(log);
        }
        assertThat(port.counters().protocolErrors()).isEqualTo(2);
        assertThat(port.counters().packetsRead()).isEqualTo(2);
        assertThat(log.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.ERROR);
            assertThat(event.getFormattedMessage())
                .startsWith("Unhandled exception from " + ThrowingOnReceive.class.getName() + ".datagramReceived");
        });
    }

    @Test
    void aProtocolThrowingOnEveryPacketIsCountedLoggedOncePerSecondAndReadingGoesOn() throws Exception {
        port = new TuntapPort("tun0", new ThrowingOnReceive(), TunnelOptions.defaults(), reactor, system);
        MemoryTunnel tunnel = started();
        ListAppender<ILoggingEvent> log = capture();
        try {
            for (int tick = 0; tick < 30; tick++) { // 3 s of traffic, 100 packets every 100 ms
                for (int i = 0; i < 100; i++) {
                    tunnel.readBuffer().add(new byte[] {(byte) i});
                }
                reactor.fireReadable();
                reactor.advance(Duration.ofMillis(100));
            }
        } finally {
            release(log);
        }
        assertThat(port.counters().protocolErrors()).isEqualTo(3000);
        assertThat(port.counters().packetsRead()).isEqualTo(3000);
        assertThat(tunnel.readBuffer()).isEmpty();
        assertThat(port.isConnected()).isTrue();
        assertThat(reactor.getReaders()).containsExactly(port);
        assertThat(log.list).as("one report per second, each saying how many it suppressed").hasSize(3);
        assertThat(log.list.get(1).getFormattedMessage()).contains("(999 more suppressed since the last report)");
    }

    @Test
    void doReadStopsWhenTheProtocolStopsThePort() throws Exception {
        MemoryTunnel tunnel = started();
        tunnel.readBuffer().add(new byte[] {1});
        tunnel.readBuffer().add(new byte[] {2});
        AbstractPacketProtocol stopping = new StoppingOnReceive();
        port = new TuntapPort("tun1", stopping, TunnelOptions.defaults(), reactor, system);
        port.startListening();
        MemoryTunnel second = system.getTunnel(port);
        second.readBuffer().add(new byte[] {1});
        second.readBuffer().add(new byte[] {2});
        port.doRead();
        assertThat(second.readBuffer()).hasSize(1);
    }

    @Test
    void writeWritesOnePacket() throws Exception {
        MemoryTunnel tunnel = started();
        byte[] data = "hello, world".getBytes(StandardCharsets.US_ASCII);
        assertThat(port.write(ByteBuffer.wrap(data))).isEqualTo(data.length);
        assertThat(tunnel.writeBuffer()).containsExactly(data);
        assertThat(port.counters().packetsWritten()).isEqualTo(1);
    }

    @Test
    void writeLeavesTheCallersBufferPositionAlone() throws Exception {
        started();
        ByteBuffer data = ByteBuffer.allocateDirect(16).put(new byte[16]).flip().position(4);
        port.write(data);
        assertThat(data.position()).isEqualTo(4);
    }

    @Test
    void interruptedWriteIsRetried() throws Exception {
        MemoryTunnel tunnel = started();
        tunnel.pendingSignals(1);
        byte[] data = {1, 2, 3};
        assertThat(port.write(data)).isEqualTo(3);
        assertThat(tunnel.writeBuffer()).containsExactly(data);
    }

    @Test
    void unhandledWriteErrorIsRaisedNamingTheDevice() throws Exception {
        started().injectWriteFault(Errno.EIO);
        assertThatThrownBy(() -> port.write(new byte[] {1})).isInstanceOf(ErrnoException.class)
            .hasMessage("tun0: write: EIO (Input/output error): the link is down (bring it up, e.g. 'ip link set DEV up')");
    }

    @Test
    void writeToAFullQueueDropsAndCountsThePacket() throws Exception {
        MemoryTunnel tunnel = started();
        tunnel.injectWriteFault(Errno.EAGAIN);
        tunnel.sendBufferSize(1024);
        assertThat(port.write(new byte[] {1})).isZero();
        // Twisted raised ENOBUFS for an oversized write; a full kernel queue is flow control here.
        assertThat(port.write(new byte[1025])).isZero();
        assertThat(port.counters().droppedWrites()).isEqualTo(2);
        assertThat(tunnel.writeBuffer()).isEmpty();
    }

    @Test
    void writeWhenNotListeningFailsWithEbadf() {
        assertThatThrownBy(() -> port.write(new byte[] {1})).isInstanceOf(ErrnoException.class)
            .hasMessageContaining("EBADF").hasMessageContaining("the port is not listening");
    }

    @Test
    void writeSequenceWritesOnePacket() throws Exception {
        MemoryTunnel tunnel = started();
        port.writeSequence(List.of(bytes("abc"), ByteBuffer.allocateDirect(3).put(new byte[] {'d', 'e', 'f'}).flip(),
            bytes("g")));
        assertThat(tunnel.writeBuffer()).containsExactly("abcdefg".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void interruptedWriteSequenceIsRetried() throws Exception {
        MemoryTunnel tunnel = started();
        tunnel.pendingSignals(2);
        assertThat(port.writeSequence(List.of(bytes("ab"), bytes("c")))).isEqualTo(3);
        assertThat(tunnel.writeBuffer()).containsExactly("abc".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void writeSequenceToAFullQueueDropsAndCountsThePacket() throws Exception {
        MemoryTunnel tunnel = started();
        tunnel.injectWriteFault(Errno.EAGAIN);
        tunnel.injectWriteFault(Errno.ENOBUFS);
        assertThat(port.writeSequence(List.of(bytes("ab"), bytes("c")))).isZero();
        assertThat(port.writeSequence(List.of(bytes("ab"), bytes("c")))).isZero();
        assertThat(port.counters().droppedWrites()).isEqualTo(2);
        assertThat(tunnel.writeBuffer()).isEmpty();
        assertThat(port.writeSequence(List.of(bytes("ab"), bytes("c")))).isEqualTo(3);
    }

    @Test
    void aFloodOfWritesIntoAFullQueueKeepsNothingAndCountsEveryDrop() throws Exception {
        MemoryTunnel tunnel = started();
        tunnel.failWritesWith(Errno.EAGAIN);
        ByteBuffer packet = ByteBuffer.allocateDirect(1500);
        for (int i = 0; i < 100_000; i++) {
            assertThat(port.write(packet)).isZero();
        }
        assertThat(port.counters().droppedWrites()).isEqualTo(100_000);
        assertThat(port.counters().packetsWritten()).isZero();
        tunnel.failWritesWith(0);
        assertThat(port.write(packet)).as("the queue drained: writing works again").isEqualTo(1500);
        assertThat(tunnel.writeBuffer()).hasSize(1);
    }

    @Test
    void getHostNamesTheKernelsDevice() throws Exception {
        MemoryTunnel tunnel = started();
        assertThat(port.getHost()).isEqualTo(new TunnelAddress(type(), tunnel.name()));
    }

    @Test
    void kernelCompletesANamePattern() throws Exception {
        port = new TuntapPort("tun%d", newProtocol(), TunnelOptions.defaults(), reactor, system);
        port.startListening();
        assertThat(port.interfaceName()).isEqualTo("tun0");
        TuntapPort second = new TuntapPort("tun%d", newProtocol(), TunnelOptions.defaults(), reactor, system);
        second.startListening();
        assertThat(second.interfaceName()).isEqualTo("tun1");
    }

    @Test
    void listeningStringNamesProtocolTypeAndDevice() throws Exception {
        started();
        assertThat(port.toString()).isEqualTo("<" + protocol.getClass().getName() + " listening on "
            + type().name() + "/tun0>");
    }

    @Test
    void unlisteningStringSaysNotListening() {
        assertThat(port.toString()).isEqualTo("<" + protocol.getClass().getName() + " not listening on "
            + type().name() + "/tun0>");
    }

    @Test
    void logPrefixIsTheProtocolAndType() {
        assertThat(port.logPrefix()).isEqualTo(protocol.getClass().getSimpleName() + " (" + type().name() + ")");
    }

    @Test
    void filenoIsMinusOneWhenNotListening() {
        assertThat(port.fileno()).isEqualTo(-1);
    }

    @Test
    void packetInformationOptionKeepsTheFourByteHeader() throws Exception {
        port = new TuntapPort("tun0", protocol, TunnelOptions.defaults().withPacketInformation(true), reactor, system);
        MemoryTunnel tunnel = started();
        assertThat(tunnel.tunnelMode() & TunnelFlags.IFF_NO_PI.value()).isZero();
        tunnel.addToReadBuffer(Packets.ipv4("10.0.0.1", "10.0.0.2", Packets.PROTO_UDP, Packets.udp(1, 2, new byte[0])));
        port.doRead();
        int expectedProto = type().equals(TunnelFlags.IFF_TAP) ? 0x0800 : 0x0800;
        assertThat(received()).singleElement().satisfies(packet ->
            assertThat(Arrays.copyOf(packet, 4)).containsExactly(0, 0, expectedProto >>> 8, expectedProto & 0xFF));
    }

    @Test
    void exclusiveOptionRefusesAnExistingDeviceWithEbusy() {
        system.createPersistentInterface("tun0", type());
        port = new TuntapPort("tun0", protocol, TunnelOptions.defaults().withExclusive(true), reactor, system);
        assertThatThrownBy(port::startListening).isInstanceOf(CannotListenException.class)
            .hasMessageContaining("EBUSY");
        assertThat(system.openFiles()).isEmpty();
    }

    @Test
    void attachOnlyOptionRefusesAMissingDeviceWithEnodev() {
        port = new TuntapPort("tun0", protocol, TunnelOptions.defaults().withAttachOnly(true), reactor, system);
        assertThatThrownBy(port::startListening).isInstanceOf(CannotListenException.class)
            .hasMessageContaining("ENODEV");
    }

    @Test
    void persistOptionKeepsTheDeviceAfterStop() throws Exception {
        port = new TuntapPort("tun0", protocol, TunnelOptions.defaults().withPersist(true), reactor, system);
        started();
        port.stopListening();
        reactor.advance(Duration.ZERO);
        assertThat(system.interfaceNames()).contains("tun0");
    }

    @Test
    void deviceDisappearsAfterStopWithoutPersist() throws Exception {
        started();
        port.stopListening();
        reactor.advance(Duration.ZERO);
        assertThat(system.interfaceNames()).doesNotContain("tun0");
    }

    static byte[] filled(int size) {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        return data;
    }

    static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    static ListAppender<ILoggingEvent> capture() {
        Logger logger = (Logger) LoggerFactory.getLogger(TuntapPort.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        return appender;
    }

    static void release(ListAppender<ILoggingEvent> appender) {
        ((Logger) LoggerFactory.getLogger(TuntapPort.class)).detachAppender(appender);
    }

    /** Raises from datagramReceived; as a raw packet protocol it gets a TUN device. */
    static final class ThrowingOnReceive extends AbstractPacketProtocol implements io.jpair.transport.RawPacketProtocol {
        @Override
        public void datagramReceived(ByteBuffer packet, long destination, long source, int etherType) {
            throw new IllegalStateException("protocol bug");
        }
    }

    /** Stops its port on the first packet. */
    static final class StoppingOnReceive extends AbstractPacketProtocol implements io.jpair.transport.RawPacketProtocol {
        @Override
        public void datagramReceived(ByteBuffer packet, long destination, long source, int etherType) {
            transport().stopListening();
        }
    }

    /** Delegates to another protocol but throws from doStop. */
    static final class ThrowingOnStop extends AbstractPacketProtocol implements io.jpair.transport.RawPacketProtocol {
        ThrowingOnStop(PacketProtocol ignored) {
        }

        @Override
        public void datagramReceived(ByteBuffer packet, long destination, long source, int etherType) {
        }

        @Override
        public void doStop() {
            super.doStop();
            throw new IllegalStateException("doStop failed");
        }
    }
}

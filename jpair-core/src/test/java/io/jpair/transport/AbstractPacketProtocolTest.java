package io.jpair.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpair.reactor.Reactor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Specification of {@link AbstractPacketProtocol}'s lifecycle (Twisted's AbstractDatagramProtocol). */
class AbstractPacketProtocolTest {
    private final LifecycleProtocol protocol = new LifecycleProtocol();
    private final PacketTransport first = new StubTransport("first");
    private final PacketTransport second = new StubTransport("second");

    @Test
    void startsUnattached() {
        assertThat(protocol.transport()).isNull();
        assertThat(protocol.numPorts()).isZero();
    }

    @Test
    void makeConnectionAttachesTheTransportAndStartsTheProtocol() {
        protocol.makeConnection(first);

        assertThat(protocol.transport()).isSameAs(first);
        assertThat(protocol.numPorts()).isEqualTo(1);
        assertThat(protocol.events).containsExactly("start");
    }

    @Test
    void makeConnectionTwiceWithoutDoStopThrows() {
        protocol.makeConnection(first);

        assertThatThrownBy(() -> protocol.makeConnection(second)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("already attached");
        assertThat(protocol.transport()).isSameAs(first);
        assertThat(protocol.numPorts()).isEqualTo(1);
    }

    @Test
    void startProtocolRunsOnlyForTheFirstPort() {
        protocol.makeConnection(first);

        protocol.doStart();

        assertThat(protocol.numPorts()).isEqualTo(2);
        assertThat(protocol.events).containsExactly("start");
    }

    @Test
    void stopProtocolRunsOnlyForTheLastPort() {
        protocol.makeConnection(first);
        protocol.doStart();

        protocol.doStop();
        assertThat(protocol.events).containsExactly("start");

        protocol.doStop();
        assertThat(protocol.events).containsExactly("start", "stop");
        assertThat(protocol.numPorts()).isZero();
    }

    @Test
    void doStopWithoutStartThrows() {
        assertThatThrownBy(protocol::doStop).isInstanceOf(IllegalStateException.class);
        assertThat(protocol.events).isEmpty();
        assertThat(protocol.numPorts()).isZero();
    }

    @Test
    void doStopClearsTheTransport() {
        protocol.makeConnection(first);

        protocol.doStop();

        assertThat(protocol.transport()).isNull();
    }

    @Test
    void protocolCanBeAttachedAgainAfterDoStop() {
        protocol.makeConnection(first);
        protocol.doStop();

        protocol.makeConnection(second);

        assertThat(protocol.transport()).isSameAs(second);
        assertThat(protocol.events).containsExactly("start", "stop", "start");
    }

    @Test
    void logPrefixIsTheSimpleClassName() {
        assertThat(protocol.logPrefix()).isEqualTo("LifecycleProtocol");
    }

    /** Records startProtocol and stopProtocol. */
    private static final class LifecycleProtocol extends AbstractPacketProtocol {
        final List<String> events = new ArrayList<>();

        @Override
        protected void startProtocol() {
            events.add("start");
        }

        @Override
        protected void stopProtocol() {
            events.add("stop");
        }

        @Override
        public void datagramReceived(ByteBuffer packet) {
        }
    }

    /** A transport that only has a name. */
    private record StubTransport(String name) implements PacketTransport {
        @Override
        public int write(ByteBuffer packet) {
            return 0;
        }

        @Override
        public int write(byte[] packet) {
            return 0;
        }

        @Override
        public int writeSequence(List<ByteBuffer> parts) {
            return 0;
        }

        @Override
        public Address getHost() {
            return null;
        }

        @Override
        public Reactor reactor() {
            return null;
        }

        @Override
        public CompletableFuture<Void> stopListening() {
            return CompletableFuture.completedFuture(null);
        }
    }
}

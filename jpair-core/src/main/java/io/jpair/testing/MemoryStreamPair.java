package io.jpair.testing;

import io.jpair.reactor.ConnectionDone;
import io.jpair.stream.ConnectionAborted;
import io.jpair.stream.ConnectionLost;
import io.jpair.stream.Protocol;
import io.jpair.stream.StreamTransport;
import io.jpair.transport.Producer;
import io.jpair.transport.PullProducer;
import io.jpair.transport.PushProducer;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;

/**
 * Two {@link Protocol}s connected through memory, as if by a TCP connection (Twisted's
 * {@code iosim.connect}/{@code FakeTransport}): bytes one side writes reach the other's
 * {@link Protocol#dataReceived} on a later turn of a {@link MemoryReactor}, in order, in chunks of
 * at most {@link #segmentSize()} bytes, with the flow control and closes of a real stream.
 *
 * <pre>{@code
 * MemoryReactor reactor = new MemoryReactor();
 * MemoryStreamPair pair = MemoryStreamPair.connect(reactor, new Client(), new Echo());
 * pair.client().transport().write(hello);
 * pair.flush();                         // runs deliveries until nothing moves
 * }</pre>
 *
 * <p><b>Flow control.</b> Each side's unsent bytes sit in its send buffer ({@code bufferedBytes()}).
 * A side whose reading is paused ({@code pauseProducing()}) receives nothing, so the writer's
 * buffer grows; beyond {@value #SEND_LIMIT} bytes the writer's streaming producer is paused, and it
 * is resumed (a pull producer asked again) when the buffer drains, as on a kernel socket.
 *
 * <p><b>Closes.</b> {@code loseConnection()} sends the buffer, then the peer sees end of stream
 * ({@link Protocol#readConnectionLost()}) and this side {@code connectionLost(ConnectionDone)}.
 * {@code loseWriteConnection()} sends end of stream and keeps reading; a side that has both sent
 * and received end of stream ends with {@link ConnectionDone}. {@code abortConnection()} discards
 * the buffer: this side gets {@link ConnectionAborted}, the peer a {@link ConnectionLost} ("reset").
 * Writes after a close was requested are dropped.
 *
 * <p>Single-threaded: the test thread drives the reactor.
 */
public final class MemoryStreamPair {
    /** Buffered bytes beyond which a writer's streaming producer is paused (as {@code FileDescriptor}). */
    public static final int SEND_LIMIT = 65536;

    private final MemoryReactor reactor;
    private final End client;
    private final End server;
    private final int segmentSize;
    private boolean scheduled;

    private MemoryStreamPair(MemoryReactor reactor, Protocol clientProtocol, InetSocketAddress clientAddress,
                             Protocol serverProtocol, InetSocketAddress serverAddress, int segmentSize) {
        this.reactor = Objects.requireNonNull(reactor, "reactor");
        if (segmentSize <= 0) {
            throw new IllegalArgumentException("segment size must be positive: " + segmentSize);
        }
        this.segmentSize = segmentSize;
        this.client = new End("client", clientProtocol, clientAddress, serverAddress);
        this.server = new End("server", serverProtocol, serverAddress, clientAddress);
        client.peer = server;
        server.peer = client;
    }

    /**
     * Connects a client protocol at 10.0.0.1:40000 to a server protocol at 10.0.0.2:7, with 1460-byte
     * segments. The server's {@code connectionMade} runs first, then the client's, before this returns.
     *
     * @param reactor the reactor whose turns deliver the bytes
     * @param clientProtocol the connecting side
     * @param serverProtocol the accepting side
     * @return the connected pair
     */
    public static MemoryStreamPair connect(MemoryReactor reactor, Protocol clientProtocol, Protocol serverProtocol) {
        return connect(reactor, clientProtocol, new InetSocketAddress("10.0.0.1", 40000), serverProtocol,
            new InetSocketAddress("10.0.0.2", 7), 1460);
    }

    /**
     * Connects two protocols with the given endpoints and segment size.
     *
     * @param reactor the reactor whose turns deliver the bytes
     * @param clientProtocol the connecting side
     * @param clientAddress its address ({@code getHost()} of its transport)
     * @param serverProtocol the accepting side
     * @param serverAddress its address
     * @param segmentSize the most bytes one {@code dataReceived} call gets
     * @return the connected pair
     */
    public static MemoryStreamPair connect(MemoryReactor reactor, Protocol clientProtocol,
                                           InetSocketAddress clientAddress, Protocol serverProtocol,
                                           InetSocketAddress serverAddress, int segmentSize) {
        MemoryStreamPair pair = new MemoryStreamPair(reactor, clientProtocol, clientAddress, serverProtocol,
            serverAddress, segmentSize);
        pair.server.protocol.makeConnection(pair.server);
        pair.client.protocol.makeConnection(pair.client);
        return pair;
    }

    /**
     * The client side's transport.
     *
     * @return the transport the client protocol writes through
     */
    public StreamTransport client() {
        return client;
    }

    /**
     * The server side's transport.
     *
     * @return the transport the server protocol writes through
     */
    public StreamTransport server() {
        return server;
    }

    /**
     * The most bytes one {@code dataReceived} call gets.
     *
     * @return the segment size
     */
    public int segmentSize() {
        return segmentSize;
    }

    /**
     * Runs reactor turns until no byte, end of stream or close is pending delivery (or a paused
     * reader holds the rest).
     *
     * @return how many turns ran
     */
    public int flush() {
        int turns = 0;
        while (scheduled && turns < 1_000_000) {
            reactor.advance(Duration.ZERO);
            turns++;
        }
        return turns;
    }

    private void schedule() {
        if (!scheduled) {
            scheduled = true;
            reactor.callLater(Duration.ZERO, this::deliver);
        }
    }

    /** One turn: at most one segment each way, then the drain and close actions. */
    private void deliver() {
        scheduled = false;
        boolean moved = client.sendSegment() | server.sendSegment();
        moved |= client.finish() | server.finish();
        if (moved && (client.hasWork() || server.hasWork())) {
            schedule();
        }
    }

    /** One side: its protocol, its send buffer, its half of the state. */
    private final class End implements StreamTransport {
        private final String name;
        private final Protocol protocol;
        private final InetSocketAddress host;
        private final InetSocketAddress peerAddress;
        private End peer;
        private ByteBuffer buffer = ByteBuffer.allocate(4096).flip();
        private boolean closing;
        private boolean writeClosing;
        private boolean finSent;
        private boolean finReceived;
        private boolean readingPaused;
        private boolean lost;
        private Throwable pendingLoss;
        private boolean noDelay = true;
        private Producer producer;
        private boolean streaming;
        private boolean producerPaused;

        End(String name, Protocol protocol, InetSocketAddress host, InetSocketAddress peerAddress) {
            this.name = name;
            this.protocol = Objects.requireNonNull(protocol, name);
            this.host = host;
            this.peerAddress = peerAddress;
        }

        boolean hasWork() {
            return buffer.hasRemaining() && !peer.readingPaused && !peer.lost || pendingLoss != null
                || (closing || writeClosing) && !finSent && !buffer.hasRemaining();
        }

        /** Moves one segment to the peer when it is reading. */
        boolean sendSegment() {
            if (lost || !buffer.hasRemaining() || peer.readingPaused) {
                return false;
            }
            if (peer.lost || peer.finSent && peer.closing) {
                buffer.position(buffer.limit());
                return true;
            }
            int n = Math.min(segmentSize, buffer.remaining());
            ByteBuffer segment = buffer.slice(buffer.position(), n).asReadOnlyBuffer();
            buffer.position(buffer.position() + n);
            peer.protocol.dataReceived(segment);
            if (!buffer.hasRemaining()) {
                drained();
            }
            return true;
        }

        private void drained() {
            if (producer instanceof PullProducer pull) {
                pull.resumeProducing();
            } else if (producer instanceof PushProducer push && producerPaused) {
                producerPaused = false;
                push.resumeProducing();
            }
        }

        /** Sends end of stream once drained, and reports a pending loss. */
        boolean finish() {
            if (pendingLoss != null) {
                Throwable reason = pendingLoss;
                pendingLoss = null;
                lose(reason);
                return true;
            }
            if (lost || finSent || !(closing || writeClosing) || buffer.hasRemaining() || producer != null && closing) {
                return false;
            }
            finSent = true;
            peer.endOfStream();
            if (closing || finReceived) {
                lose(new ConnectionDone(name + ": connection closed"));
            }
            return true;
        }

        private void endOfStream() {
            if (lost) {
                return;
            }
            finReceived = true;
            protocol.readConnectionLost();
            if (!lost && finSent) {
                lose(new ConnectionDone(name + ": closed by both sides"));
            }
            schedule();
        }

        private void lose(Throwable reason) {
            if (lost) {
                return;
            }
            lost = true;
            buffer.position(buffer.limit());
            if (producer != null) {
                Producer stopping = producer;
                producer = null;
                stopping.stopProducing();
            }
            protocol.connectionLost(reason);
        }

        @Override
        public int write(ByteBuffer data) {
            if (lost || closing || writeClosing || !data.hasRemaining()) {
                return 0;
            }
            int length = data.remaining();
            if (buffer.capacity() - buffer.limit() < length) {
                ByteBuffer grown = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.remaining() + length));
                grown.put(buffer).flip();
                buffer = grown;
            }
            int end = buffer.limit();
            buffer.limit(end + length);
            buffer.put(end, data, data.position(), length);
            if (producer instanceof PushProducer push && streaming && buffer.remaining() > SEND_LIMIT
                    && !producerPaused) {
                producerPaused = true;
                push.pauseProducing();
            }
            schedule();
            return length;
        }

        @Override
        public void loseConnection() {
            if (!lost && !closing) {
                closing = true;
                readingPaused = true;
                schedule();
            }
        }

        @Override
        public void loseWriteConnection() {
            if (!lost && !closing && !writeClosing) {
                writeClosing = true;
                schedule();
            }
        }

        @Override
        public void abortConnection() {
            if (lost || pendingLoss != null) {
                return;
            }
            buffer.position(buffer.limit());
            closing = true;
            pendingLoss = new ConnectionAborted(name + ": connection aborted");
            if (!peer.lost && peer.pendingLoss == null) {
                peer.pendingLoss = new ConnectionLost(peer.name + ": connection reset by peer");
            }
            schedule();
        }

        @Override
        public InetSocketAddress getHost() {
            return host;
        }

        @Override
        public InetSocketAddress getPeer() {
            return peerAddress;
        }

        @Override
        public long bufferedBytes() {
            return buffer.remaining();
        }

        @Override
        public void setTcpNoDelay(boolean on) {
            noDelay = on;
        }

        @Override
        public boolean getTcpNoDelay() {
            return noDelay;
        }

        @Override
        public void registerProducer(Producer newProducer, boolean streamingProducer) {
            Objects.requireNonNull(newProducer, "producer");
            if (producer != null) {
                throw new IllegalStateException("Cannot register producer " + newProducer + ", because producer "
                    + producer + " was never unregistered.");
            }
            if (streamingProducer && !(newProducer instanceof PushProducer)) {
                throw new IllegalArgumentException("a streaming producer must be a PushProducer: " + newProducer);
            }
            if (!streamingProducer && !(newProducer instanceof PullProducer)) {
                throw new IllegalArgumentException("a non-streaming producer must be a PullProducer: " + newProducer);
            }
            if (lost) {
                newProducer.stopProducing();
                return;
            }
            producer = newProducer;
            streaming = streamingProducer;
            producerPaused = false;
            if (!streamingProducer) {
                ((PullProducer) newProducer).resumeProducing();
            }
        }

        @Override
        public void unregisterProducer() {
            producer = null;
            schedule();
        }

        @Override
        public void pauseProducing() {
            readingPaused = true;
        }

        @Override
        public void resumeProducing() {
            if (!closing) {
                readingPaused = false;
                schedule();
            }
        }

        @Override
        public String toString() {
            return "MemoryStreamPair." + name + "[" + host + "->" + peerAddress + (lost ? ", closed" : "") + "]";
        }
    }
}

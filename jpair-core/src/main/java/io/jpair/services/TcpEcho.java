package io.jpair.services;

import io.jpair.stream.Protocol;
import io.jpair.transport.PushProducer;

import java.nio.ByteBuffer;

/**
 * The echo service (RFC 862, TCP port 7): every byte received is sent back, and once the peer has
 * finished sending (its FIN) this side closes after the echoed bytes have gone.
 *
 * <p>Bounded memory: a peer that sends without reading cannot fill this host with its own data.
 * The protocol registers itself on the transport as the producer of what it writes, so when the
 * send buffer fills the transport pauses it, which pauses reading from the peer (TCP's receive
 * window closes); reading resumes when the send buffer drains. Unlike Twisted's
 * {@code Echo}, which keeps reading and buffers without bound.
 *
 * <pre>{@code
 * host.listenTcp(7, peer -> new TcpEcho());
 * }</pre>
 *
 * <p>Reactor thread only.
 */
public final class TcpEcho extends Protocol {
    private final PushProducer reading = new ReadingProducer();
    private long bytesEchoed;

    /** An echo protocol for one connection. */
    public TcpEcho() {
    }

    @Override
    protected void connectionMade() {
        transport().registerProducer(reading, true);
    }

    /**
     * Writes the bytes back (the transport copies them).
     *
     * @param data the bytes, borrowed for the call
     */
    @Override
    public void dataReceived(ByteBuffer data) {
        bytesEchoed += transport().write(data);
        data.position(data.limit());
    }

    /** The peer finished sending: closes once everything echoed has been sent. */
    @Override
    public void readConnectionLost() {
        transport().unregisterProducer();
        transport().loseConnection();
    }

    /**
     * Bytes taken back into the send buffer so far.
     *
     * @return the count
     */
    public long bytesEchoed() {
        return bytesEchoed;
    }

    /** Reading from the peer, paused and resumed by the transport's send buffer. */
    private final class ReadingProducer implements PushProducer {
        @Override
        public void pauseProducing() {
            transport().pauseProducing();
        }

        @Override
        public void resumeProducing() {
            transport().resumeProducing();
        }

        @Override
        public void stopProducing() {
            // the connection is going away: nothing of our own to release
        }
    }
}

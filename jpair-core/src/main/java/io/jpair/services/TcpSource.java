package io.jpair.services;

import io.jpair.reactor.ReactorTime;
import io.jpair.stream.Protocol;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A source (TCP port 19, as RFC 864's character generator, but with a binary pattern): writes from
 * the moment the connection is made until the peer closes, and drops whatever the peer sends.
 *
 * <p>The bytes come from one reused buffer (byte {@code k} of the stream is {@code k mod 256}) through
 * a push producer registered on the transport: it stops when the send buffer is full and goes on
 * when the transport resumes it, so the send buffer stays bounded and nothing is allocated per write.
 * When the peer finishes sending (its FIN), the source stops and closes its side once the send
 * buffer has drained.
 *
 * <pre>{@code
 * host.listenTcp(19, peer -> new TcpSource(reactor));
 * }</pre>
 *
 * <p>Reactor thread only.
 */
public final class TcpSource extends Protocol {
    private final ReactorTime clock;
    private BulkProducer producer;
    private long bytesReceived;

    /**
     * A source for one connection.
     *
     * @param clock the reactor's time, for the next burst when the transport never pauses the
     *     producer (a burst is 64 writes of 64 KiB)
     */
    public TcpSource(ReactorTime clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    protected void connectionMade() {
        producer = new BulkProducer(transport(), clock, () -> { });
        transport().registerProducer(producer, true);
        producer.start(BulkProducer.UNLIMITED);
    }

    /**
     * Drops what the peer sends.
     *
     * @param data the bytes, borrowed for the call
     */
    @Override
    public void dataReceived(ByteBuffer data) {
        bytesReceived += data.remaining();
        data.position(data.limit());
    }

    /** The peer finished sending: stops writing and closes once the send buffer has drained. */
    @Override
    public void readConnectionLost() {
        producer.stopProducing();
        transport().unregisterProducer();
        transport().loseConnection();
    }

    @Override
    public void connectionLost(Throwable reason) {
        if (producer != null) {
            producer.stopProducing();
        }
    }

    /**
     * Bytes taken into the send buffer so far.
     *
     * @return the count
     */
    public long bytesSent() {
        return producer == null ? 0 : producer.written();
    }

    /**
     * Bytes received from the peer (and dropped).
     *
     * @return the count
     */
    public long bytesReceived() {
        return bytesReceived;
    }
}

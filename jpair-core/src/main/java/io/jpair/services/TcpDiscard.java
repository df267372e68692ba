package io.jpair.services;

import io.jpair.stream.Protocol;

import java.nio.ByteBuffer;

/**
 * The discard service (RFC 863, TCP port 9): reads every byte and drops it, counting them, and
 * closes once the peer has finished sending (its FIN). Sends nothing.
 *
 * <pre>{@code
 * host.listenTcp(9, peer -> new TcpDiscard());
 * }</pre>
 *
 * <p>No allocation per read. Reactor thread only.
 */
public final class TcpDiscard extends Protocol {
    private long bytesReceived;

    /** A discard protocol for one connection. */
    public TcpDiscard() {
    }

    /**
     * Counts and drops the bytes.
     *
     * @param data the bytes, borrowed for the call
     */
    @Override
    public void dataReceived(ByteBuffer data) {
        bytesReceived += data.remaining();
        data.position(data.limit());
    }

    /**
     * Bytes received and dropped so far.
     *
     * @return the count
     */
    public long bytesReceived() {
        return bytesReceived;
    }
}

package io.jpair.socket;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.reactor.ConnectionDone;
import io.jpair.reactor.Reactor;
import io.jpair.stream.ConnectionAborted;
import io.jpair.stream.ConnectionLost;
import io.jpair.stream.Protocol;
import io.jpair.stream.StreamTransport;
import io.jpair.sys.LibC;
import io.jpair.sys.TcpSocket;
import io.jpair.transport.FileDescriptor;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * One kernel TCP connection on the reactor (Twisted's {@code twisted.internet.tcp.Connection}): the
 * {@link StreamTransport} a {@link Protocol} gets from {@link TcpPort#listenTcp} or
 * {@link TcpConnector#connectTcp}. It owns the socket's fd from creation to
 * {@link #connectionLost}, which closes it exactly once.
 *
 * <p><b>Reading.</b> Each readable turn reads up to 16 × 64 KiB into the reactor's one reused
 * direct buffer and lends it to {@link Protocol#dataReceived}; a short read ends the turn. End of
 * stream (the peer's FIN) calls {@link Protocol#readConnectionLost()} (by default: close once
 * flushed). {@link #pauseProducing()} stops reading, so the kernel's receive window closes and the
 * peer stops sending; {@link #resumeProducing()} reads again.
 *
 * <p><b>Writing.</b> {@link #write(ByteBuffer)} sends at once when nothing is queued (no epoll
 * registration, no copy for a direct buffer) and queues the rest in {@link FileDescriptor}'s reused
 * buffer, flushed when the socket is writable. A registered push producer is paused while more than
 * {@value FileDescriptor#BUFFER_SIZE} bytes are queued and resumed when the queue drains.
 * {@code TCP_NODELAY} is on by default, as in Twisted.
 *
 * <p><b>Closing.</b> {@link #loseConnection()}: FIN after the queue drains, then
 * {@code connectionLost(ConnectionDone)}. {@link #loseWriteConnection()}: {@code shutdown(SHUT_WR)}
 * after the queue drains; reading goes on, and once the peer's FIN has also arrived the connection
 * ends with {@code ConnectionDone}. {@link #abortConnection()}: {@code SO_LINGER} 0 and close, so the
 * peer sees a reset; {@code connectionLost(ConnectionAborted)} on the same reactor turn. A reset or
 * other socket error ends it with a {@link ConnectionLost} naming the errno. Unlike Twisted, writes
 * after a close was requested are dropped (Twisted still buffers them until the drain), as the
 * {@link StreamTransport} contract says.
 *
 * <p>Reactor thread only.
 */
public final class TcpSocketTransport extends FileDescriptor implements StreamTransport {
    private static final int READS_PER_TURN = 16;

    private final Protocol protocol;
    private final InetSocketAddress host;
    private final InetSocketAddress peer;
    private final ReactorBuffers buffers;
    private final String name;
    private int fd;
    private boolean noDelay;
    private boolean readEof;
    private boolean readingPaused;
    private boolean aborting;
    private boolean writeClosing;
    private int sendErrno;
    // One-entry cache of a direct buffer's base address, so that sending from the same buffer
    // again (the read buffer an echo writes back, the FileDescriptor queue) allocates no segment.
    private ByteBuffer addressed;
    private long addressedBase;

    TcpSocketTransport(Reactor reactor, int fd, Protocol protocol, InetSocketAddress host, InetSocketAddress peer) {
        super(reactor);
        this.fd = fd;
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.host = host;
        this.peer = peer;
        this.buffers = ReactorBuffers.of(reactor);
        this.name = "tcp " + text(host) + "->" + text(peer);
    }

    /** Turns Nagle off, marks the connection open, tells the protocol, starts reading. */
    void start() {
        setTcpNoDelay(true);
        connected = true;
        protocol.makeConnection(this);
        if (connected && !disconnecting && !readingPaused && !readEof) {
            startReading();
        }
    }

    /**
     * {@code address:port}, with IPv6 addresses in brackets.
     *
     * @param address the endpoint
     * @return e.g. {@code 127.0.0.1:7} or {@code [::1]:7}
     */
    static String text(InetSocketAddress address) {
        String ip = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return (address.getAddress() instanceof Inet6Address ? "[" + ip + "]" : ip) + ":" + address.getPort();
    }

    @Override
    public int fileno() {
        return fd;
    }

    @Override
    public String logPrefix() {
        return name;
    }

    /**
     * The protocol this connection delivers to.
     *
     * @return the protocol
     */
    public Protocol protocol() {
        return protocol;
    }

    @Override
    public void doRead() {
        ByteBuffer buffer = buffers.read;
        for (int i = 0; i < READS_PER_TURN && connected && !disconnecting && !readingPaused; i++) {
            long n = LibC.read(fd, buffers.readAddress, ReactorBuffers.SIZE);
            if (n > 0) {
                buffer.clear().limit((int) n);
                protocol.dataReceived(buffer);
                if (n < ReactorBuffers.SIZE) {
                    return;
                }
            } else if (n == 0) {
                endOfStream();
                return;
            } else if (n == -Errno.EINTR) {
                i--;
            } else if (n == -Errno.EAGAIN) {
                return;
            } else {
                lose(error("read", (int) -n));
                return;
            }
        }
    }

    private void endOfStream() {
        readEof = true;
        stopReading();
        protocol.readConnectionLost();
        if (connected && !disconnected && isWriteDisconnected()) {
            lose(new ConnectionDone(name + ": closed by both sides"));
        }
    }

    private ConnectionLost error(String operation, int errno) {
        ErrnoException cause = new ErrnoException(operation, name, errno);
        return new ConnectionLost(cause.getMessage(), cause);
    }

    /** Ends the connection now, from inside a callback of this connection. */
    private void lose(Throwable reason) {
        reactor.disconnect(this, reason);
    }

    /**
     * {@inheritDoc}
     *
     * <p>When nothing is queued the bytes are sent at once ({@code send(2)}; heap buffers through the
     * reactor's staging buffer); what the kernel does not take is queued. A send error is reported
     * through {@link Protocol#connectionLost} on the next writable turn, never thrown here.
     */
    @Override
    public int write(ByteBuffer data) {
        if (!connected || disconnecting || writeClosing || isWriteDisconnected() || !data.hasRemaining()) {
            return 0;
        }
        int length = data.remaining();
        int start = data.position();
        if (bufferedBytes() == 0 && sendErrno == 0) {
            int sent = data.isDirect() ? sendDirect(data) : sendStaged(data);
            if (sent == length) {
                return length;
            }
            data.position(start + sent);
        }
        try {
            super.write(data);
        } catch (java.io.IOException impossible) {
            throw new AssertionError("buffering never fails", impossible);
        } finally {
            data.position(start);
        }
        return length;
    }

    private int sendDirect(ByteBuffer data) {
        return sent(TcpSocket.send(fd, address(data), data.remaining()));
    }

    /** The native address of a direct buffer's position. */
    private long address(ByteBuffer data) {
        if (data != addressed) {
            addressed = data;
            addressedBase = MemorySegment.ofBuffer(data).address() - data.position();
        }
        return addressedBase + data.position();
    }

    private int sendStaged(ByteBuffer data) {
        int total = 0;
        int start = data.position();
        ByteBuffer stage = buffers.stage;
        while (total < data.remaining()) {
            int chunk = Math.min(data.remaining() - total, ReactorBuffers.SIZE);
            stage.clear();
            stage.put(0, data, start + total, chunk);
            int sent = sent(TcpSocket.send(fd, buffers.stageAddress, chunk));
            total += sent;
            if (sent < chunk) {
                break;
            }
        }
        return total;
    }

    /** A send result as a byte count; an error other than EAGAIN is kept for the next doWrite. */
    private int sent(long result) {
        if (result >= 0) {
            return (int) result;
        }
        if (result != -Errno.EAGAIN && result != -Errno.EINTR) {
            sendErrno = (int) -result;
        }
        return 0;
    }

    @Override
    public int writeSequence(List<ByteBuffer> data) {
        int accepted = 0;
        for (int i = 0; i < data.size(); i++) {
            accepted += write(data.get(i));
        }
        return accepted;
    }

    @Override
    protected int writeSomeData(ByteBuffer data) throws ConnectionLost {
        if (sendErrno != 0) {
            throw error("send", sendErrno);
        }
        while (true) {
            long n = TcpSocket.send(fd, address(data), data.remaining());
            if (n >= 0) {
                data.position(data.position() + (int) n);
                return (int) n;
            }
            if (n == -Errno.EAGAIN) {
                return 0;
            }
            if (n != -Errno.EINTR) {
                throw error("send", (int) -n);
            }
        }
    }

    /**
     * Flushes the queue (see {@link FileDescriptor#doWrite()}); a send error ends the connection with
     * a {@link ConnectionLost} instead of reaching the reactor's error handler.
     */
    @Override
    public void doWrite() throws Exception {
        if (!connected) {
            stopWriting();
            return;
        }
        try {
            super.doWrite();
        } catch (ConnectionLost lost) {
            lose(lost);
            return;
        }
        if (readEof && isWriteDisconnected() && connected) {
            throw new ConnectionDone(name + ": closed by both sides");
        }
    }

    /** The queue drained after {@link #loseWriteConnection()}: {@code shutdown(SHUT_WR)} sends the FIN. */
    @Override
    protected void closeWriteConnection() {
        int rc = TcpSocket.shutdown(fd, TcpSocket.SHUT_WR);
        if (rc < 0 && rc != -Errno.ENOTCONN) {
            sendErrno = -rc;
        }
    }

    @Override
    public void loseWriteConnection() {
        if (!connected || disconnecting || writeClosing) {
            return;
        }
        writeClosing = true;
        super.loseWriteConnection();
    }

    @Override
    public void abortConnection() {
        if (!connected || aborting) {
            return;
        }
        aborting = true;
        disconnecting = true;
        stopReading();
        stopWriting();
        TcpSocket.lingerZero(fd, buffers.scratch);
        reactor.callFromThread(() -> connectionLost(new ConnectionAborted(name + ": connection aborted")));
    }

    /**
     * Closes the socket (once) and tells the protocol: {@link ConnectionDone} for an orderly close,
     * {@link ConnectionAborted} after {@link #abortConnection()}, a {@link ConnectionLost} naming
     * the errno for a socket error, or the exception a protocol callback threw. Idempotent.
     */
    @Override
    public void connectionLost(Throwable reason) {
        if (disconnected) {
            return;
        }
        super.connectionLost(reason);
        int closing = fd;
        fd = -1;
        addressed = null;
        LibC.close(closing);
        protocol.connectionLost(reason);
    }

    @Override
    public void pauseProducing() {
        readingPaused = true;
        stopReading();
    }

    @Override
    public void resumeProducing() {
        readingPaused = false;
        if (connected && !disconnecting && !readEof) {
            startReading();
        }
    }

    /** The consumer of this connection's data is gone: {@link #abortConnection()}. */
    @Override
    public void stopProducing() {
        abortConnection();
    }

    @Override
    public InetSocketAddress getHost() {
        return host;
    }

    @Override
    public InetSocketAddress getPeer() {
        return peer;
    }

    @Override
    public void setTcpNoDelay(boolean on) {
        if (fd >= 0 && TcpSocket.setIntOption(fd, TcpSocket.IPPROTO_TCP, TcpSocket.TCP_NODELAY, on ? 1 : 0,
                buffers.scratch) == 0) {
            noDelay = on;
        }
    }

    @Override
    public boolean getTcpNoDelay() {
        return noDelay;
    }

    @Override
    public String toString() {
        return "TcpSocketTransport[" + name + (connected ? "" : ", closed") + "]";
    }
}

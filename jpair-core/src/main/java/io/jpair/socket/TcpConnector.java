package io.jpair.socket;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.reactor.DelayedCall;
import io.jpair.reactor.Reactor;
import io.jpair.reactor.WriteDescriptor;
import io.jpair.stream.Protocol;
import io.jpair.stream.ProtocolFactory;
import io.jpair.sys.LibC;
import io.jpair.sys.Socket;
import io.jpair.sys.Sockaddr;
import io.jpair.sys.TcpSocket;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * An outgoing kernel TCP connection being made (Twisted's {@code reactor.connectTCP} and its
 * {@code tcp.Client}): a non-blocking {@code connect} whose completion is the socket becoming
 * writable, {@code SO_ERROR} telling success from failure, bounded by a timeout.
 *
 * <pre>{@code
 * TcpConnector.connectTcp(reactor, new InetSocketAddress("127.0.0.1", 7000), peer -> new Hello(),
 *         Duration.ofSeconds(5))
 *     .whenComplete((hello, error) -> ...);   // runs on the reactor thread
 * }</pre>
 *
 * <p>The future completes with the protocol after its {@code connectionMade}, on the reactor
 * thread. It fails with {@link ConnectException} ({@code "Connection refused: 127.0.0.1:7000"}),
 * {@link SocketTimeoutException} when the timeout passed first, {@link NoRouteToHostException}, or
 * an {@link IOException} naming another errno; the protocol is then never built. Cancelling it
 * before it completes abandons the attempt. The socket is closed on every path that does not hand
 * it to a {@link TcpSocketTransport}.
 */
public final class TcpConnector implements WriteDescriptor {
    private final Reactor reactor;
    private final InetSocketAddress address;
    private final ProtocolFactory<? extends Protocol> factory;
    private final CompletableFuture<Protocol> result;
    private final String name;
    private int fd = -1;
    private DelayedCall timer;

    private TcpConnector(Reactor reactor, InetSocketAddress address, ProtocolFactory<? extends Protocol> factory,
                         CompletableFuture<Protocol> result) {
        this.reactor = reactor;
        this.address = address;
        this.factory = factory;
        this.result = result;
        this.name = "tcp connect " + TcpSocketTransport.text(address);
    }

    /**
     * Connects to {@code address} and runs a protocol from {@code factory} on the connection. From
     * any thread: the work is done on the reactor thread.
     *
     * @param reactor the reactor the connection will run on
     * @param address a resolved IPv4 or IPv6 address and port
     * @param factory builds the protocol once connected ({@code buildProtocol(address)})
     * @param timeout how long to wait for the handshake
     * @param <P> the protocol type
     * @return completes with the connected protocol, or fails as described above
     * @throws IllegalArgumentException if the address is unresolved or the timeout not positive
     */
    @SuppressWarnings("unchecked")
    public static <P extends Protocol> CompletableFuture<P> connectTcp(Reactor reactor, InetSocketAddress address,
                                                                       ProtocolFactory<P> factory, Duration timeout) {
        Objects.requireNonNull(reactor, "reactor");
        Objects.requireNonNull(factory, "factory");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address " + address.getHostString()
                + ": resolve it first (jpair does no blocking DNS on the reactor)");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("connect timeout must be positive: " + timeout);
        }
        CompletableFuture<Protocol> result = new CompletableFuture<>();
        TcpConnector connector = new TcpConnector(reactor, address, factory, result);
        if (reactor.inReactorThread()) {
            connector.begin(timeout);
        } else {
            reactor.callFromThread(() -> connector.begin(timeout));
        }
        result.whenComplete((protocol, error) -> {
            if (error instanceof CancellationException) {
                if (reactor.inReactorThread()) {
                    connector.abandon();
                } else {
                    reactor.callFromThread(connector::abandon);
                }
            }
        });
        return (CompletableFuture<P>) (CompletableFuture<?>) result;
    }

    private void begin(Duration timeout) {
        if (result.isDone()) {
            return;
        }
        ReactorBuffers buffers = ReactorBuffers.of(reactor);
        int socket = TcpSocket.open(Sockaddr.family(address.getAddress()));
        if (socket < 0) {
            result.completeExceptionally(new ErrnoException("socket", name, -socket));
            return;
        }
        fd = socket;
        MemorySegment scratch = buffers.scratch;
        int length = Sockaddr.encode(scratch, address);
        int rc = TcpSocket.connect(fd, scratch, length);
        if (rc == -Errno.EINTR || rc == -Errno.EINPROGRESS || rc == 0) {
            // EINTR: the connect goes on asynchronously, as EINPROGRESS (connect(2)); 0: loopback may
            // finish at once, and writability still reports it on this turn.
            timer = reactor.callLater(timeout, () -> fail(new SocketTimeoutException(
                "connect to " + TcpSocketTransport.text(address) + " timed out after " + timeout.toMillis() + " ms")));
            reactor.addWriter(this);
        } else {
            fail(connectError(-rc));
        }
    }

    private IOException connectError(int errno) {
        String where = TcpSocketTransport.text(address);
        return switch (errno) {
            case Errno.ECONNREFUSED -> new ConnectException("Connection refused: " + where);
            case Errno.ETIMEDOUT -> new SocketTimeoutException("Connection timed out: " + where);
            case Errno.EHOSTUNREACH, Errno.ENETUNREACH -> new NoRouteToHostException(
                Errno.description(errno) + ": " + where);
            default -> {
                ConnectException e = new ConnectException(new ErrnoException("connect", where, errno).getMessage());
                e.initCause(new ErrnoException("connect", where, errno));
                yield e;
            }
        };
    }

    @Override
    public int fileno() {
        return fd;
    }

    @Override
    public String logPrefix() {
        return name;
    }

    /** Writable: the handshake finished; {@code SO_ERROR} says how. */
    @Override
    public void doWrite() {
        if (fd < 0) {
            return;
        }
        int error = TcpSocket.getIntOption(fd, Socket.SOL_SOCKET, TcpSocket.SO_ERROR,
            ReactorBuffers.of(reactor).scratch);
        if (error < 0) {
            fail(connectError(-error));
        } else if (error != 0) {
            fail(connectError(error));
        } else {
            established();
        }
    }

    private void established() {
        reactor.removeWriter(this);
        cancelTimer();
        int socket = fd;
        fd = -1;
        if (result.isDone()) {
            LibC.close(socket);
            return;
        }
        MemorySegment scratch = ReactorBuffers.of(reactor).scratch;
        InetSocketAddress local = TcpSocket.localAddress(socket, scratch.asSlice(0, Sockaddr.SLOT_SIZE),
            scratch.asSlice(Sockaddr.SLOT_SIZE, 4)) == 0 ? Sockaddr.decode(scratch) : null;
        Protocol protocol;
        try {
            protocol = factory.buildProtocol(address);
        } catch (RuntimeException e) {
            LibC.close(socket);
            result.completeExceptionally(e);
            return;
        }
        if (protocol == null) {
            LibC.close(socket);
            result.completeExceptionally(new IllegalStateException(name + ": the protocol factory returned null"));
            return;
        }
        TcpSocketTransport connection = new TcpSocketTransport(reactor, socket, protocol, local, address);
        try {
            connection.start();
        } catch (RuntimeException e) {
            reactor.disconnect(connection, e);
            result.completeExceptionally(e);
            return;
        }
        result.complete(protocol);
    }

    private void fail(Throwable error) {
        close();
        result.completeExceptionally(error);
    }

    /** The future was cancelled: close the socket if the attempt is still going. */
    private void abandon() {
        close();
    }

    private void close() {
        cancelTimer();
        if (fd >= 0) {
            reactor.removeWriter(this);
            int socket = fd;
            fd = -1;
            LibC.close(socket);
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            DelayedCall pending = timer;
            timer = null;
            if (pending.isActive()) {
                pending.cancel();
            }
        }
    }

    /** The reactor dropped the attempt: close, fail the future. */
    @Override
    public void connectionLost(Throwable reason) {
        fail(reason);
    }

    @Override
    public String toString() {
        return "TcpConnector[" + TcpSocketTransport.text(address) + (fd >= 0 ? ", connecting" : "") + "]";
    }
}

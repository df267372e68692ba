package io.jpair.socket;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.reactor.ReadDescriptor;
import io.jpair.reactor.Reactor;
import io.jpair.stream.Protocol;
import io.jpair.stream.ProtocolFactory;
import io.jpair.sys.LibC;
import io.jpair.sys.Socket;
import io.jpair.sys.Sockaddr;
import io.jpair.sys.TcpSocket;
import io.jpair.transport.CannotListenException;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listening kernel TCP socket on the reactor (Twisted's {@code reactor.listenTCP} and its
 * {@code tcp.Port}): every accepted connection gets a {@link Protocol} from the factory and a
 * {@link TcpSocketTransport} as its transport.
 *
 * <pre>{@code
 * TcpPort echo = TcpPort.listenTcp(reactor, 7000, peer -> new Echo());
 * System.out.println("listening on " + echo.getHost());
 * ...
 * echo.stopListening();          // open connections stay open, as in Twisted
 * }</pre>
 *
 * <p>Each readable turn drains the accept queue ({@code accept4} until {@code EAGAIN}, at most
 * {@value #ACCEPTS_PER_TURN} per turn). A factory that returns {@code null} or throws refuses the
 * connection: its fd is closed at once. When the process or system is out of descriptors or memory
 * ({@code EMFILE}, {@code ENFILE}, {@code ENOBUFS}, {@code ENOMEM}) the listener stops accepting for
 * {@value #ACCEPT_BACKOFF_MILLIS} ms and logs once per episode; unlike Twisted, which retries on the
 * next turn, it does not spin on the level-triggered readiness of the still-full queue.
 *
 * <p>Reactor thread only (or before the reactor runs); {@link #stopListening()} from any thread.
 */
public final class TcpPort implements ReadDescriptor {
    /** Twisted's default accept queue length. */
    public static final int DEFAULT_BACKLOG = 50;
    /** Most connections accepted per readable turn. */
    public static final int ACCEPTS_PER_TURN = 256;
    /** How long accepting pauses when descriptors or memory ran out. */
    public static final long ACCEPT_BACKOFF_MILLIS = 100;

    private static final Logger LOG = LoggerFactory.getLogger(TcpPort.class);

    private final Reactor reactor;
    private final ProtocolFactory<?> factory;
    private final InetSocketAddress host;
    private final String name;
    private final ReactorBuffers buffers;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private int fd;
    private boolean backingOff;
    private long accepted;

    private TcpPort(Reactor reactor, int fd, ProtocolFactory<?> factory, InetSocketAddress host) {
        this.reactor = reactor;
        this.fd = fd;
        this.factory = factory;
        this.host = host;
        this.name = "tcp listener " + TcpSocketTransport.text(host);
        this.buffers = ReactorBuffers.of(reactor);
    }

    /**
     * Listens on every IPv4 address (Twisted's default interface {@code ''}) with the default
     * backlog.
     *
     * @param reactor the reactor to accept on
     * @param port the port, 0 for one the kernel picks (see {@link #getHost()})
     * @param factory builds one protocol per accepted connection
     * @return the listening port
     * @throws CannotListenException naming the address and the errno, e.g. {@code EADDRINUSE}
     */
    public static TcpPort listenTcp(Reactor reactor, int port, ProtocolFactory<?> factory)
            throws CannotListenException {
        return listenTcp(reactor, port, factory, DEFAULT_BACKLOG, null);
    }

    /**
     * Listens on one address (Twisted's {@code listenTCP(port, factory, backlog, interface)}).
     * {@code ::} listens on IPv6 and, unless the system sets {@code net.ipv6.bindv6only}, on IPv4
     * as well (peers then appear as IPv4 addresses).
     *
     * @param reactor the reactor to accept on
     * @param port the port, 0 for one the kernel picks
     * @param factory builds one protocol per accepted connection
     * @param backlog the accept queue length
     * @param bindAddress the local address, {@code null} for every IPv4 address
     * @return the listening port
     * @throws CannotListenException naming the address and the errno
     */
    public static TcpPort listenTcp(Reactor reactor, int port, ProtocolFactory<?> factory, int backlog,
                                        InetAddress bindAddress) throws CannotListenException {
        Objects.requireNonNull(reactor, "reactor");
        Objects.requireNonNull(factory, "factory");
        InetSocketAddress requested = new InetSocketAddress(bindAddress == null ? anyIpv4() : bindAddress, port);
        String where = TcpSocketTransport.text(requested);
        ReactorBuffers buffers = ReactorBuffers.of(reactor);
        MemorySegment scratch = buffers.scratch;
        int fd = TcpSocket.open(Sockaddr.family(requested.getAddress()));
        if (fd < 0) {
            throw new CannotListenException(where, new ErrnoException("socket", where, -fd));
        }
        try {
            check(TcpSocket.setIntOption(fd, Socket.SOL_SOCKET, TcpSocket.SO_REUSEADDR, 1, scratch),
                "setsockopt(SO_REUSEADDR)", where);
            int length = Sockaddr.encode(scratch, requested);
            check(TcpSocket.bind(fd, scratch, length), "bind", where);
            check(TcpSocket.listen(fd, backlog), "listen", where);
            check(TcpSocket.localAddress(fd, scratch.asSlice(0, Sockaddr.SLOT_SIZE),
                scratch.asSlice(Sockaddr.SLOT_SIZE, 4)), "getsockname", where);
            InetSocketAddress bound = Sockaddr.decode(scratch);
            TcpPort listener = new TcpPort(reactor, fd, factory, bound);
            reactor.addReader(listener);
            return listener;
        } catch (CannotListenException | RuntimeException e) {
            LibC.close(fd);
            throw e;
        }
    }

    private static InetAddress anyIpv4() {
        try {
            return InetAddress.getByAddress(new byte[4]);
        } catch (java.net.UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }

    private static void check(int rc, String operation, String where) throws CannotListenException {
        if (rc < 0) {
            throw new CannotListenException(where, new ErrnoException(operation, where, -rc));
        }
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
     * The bound address; with port 0 requested, the port the kernel chose.
     *
     * @return the local address and port
     */
    public InetSocketAddress getHost() {
        return host;
    }

    /**
     * Whether the port is still accepting.
     *
     * @return false once {@link #stopListening()} ran
     */
    public boolean isListening() {
        return fd >= 0;
    }

    /**
     * How many connections were accepted and given a protocol.
     *
     * @return the count
     */
    public long acceptedCount() {
        return accepted;
    }

    /** Drains the accept queue. */
    @Override
    public void doRead() {
        MemorySegment scratch = buffers.scratch;
        MemorySegment address = scratch.asSlice(0, Sockaddr.SLOT_SIZE);
        MemorySegment length = scratch.asSlice(Sockaddr.SLOT_SIZE, 4);
        for (int i = 0; i < ACCEPTS_PER_TURN && fd >= 0; i++) {
            int conn = TcpSocket.accept(fd, address, length);
            if (conn >= 0) {
                connect(conn, Sockaddr.decode(address));
                continue;
            }
            int errno = -conn;
            if (errno == Errno.EAGAIN) {
                return;
            }
            if (errno == Errno.EINTR || errno == Errno.ECONNABORTED || errno == Errno.EPERM) {
                continue;
            }
            if (errno == Errno.EMFILE || errno == Errno.ENFILE || errno == Errno.ENOBUFS || errno == Errno.ENOMEM) {
                backOff(errno);
            } else {
                LOG.error("{}", new ErrnoException("accept4", name, errno).getMessage());
            }
            return;
        }
    }

    private void backOff(int errno) {
        if (!backingOff) {
            LOG.warn("{}; not accepting for {} ms", new ErrnoException("accept4", name, errno).getMessage(),
                ACCEPT_BACKOFF_MILLIS);
        }
        backingOff = true;
        reactor.removeReader(this);
        reactor.callLater(Duration.ofMillis(ACCEPT_BACKOFF_MILLIS), () -> {
            if (fd >= 0) {
                reactor.addReader(this);
            }
        });
    }

    private void connect(int conn, InetSocketAddress peer) {
        backingOff = false;
        Protocol protocol;
        try {
            protocol = factory.buildProtocol(peer);
        } catch (RuntimeException e) {
            LibC.close(conn);
            LOG.error("{}: the protocol factory failed for {}; connection closed", name, TcpSocketTransport.text(peer), e);
            return;
        }
        if (protocol == null) {
            LibC.close(conn);
            return;
        }
        InetSocketAddress local = host;
        MemorySegment scratch = buffers.scratch;
        if (TcpSocket.localAddress(conn, scratch.asSlice(0, Sockaddr.SLOT_SIZE),
                scratch.asSlice(Sockaddr.SLOT_SIZE, 4)) == 0) {
            local = Sockaddr.decode(scratch);
        }
        TcpSocketTransport connection = new TcpSocketTransport(reactor, conn, protocol, local, peer);
        accepted++;
        try {
            connection.start();
        } catch (RuntimeException e) {
            LOG.error("{}: connectionMade failed; connection closed", connection.logPrefix(), e);
            reactor.disconnect(connection, e);
        }
    }

    /**
     * Stops accepting and closes the listening socket; connections already accepted stay open.
     * Idempotent; from any thread (the close runs on the reactor thread).
     *
     * @return completes once the socket is closed
     */
    public CompletableFuture<Void> stopListening() {
        if (!reactor.inReactorThread()) {
            reactor.callFromThread(this::close);
        } else {
            close();
        }
        return stopped;
    }

    private void close() {
        if (fd >= 0) {
            reactor.removeReader(this);
            int closing = fd;
            fd = -1;
            LibC.close(closing);
        }
        stopped.complete(null);
    }

    /** The reactor dropped the listener: close it. */
    @Override
    public void connectionLost(Throwable reason) {
        close();
    }

    @Override
    public String toString() {
        return "TcpPort[" + TcpSocketTransport.text(host) + (fd >= 0 ? "" : ", stopped") + "]";
    }
}

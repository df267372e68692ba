package io.jpair.tunnel;

import io.jpair.errno.ErrnoException;
import io.jpair.reactor.Reactor;
import io.jpair.socket.UdpOptions;
import io.jpair.socket.UdpPort;
import io.jpair.socket.UdpSystem;
import io.jpair.transport.CannotListenException;
import io.jpair.tuntap.IOSystem;
import io.jpair.tuntap.TunnelOptions;
import io.jpair.tuntap.TuntapPort;
import io.jpair.tuntap.offload.OffloadOptions;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * IP over UDP between two hosts: a {@link TuntapPort} and a connected {@link UdpPort} on one
 * reactor, each packet the kernel routes into the TUN device sent to the peer in one datagram and
 * each datagram from the peer written into the device (the program most people build on a TUN
 * device; Twisted's {@code TuntapPort} plus {@code listenUDP}).
 *
 * <pre>{@code
 * UdpTunnel tunnel = new UdpTunnel("jtun0", new InetSocketAddress("10.98.1.1", 5555),
 *     new InetSocketAddress("10.98.1.2", 5555), reactor)
 *     .withOffload(true)                                 // TUN TSO/GRO + UDP GSO/GRO
 *     .withKey(TunnelKey.read(Path.of("tunnel.key")));   // ChaCha20-Poly1305; omit: plain
 * tunnel.start();
 * reactor.run();
 * }</pre>
 *
 * <p><b>Batching.</b> Writes caused by the other side are held and flushed once per read batch:
 * the datagrams of one TUN read batch leave in one {@code sendmmsg} when the TUN protocol's
 * {@code readComplete} flushes the socket, and the packets of one socket read batch
 * ({@code recvmmsg}) enter the device when the socket protocol's {@code readComplete} flushes the
 * TUN port. With offload, the TUN port hands over the kernel's TSO super-packets split into
 * segments, which go out as one UDP GSO send ({@link DatagramRun}); the socket asks for UDP GRO;
 * and the TUN port coalesces the TCP segments of a batch into GRO super-packets. Without offload
 * the socket still batches (no GSO, no GRO) and each packet is one plain TUN write.
 *
 * <p><b>Without a key the traffic is neither encrypted nor authenticated:</b> anyone who can send
 * to the local port from the peer's address can put packets into the device. With a key each
 * datagram is sealed ({@link DatagramSeal}) and anything that does not open is dropped and counted.
 * In both modes the socket is connected to the peer, so the kernel delivers no other sender's
 * datagrams.
 *
 * <p>Reactor thread only, except {@link #counters()}.
 */
public final class UdpTunnel {
    /** Socket buffer size asked for each way (the kernel caps it at {@code net.core.[rw]mem_max}). */
    public static final int SOCKET_BUFFER = 4 << 20;

    private final String device;
    private final InetSocketAddress local;
    private final InetSocketAddress peer;
    private final Reactor reactor;
    private final IOSystem tunSystem;
    private final UdpSystem udpSystem;
    private final TunnelCounters counters = new TunnelCounters();
    private boolean offload;
    private TunnelKey key;
    private Duration warmUp = Duration.ZERO;
    private int warmedDatagrams;
    private TuntapPort tun;
    private UdpPort udp;
    private DatagramSeal seal;

    /**
     * A tunnel not yet started.
     *
     * @param device the TUN device to attach to (or create: then configure its address, MTU and
     *     link yourself, e.g. over {@code io.jpair.netlink.RtNetlink})
     * @param local the local address and port the datagrams use
     * @param peer the other end's address and port
     * @param reactor the reactor that drives both ports
     */
    public UdpTunnel(String device, InetSocketAddress local, InetSocketAddress peer, Reactor reactor) {
        this(device, local, peer, reactor, null, null);
    }

    /**
     * A tunnel on other system calls (the in-memory {@code io.jpair.testing.MemoryIOSystem} and
     * {@code MemoryUdpSystem}, to test a program built on it without root).
     *
     * @param device the TUN device
     * @param local the local address and port
     * @param peer the other end's address and port
     * @param reactor the reactor
     * @param tunSystem the TUN port's system calls; {@code null} for the kernel's
     * @param udpSystem the socket's system calls; {@code null} for the kernel's
     */
    public UdpTunnel(String device, InetSocketAddress local, InetSocketAddress peer, Reactor reactor,
            IOSystem tunSystem, UdpSystem udpSystem) {
        this.tunSystem = tunSystem;
        this.udpSystem = udpSystem;
        this.device = Objects.requireNonNull(device, "device");
        this.local = Objects.requireNonNull(local, "local");
        this.peer = Objects.requireNonNull(peer, "peer");
        this.reactor = Objects.requireNonNull(reactor, "reactor");
        if (local.isUnresolved() || peer.isUnresolved()) {
            throw new IllegalArgumentException("give resolved addresses, not " + local + " and " + peer);
        }
    }

    /**
     * Switches offload (default off): TUN {@code IFF_VNET_HDR} with TSO and GRO, UDP GSO and GRO.
     *
     * @param on whether to offload
     * @return this
     */
    public UdpTunnel withOffload(boolean on) {
        this.offload = on;
        return this;
    }

    /**
     * Seals every datagram with this key (default: none, plain encapsulation).
     *
     * @param tunnelKey the pre-shared key, the same on both ends; {@code null} for none
     * @return this
     */
    public UdpTunnel withKey(TunnelKey tunnelKey) {
        this.key = tunnelKey;
        return this;
    }

    /**
     * Warms the cipher up in {@link #start()} (default: not at all): a sealed tunnel first seals
     * and opens dummy datagrams under a throwaway key ({@link SealWarmUp}) for at most
     * {@code budget}, so that its first transfers already run at compiled speed. This delays the
     * start by up to {@code budget}; without a key it does nothing.
     *
     * @param budget the most time to spend; {@link Duration#ZERO} for none
     * @return this
     */
    public UdpTunnel withSealWarmUp(Duration budget) {
        if (budget.isNegative()) {
            throw new IllegalArgumentException("warm-up budget must not be negative, not " + budget);
        }
        this.warmUp = budget;
        return this;
    }

    /**
     * How many dummy datagrams the cipher warm-up of {@link #start()} sealed and opened.
     *
     * @return 0 without a key, without a warm-up budget or before {@link #start()}
     */
    public int warmedDatagrams() {
        return warmedDatagrams;
    }

    /**
     * Warms the cipher up if asked ({@link #withSealWarmUp}), then opens the TUN device and the
     * socket, connects the socket to the peer, and starts reading both.
     *
     * @throws CannotListenException naming the device or the socket and the errno; whatever was
     *     opened is closed again
     * @throws IllegalStateException if already started
     */
    public void start() throws CannotListenException {
        if (tun != null && tun.isConnected()) {
            throw new IllegalStateException(this + " is already started");
        }
        seal = key == null ? null : new DatagramSeal(key, counters.drops());
        if (seal != null && warmUp.isPositive()) {
            warmedDatagrams = SealWarmUp.run(warmUp, SealWarmUp.DEFAULT_DATAGRAMS);
        }
        TunSide tunSide = new TunSide(seal, counters);
        PeerSide peerSide = new PeerSide(seal, counters, !offload);
        UdpOptions socket = UdpOptions.defaults().withExplicitFlush(true).withGso(offload).withGro(offload)
            .withMaxDatagramSize(DatagramRun.MAX_PAYLOAD).withReceiveBufferSize(SOCKET_BUFFER)
            .withSendBufferSize(SOCKET_BUFFER);
        udp = new UdpPort(local.getPort(), peerSide, local.getAddress(), socket, reactor, udpSystem);
        tun = new TuntapPort(device, tunSide, TunnelOptions.defaults().withMaxPacketSize(65535),
            offload ? OffloadOptions.enabled().withExplicitFlush(true) : OffloadOptions.disabled(), reactor, tunSystem);
        udp.startListening();
        try {
            udp.connect(peer);
            tunSide.sendThrough(udp);
            peerSide.writeInto(tun);
            tun.startListening();
        } catch (ErrnoException | CannotListenException | RuntimeException e) {
            udp.connectionLost(e);
            if (e instanceof CannotListenException cannot) {
                throw cannot;
            }
            throw new CannotListenException(udp.getHost().toString(), e);
        }
    }

    /**
     * Stops both ports (held writes are sent first).
     *
     * @return completes when both are closed
     */
    public CompletableFuture<Void> stop() {
        CompletableFuture<Void> tunStopped = tun == null ? CompletableFuture.completedFuture(null) : tun.stopListening();
        CompletableFuture<Void> udpStopped = udp == null ? CompletableFuture.completedFuture(null) : udp.stopListening();
        return CompletableFuture.allOf(tunStopped, udpStopped);
    }

    /**
     * Whether both ports are open.
     *
     * @return true between {@link #start()} and the end of {@link #stop()}
     */
    public boolean isRunning() {
        return tun != null && tun.isConnected() && udp != null && udp.isConnected();
    }

    /**
     * The TUN port (its counters, its device name, its offloads).
     *
     * @return the port, or {@code null} before {@link #start()}
     */
    public TuntapPort tun() {
        return tun;
    }

    /**
     * The socket (its counters, whether GSO and GRO are on).
     *
     * @return the port, or {@code null} before {@link #start()}
     */
    public UdpPort udp() {
        return udp;
    }

    /**
     * Whether datagrams are sealed.
     *
     * @return true with a key
     */
    public boolean isSealed() {
        return key != null;
    }

    /**
     * Whether offload was asked for.
     *
     * @return the switch
     */
    public boolean isOffloaded() {
        return offload;
    }

    /**
     * The tunnel's own counters (packets each way, drops by reason).
     *
     * @return the counters, the same object for the tunnel's life
     */
    public TunnelCounters counters() {
        return counters;
    }

    @Override
    public String toString() {
        return "UdpTunnel[" + device + " " + local + " <-> " + peer + (offload ? ", offload" : "")
            + (key != null ? ", sealed" : ", plain") + "]";
    }
}

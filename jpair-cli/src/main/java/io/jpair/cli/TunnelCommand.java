package io.jpair.cli;

import io.jpair.netlink.LinkAddress;
import io.jpair.netlink.LinkInfo;
import io.jpair.netlink.RtNetlink;
import io.jpair.reactor.EpollReactor;
import io.jpair.transport.CannotListenException;
import io.jpair.socket.UdpCounters;
import io.jpair.tunnel.TunnelCounters;
import io.jpair.tunnel.TunnelDrop;
import io.jpair.tunnel.TunnelKey;
import io.jpair.tunnel.UdpTunnel;
import io.jpair.tuntap.DeviceCounters;
import io.jpair.tuntap.offload.Offloads;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code jpair tunnel}: IP over UDP between two hosts ({@link UdpTunnel}, a TUN port and a kernel
 * UDP socket on one reactor), optionally sealed with ChaCha20-Poly1305 under a pre-shared key.
 */
@Command(name = "tunnel",
    sortOptions = false,
    usageHelpAutoWidth = true,
    header = "Carry IP packets between two hosts inside UDP datagrams (a point-to-point tunnel).",
    description = {
        "Packets the kernel routes into the TUN device go to the peer in UDP datagrams, and datagrams from the"
            + " peer go into the device. Run it on both hosts, each with the other as --peer.",
        "",
        "WITHOUT --key THE TRAFFIC IS NOT ENCRYPTED OR AUTHENTICATED: anyone who can send datagrams from the"
            + " peer's address can put packets into your network. With --key FILE (the same 32-byte key on both"
            + " ends) every datagram is sealed with ChaCha20-Poly1305 (the JDK's javax.crypto) with a counter"
            + " nonce; forged, damaged and replayed datagrams are dropped and counted. It has no key exchange and"
            + " no forward secrecy: for a VPN between untrusted networks use WireGuard.",
        "",
        "Start-up cost with --key: before it reports the tunnel up, it seals and opens dummy datagrams under a"
            + " throwaway key for up to --warm-up milliseconds (default 3000; 100,000 datagrams at most, which a"
            + " quiet machine does in well under a second), so that the JIT has compiled the cipher before the first"
            + " real packet (otherwise the first hundred thousand or so packets run several times slower).",
        "",
        "It attaches to an existing TUN device, or creates one (removed on exit) and brings it up; --mtu and"
            + " --address change only what differs.",
        ""},
    footer = {"", "Example (two hosts; on the other one swap --local and --peer, use 10.9.0.2/24):",
        "  head -c 32 /dev/urandom > tunnel.key; chmod 600 tunnel.key   # copy it over",
        "  sudo ./jpair tunnel --dev jt0 --address 10.9.0.1/24 --key tunnel.key \\",
        "      --local 192.0.2.1:5555 --peer 192.0.2.2:5555 --offload",
        "", "Exit status:" + JpairCommand.EXIT_CODES})
final class TunnelCommand extends AbstractCommand {
    @Option(names = "--dev", required = true, paramLabel = "NAME", converter = OptionConverters.DeviceName.class,
        description = "The TUN device to attach to or create.")
    private String device;

    @Option(names = "--local", required = true, paramLabel = "IP:PORT", converter = OptionConverters.SocketAddress.class,
        description = "The local address and UDP port, e.g. 10.98.1.1:5555 or [fd00::1]:5555.")
    private InetSocketAddress local;

    @Option(names = "--peer", required = true, paramLabel = "IP:PORT", converter = OptionConverters.SocketAddress.class,
        description = "The other end's address and UDP port.")
    private InetSocketAddress peer;

    @Option(names = "--key", paramLabel = "FILE", description = "Seal every datagram with this pre-shared key: 32 raw"
        + " bytes, 64 hex digits or base64, in a file only its owner may read.")
    private Path keyFile;

    @Option(names = "--offload", description = "TUN TSO/GRO (IFF_VNET_HDR) and UDP GSO/GRO: super-packets instead of"
        + " one system call per packet.")
    private boolean offload;

    @Option(names = "--mtu", paramLabel = "N", description = "Set the device MTU (68..65535; leave room for the"
        + " outer headers: 28 bytes over IPv4, 48 over IPv6, 28 more with --key).")
    private Integer mtu;

    @Option(names = "--address", paramLabel = "ADDR/PREFIX", converter = OptionConverters.Address.class,
        description = "Give the device this address if it lacks it, e.g. 10.9.0.1/24.")
    private LinkAddress address;

    @Option(names = "--warm-up", paramLabel = "MS", defaultValue = "3000", description = "With --key: spend up to"
        + " this many milliseconds warming the cipher up before the tunnel is up (0: none; default ${DEFAULT-VALUE}).")
    private int warmUpMillis;

    @Option(names = "--stats", description = "Print packet, byte and drop counters once a second.")
    private boolean stats;

    @Override
    int execute(PrintWriter out, PrintWriter err) throws Exception {
        validate();
        TunnelKey key = keyFile == null ? null : readKey();
        if (key == null) {
            err.println("jpair tunnel: no --key: the traffic is neither encrypted nor authenticated");
        }
        boolean existed = ExistingDevice.exists(device);
        ReactorErrors errors = new ReactorErrors(output().verbose());
        try (EpollReactor reactor = new EpollReactor(errors)) {
            UdpTunnel tunnel = new UdpTunnel(device, local, peer, reactor).withOffload(offload).withKey(key)
                .withSealWarmUp(Duration.ofMillis(warmUpMillis));
            try {
                tunnel.start();
            } catch (CannotListenException e) {
                if (existed && ExistingDevice.otherType(e)) {
                    throw new CommandException(ExistingDevice.wrongType(device, false, reactor), e);
                }
                throw e;
            }
            errors.stopWith(() -> stop(reactor, tunnel));
            configure(tunnel.tun().interfaceName());
            try (SignalStop signals = new SignalStop(() -> reactor.callFromThread(() -> stop(reactor, tunnel)))) {
                out.println("jpair tunnel: " + tunnel.tun().interfaceName() + " (" + (existed ? "attached" : "created")
                    + ") " + local + " <-> " + peer + ", " + (key == null ? "plain (not encrypted)"
                    : "sealed with ChaCha20-Poly1305") + (offload ? ", offload " + Offloads.describe(tunnel.tun().offloads())
                    + (tunnel.udp().gsoEnabled() ? " + UDP GSO" : "") + (tunnel.udp().groEnabled() ? " + UDP GRO" : "")
                    : "") + (tunnel.warmedDatagrams() > 0 ? ", cipher warmed with " + tunnel.warmedDatagrams()
                    + " datagrams" : "") + " is up; Ctrl-C to stop");
                out.flush();
                if (stats) {
                    scheduleStats(reactor, tunnel, out, 0, 0);
                }
                reactor.run();
                if (errors.portFailure() != null) {
                    throw errors.portFailure();
                }
                out.println("jpair tunnel: stopped" + (signals.signalled() ? " by signal" : "") + "; " + line(tunnel));
                out.flush();
            }
        }
        return 0;
    }

    private void validate() {
        if ((local.getAddress() instanceof Inet4Address) != (peer.getAddress() instanceof Inet4Address)) {
            throw new ParameterException(spec().commandLine(), "--local " + local + " and --peer " + peer
                + " must both be IPv4 or both IPv6");
        }
        if (warmUpMillis < 0) {
            throw new ParameterException(spec().commandLine(), "--warm-up must be 0 or more, not " + warmUpMillis);
        }
        if (mtu != null && (mtu < RtNetlink.MIN_IPV4_MTU || mtu > RtNetlink.MAX_MTU)) {
            throw new ParameterException(spec().commandLine(), "--mtu must be " + RtNetlink.MIN_IPV4_MTU + ".."
                + RtNetlink.MAX_MTU + ", not " + mtu);
        }
    }

    private TunnelKey readKey() throws CommandException {
        try {
            return TunnelKey.read(keyFile);
        } catch (IOException e) {
            throw new CommandException(e instanceof java.nio.file.NoSuchFileException ? "key file " + keyFile
                + " does not exist: make one with head -c 32 /dev/urandom > " + keyFile : e.getMessage(), e);
        }
    }

    /** MTU, address and link state: only what differs is changed. */
    private void configure(String name) throws IOException, CommandException {
        try (DeviceSetup setup = new DeviceSetup()) {
            LinkInfo link = setup.link(name);
            if (mtu != null && link.mtu() != mtu) {
                setup.asRoot(() -> setup.mtu(name, mtu), "set the MTU of " + name, "ip link set " + name + " mtu " + mtu);
            }
            if (address != null && !link.addresses().contains(address)) {
                setup.asRoot(() -> setup.addAddress(name, address.address(), address.prefixLength()),
                    "give " + name + " the address " + address, "ip addr add " + address + " dev " + name);
            }
            if (!link.up()) {
                setup.asRoot(() -> setup.up(name), "bring " + name + " up", "ip link set " + name + " up");
            }
        }
    }

    private static void stop(EpollReactor reactor, UdpTunnel tunnel) {
        reactor.callLater(Duration.ofSeconds(2), reactor::stop);
        tunnel.stop().whenComplete((ignored, failure) -> reactor.stop());
    }

    private static void scheduleStats(EpollReactor reactor, UdpTunnel tunnel, PrintWriter out, long lastOut,
            long lastIn) {
        reactor.callLater(Duration.ofSeconds(1), () -> {
            TunnelCounters c = tunnel.counters();
            out.println(String.format(Locale.ROOT, "%s  +%d/s out, +%d/s in", line(tunnel),
                c.packetsSent() - lastOut, c.packetsReceived() - lastIn));
            out.flush();
            if (tunnel.isRunning()) {
                scheduleStats(reactor, tunnel, out, c.packetsSent(), c.packetsReceived());
            }
        });
    }

    /** The counter line of {@code --stats} and of the exit. */
    static String line(UdpTunnel tunnel) {
        TunnelCounters c = tunnel.counters();
        DeviceCounters d = tunnel.tun().counters();
        UdpCounters u = tunnel.udp().counters();
        StringBuilder drops = new StringBuilder();
        for (TunnelDrop reason : TunnelDrop.values()) {
            drops.append(' ').append(reason.name().toLowerCase(Locale.ROOT)).append('=').append(c.drops().get(reason));
        }
        return tunnel.tun().interfaceName() + ": out " + c.packetsSent() + " packets (" + c.bytesSent() + " B), in "
            + c.packetsReceived() + " (" + c.bytesReceived() + " B); dropped:" + drops + "; device dropped "
            + tunnel.tun().counters().droppedWrites() + ", socket dropped " + tunnel.udp().counters().droppedWrites()
            + " sending, " + tunnel.udp().counters().droppedReads() + " receiving; device read " + d.packetsRead()
            + " (" + d.superPacketsRead() + " super), wrote " + d.packetsWritten() + " (" + d.superPacketsWritten()
            + " super); socket wrote " + u.datagramsWritten() + " datagrams in " + u.writeCalls() + " calls ("
            + u.superDatagramsWritten() + " GSO), read " + u.datagramsRead() + " in " + u.readBatches() + " batches ("
            + u.superDatagramsRead() + " GRO)";
    }
}

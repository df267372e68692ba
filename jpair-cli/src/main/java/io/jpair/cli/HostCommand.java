package io.jpair.cli;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.netlink.LinkAddress;
import io.jpair.netlink.RtNetlink;
import io.jpair.privileges.Capabilities;
import io.jpair.privileges.Privileges;
import io.jpair.reactor.EpollReactor;
import io.jpair.transport.CannotListenException;
import io.jpair.tuntap.offload.OffloadOptions;
import io.jpair.tuntap.offload.Offloads;
import io.jpair.tuntap.TunnelOptions;
import io.jpair.tuntap.TuntapPort;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code jpair host}: creates (or attaches to) a TUN/TAP device, configures the kernel side over
 * rtnetlink, and runs a jpair host on it (ARP/ND, ICMP echo, UDP echo) until stopped.
 */
@Command(name = "host",
    sortOptions = false,
    usageHelpAutoWidth = true,
    header = "Run a jpair host (ping, UDP echo, ARP/ND) on a TUN/TAP device until stopped.",
    description = {
        "Creates the device (or attaches to an existing one), sets its MTU, gives the kernel side an address in"
            + " each of jpair's subnets (the first free host address, e.g. 10.0.0.1/24 for --address 10.0.0.2/24;"
            + " change with --kernel-address or --no-kernel-address), brings it up, and answers ping and UDP"
            + " echo until Ctrl-C or SIGTERM. A device it created is removed on exit unless --persist.",
        ""},
    footer = {"", "Example:", "  sudo ./jpair host --dev jp0 --address 10.0.0.2/24 --udp-echo 7 --stats",
        "  ping 10.0.0.2; echo hi | socat - UDP:10.0.0.2:7"})
final class HostCommand extends AbstractCommand {
    @Option(names = "--dev", required = true, paramLabel = "NAME", converter = OptionConverters.DeviceName.class,
        description = "The device to create or attach to.")
    private String device;

    @Option(names = "--tap", description = "A TAP device (Ethernet, ARP/ND) instead of TUN (IP packets).")
    private boolean tap;

    @Option(names = "--address", required = true, paramLabel = "ADDR/PREFIX",
        converter = OptionConverters.Address.class,
        description = "jpair's address, e.g. 10.0.0.2/24 or fd00::2/64; repeat for more.")
    private List<LinkAddress> addresses = new ArrayList<>();

    @Option(names = "--kernel-address", paramLabel = "ADDR/PREFIX", converter = OptionConverters.Address.class,
        description = "The kernel side's address(es) instead of the derived ones.")
    private List<LinkAddress> kernelAddresses = new ArrayList<>();

    @Option(names = "--no-kernel-address", description = "Give the kernel side no address (configure it yourself).")
    private boolean noKernelAddress;

    @Option(names = "--mtu", paramLabel = "N", description = "The device MTU (68..65535; 1280 or more with IPv6).")
    private Integer mtu;

    @Option(names = "--mac", paramLabel = "MAC", converter = OptionConverters.Mac.class, description = "jpair's MAC on TAP (default: random, locally administered).")
    private String mac;

    @Option(names = "--udp-echo", paramLabel = "PORT", converter = OptionConverters.Port.class,
        description = "Echo UDP datagrams sent to this port; repeat for more.")
    private List<Integer> udpEchoPorts = new ArrayList<>();

    @Option(names = "--offload", description = "TUN only: virtio-net offload (IFF_VNET_HDR, TUNSETOFFLOAD): the kernel's"
        + " GSO super-packets are split on read, replies of one read batch are coalesced into super-packets.")
    private boolean offload;

    @Option(names = "--stats", description = "Print packet, byte and drop counters once a second.")
    private boolean stats;

    @Option(names = "--persist", description = "Keep a device that this command creates after it exits.")
    private boolean persist;

    @Option(names = "--user", paramLabel = "USER",
        description = "Once the device is open and configured, become this user (name or uid[:gid]) with no"
            + " capabilities left, before reading any packet.")
    private String user;

    @Override
    int execute(PrintWriter out, PrintWriter err) throws Exception {
        validate();
        if (user != null) {
            Privileges.lookup(user); // an unknown user fails before anything is created
        }
        boolean existed = ExistingDevice.exists(device);
        List<LinkAddress> kernel = new ArrayList<>();
        if (!noKernelAddress) {
            if (!kernelAddresses.isEmpty()) {
                kernel.addAll(kernelAddresses);
            } else {
                for (LinkAddress address : addresses) {
                    kernel.add(PeerAddress.of(address));
                }
            }
        }
        TunnelOptions options = TunnelOptions.defaults().withMaxPacketSize(65535 + 18);
        if (!existed && persist) {
            options = options.withPersist(true);
        }
        HostStack host = HostStack.create(tap, mac, addresses, udpEchoPorts);
        try (EpollReactor reactor = new EpollReactor(); DeviceSetup setup = new DeviceSetup()) {
            TuntapPort port;
            try {
                port = host.listen(device, options, offload ? OffloadOptions.enabled() : OffloadOptions.disabled(),
                    reactor);
            } catch (CannotListenException e) {
                if (existed && ExistingDevice.otherType(e)) {
                    throw new CommandException(device + " exists and is not a " + (tap ? "TAP" : "TUN")
                        + " device (or is multi-queue): " + (tap ? "drop --tap" : "add --tap")
                        + " or pick another name", e);
                }
                throw e;
            }
            String name = port.interfaceName();
            if (mtu != null) {
                setup.mtu(name, mtu);
            }
            for (LinkAddress address : kernel) {
                addKernelAddress(setup, name, address, err);
            }
            setup.up(name);
            if (user != null) {
                Privileges.Identity identity = Privileges.dropTo(user);
                out.println("jpair host: running as " + identity.name() + " (uid " + identity.uid() + ", gid "
                    + identity.gid() + "), capabilities " + Capabilities.current());
            }
            out.println("jpair host: " + name + " (" + (tap ? "TAP, jpair MAC " + host.mac() : "TUN") + ", "
                + (existed ? "attached" : persist ? "created, persistent" : "created")
                + (offload ? ", offload " + Offloads.describe(port.offloads()) : "") + ") is up: jpair "
                + join(addresses) + (kernel.isEmpty() ? "" : ", kernel " + join(kernel)) + "; answering ping"
                + (udpEchoPorts.isEmpty() ? "" : ", UDP echo on " + udpEchoPorts) + "; Ctrl-C to stop");
            out.flush();
            if (stats) {
                new Stats(port, host, out).scheduleOn(reactor);
            }
            try (SignalStop signals = new SignalStop(() -> reactor.callFromThread(() -> stop(reactor, port)))) {
                reactor.run();
                out.println("jpair host: stopped" + (signals.signalled() ? " by signal" : "") + "; " + name + " "
                    + (existed ? "left as it was" : persist ? "kept (--persist)" : "removed") + "; "
                    + Stats.line(port, host));
                out.flush();
            }
        }
        return 0;
    }

    private void validate() {
        if (addresses.isEmpty()) {
            throw new ParameterException(spec().commandLine(), "give jpair at least one --address");
        }
        if (mtu != null) {
            boolean ipv6 = addresses.stream().anyMatch(LinkAddress::isIpv6);
            int min = ipv6 ? RtNetlink.MIN_IPV6_MTU : RtNetlink.MIN_IPV4_MTU;
            if (mtu < min || mtu > RtNetlink.MAX_MTU) {
                throw new ParameterException(spec().commandLine(), "--mtu must be " + min + ".." + RtNetlink.MAX_MTU
                    + (ipv6 ? " with an IPv6 address" : "") + ", not " + mtu);
            }
        }
        if (offload && tap) {
            throw new ParameterException(spec().commandLine(), "--offload is for TUN devices: drop --tap or --offload");
        }
        if (mac != null && !tap) {
            throw new ParameterException(spec().commandLine(), "--mac needs --tap (a TUN device has no MAC)");
        }
        if (noKernelAddress && !kernelAddresses.isEmpty()) {
            throw new ParameterException(spec().commandLine(), "--no-kernel-address and --kernel-address exclude each other");
        }
    }

    private static void addKernelAddress(DeviceSetup setup, String name, LinkAddress address, PrintWriter err)
            throws java.io.IOException {
        try {
            setup.addAddress(name, address.address(), address.prefixLength());
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EEXIST) {
                throw e;
            }
            err.println("jpair host: " + name + " already has " + address + " on the kernel side");
        }
    }

    private static void stop(EpollReactor reactor, TuntapPort port) {
        reactor.callLater(Duration.ofSeconds(2), reactor::stop);
        if (port.isConnected()) {
            port.stopListening().whenComplete((ignored, failure) -> reactor.stop());
        } else {
            reactor.stop();
        }
    }

    private static String join(List<LinkAddress> addresses) {
        List<String> texts = new ArrayList<>();
        for (LinkAddress address : addresses) {
            texts.add(PacketSummary.format(address.address().getAddress()) + "/" + address.prefixLength());
        }
        return String.join(" ", texts);
    }

    /** The once-a-second counter line of {@code --stats}, on the reactor thread. */
    private static final class Stats {
        private final TuntapPort port;
        private final HostStack host;
        private final PrintWriter out;
        private long lastIn;
        private long lastOut;

        Stats(TuntapPort port, HostStack host, PrintWriter out) {
            this.port = port;
            this.host = host;
            this.out = out;
        }

        void scheduleOn(EpollReactor reactor) {
            reactor.callLater(Duration.ofSeconds(1), () -> {
                long in = port.counters().packetsRead();
                long sent = port.counters().packetsWritten();
                out.println(String.format(Locale.ROOT, "%s  +%d/s in, +%d/s out", line(port, host), in - lastIn,
                    sent - lastOut));
                out.flush();
                lastIn = in;
                lastOut = sent;
                if (port.isConnected()) {
                    scheduleOn(reactor);
                }
            });
        }

        static String line(TuntapPort port, HostStack host) {
            String stack = host.counters();
            return port.interfaceName() + ": in " + port.counters().packetsRead() + " packets (" + port.counters().bytesRead()
                + " B), out " + port.counters().packetsWritten() + " (" + port.counters().bytesWritten() + " B), " + port.counters().droppedWrites()
                + " dropped" + (stack.isEmpty() ? "" : ", " + stack);
        }
    }
}

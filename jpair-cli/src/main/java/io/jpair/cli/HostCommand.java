package io.jpair.cli;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.netlink.LinkAddress;
import io.jpair.netlink.LinkInfo;
import io.jpair.netlink.LinkMonitor;
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
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code jpair host}: creates (or attaches to) a TUN/TAP device, configures the kernel side over
 * rtnetlink, and runs a jpair host on it (ARP/ND, ICMP echo, UDP echo, TCP echo, discard, source
 * and HTTP) until stopped.
 */
@Command(name = "host",
    sortOptions = false,
    usageHelpAutoWidth = true,
    header = "Run a jpair host (ping, UDP echo, TCP services, ARP/ND) on a TUN/TAP device until stopped.",
    description = {
        "Creates the device (or attaches to an existing one), sets its MTU, gives the kernel side an address in"
            + " each of jpair's subnets (the first free host address, e.g. 10.0.0.1/24 for --address 10.0.0.2/24;"
            + " change with --kernel-address or --no-kernel-address), brings it up, and answers ping, UDP"
            + " echo and the TCP services asked for (--tcp-echo, --tcp-discard, --tcp-source, --http) until Ctrl-C"
            + " or SIGTERM. A device it created is removed on exit unless --persist.",
        "",
        "Only what is needed is changed: an MTU already set, an address already there and a link already up are"
            + " left alone, so the owner of a device made with 'jpair mkdev --user' runs this without root"
            + " (with --no-kernel-address once root has brought the device up).",
        "",
        "It configures the network namespace it runs in, so it refuses to run in the machine's initial one"
            + " (your shell's own network) unless you add --here; run it in a namespace of its own instead, as in"
            + " the example.",
        ""},
    footer = {"", "Example (a throwaway namespace; 'sudo ip netns del jpair' removes it):",
        "  sudo ip netns add jpair",
        "  sudo ip netns exec jpair ./jpair host --dev jp0 --address 10.0.0.2/24 --udp-echo 7 --tcp-echo 7 --http 80 --stats",
        "  sudo ip netns exec jpair ping -c 3 10.0.0.2     # from another terminal",
        "  sudo ip netns exec jpair curl http://10.0.0.2/  # its counters",
        "", "Exit status:" + JpairCommand.EXIT_CODES})
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

    /**
     * The largest MTU the tun driver accepts on a TAP device: {@code max_mtu} is
     * {@code MAX_MTU - hard_header_len}, 65535 minus the 14-byte Ethernet header (TUN: 65535).
     */
    static final int MAX_TAP_MTU = RtNetlink.MAX_MTU - 14;

    @Option(names = "--mtu", paramLabel = "N", description = "The device MTU (68..65535 on TUN, 68..65521 on TAP;"
        + " 1280 or more with IPv6).")
    private Integer mtu;

    @Option(names = "--mac", paramLabel = "MAC", converter = OptionConverters.Mac.class, description = "jpair's MAC on TAP (default: random, locally administered).")
    private String mac;

    @Option(names = "--udp-echo", paramLabel = "PORT", converter = OptionConverters.Port.class,
        description = "Echo UDP datagrams sent to this port; repeat for more.")
    private List<Integer> udpEchoPorts = new ArrayList<>();

    @Option(names = "--tcp-echo", paramLabel = "PORT", converter = OptionConverters.Port.class,
        description = "Echo TCP on this port (RFC 862): what a client sends comes back; closes after the client's"
            + " FIN. Repeat for more.")
    private List<Integer> tcpEchoPorts = new ArrayList<>();

    @Option(names = "--tcp-discard", paramLabel = "PORT", converter = OptionConverters.Port.class,
        description = "Read and drop TCP on this port (RFC 863). Repeat for more.")
    private List<Integer> tcpDiscardPorts = new ArrayList<>();

    @Option(names = "--tcp-source", paramLabel = "PORT", converter = OptionConverters.Port.class,
        description = "Send bytes on TCP connections to this port without end, until the client closes. Repeat for"
            + " more.")
    private List<Integer> tcpSourcePorts = new ArrayList<>();

    @Option(names = "--http", paramLabel = "PORT", converter = OptionConverters.Port.class,
        description = "Answer HTTP/1.1 on this TCP port: / is a page of the host's counters, /bytes/N sends N bytes"
            + " (N up to 10^10), GET and HEAD. Repeat for more.")
    private List<Integer> httpPorts = new ArrayList<>();

    @Option(names = "--offload", description = "TUN only: virtio-net offload (IFF_VNET_HDR, TUNSETOFFLOAD): the kernel's"
        + " TCP super-packets (TSO) are taken and sent whole by jpair's TCP, other GSO packets are split on read,"
        + " replies of one read batch are coalesced into super-packets.")
    private boolean offload;

    @Option(names = "--stats", description = "Print packet, byte and drop counters once a second.")
    private boolean stats;

    @Option(names = "--persist", description = "Keep a device that this command creates after it exits.")
    private boolean persist;

    @Option(names = "--here", description = "Configure this shell's own network namespace even if it is the machine's"
        + " initial one (without it, jpair host refuses there).")
    private boolean here;

    @Option(names = "--user", paramLabel = "USER",
        description = "Once the device is open and configured, become this user (name or uid[:gid]) with no"
            + " capabilities left (an empty bounding set, no-new-privileges), before reading any packet. The"
            + " rtnetlink socket used for the configuration is closed first; on TAP the link-event socket stays"
            + " open (it only receives notifications: the kernel checks the sender's own capabilities for changes).")
    private String user;

    @Override
    int execute(PrintWriter out, PrintWriter err) throws Exception {
        validate();
        if (user != null) {
            lookupUser(); // an unknown user fails before anything is created
        }
        refuseTheInitialNamespace(NetworkNamespace.current());
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
        Map<Integer, TcpService> tcp = tcpServices();
        HostStack host = HostStack.create(tap, mac, addresses, udpEchoPorts, tcp);
        ReactorErrors errors = new ReactorErrors(output().verbose());
        try (EpollReactor reactor = new EpollReactor(errors); DeviceSetup setup = new DeviceSetup()) {
            TuntapPort port;
            try {
                port = host.listen(device, options, offload ? OffloadOptions.enabled().withTcpSuperPackets(true) : OffloadOptions.disabled(),
                    reactor);
            } catch (CannotListenException e) {
                if (existed && ExistingDevice.otherType(e)) {
                    throw new CommandException(ExistingDevice.wrongType(device, tap, reactor), e);
                }
                throw e;
            }
            String name = port.interfaceName();
            LinkMonitor links = tap ? host.watchLink(reactor) : null;
            errors.stopWith(() -> stop(reactor, port, links));
            LinkInfo link = setup.link(name);
            if (mtu != null && link.mtu() != mtu) {
                setup.asRoot(() -> setup.mtu(name, mtu), "set the MTU of " + name, "ip link set " + name + " mtu " + mtu);
            }
            for (LinkAddress address : kernel) {
                if (link.addresses().contains(address)) {
                    err.println("jpair host: " + name + " already has " + address + " on the kernel side");
                } else {
                    addKernelAddress(setup, name, address, err);
                }
            }
            if (!link.up()) {
                setup.asRoot(() -> setup.up(name), "bring " + name + " up", "ip link set " + name + " up");
            }
            // Configured: the root-opened rtnetlink socket is of no further use, and only root should hold it.
            setup.finish();
            if (user != null) {
                // On this thread, which runs the reactor: the bounding set and no-new-privs are per thread.
                Privileges.Identity identity = Privileges.dropTo(user);
                out.println("jpair host: running as " + identity.name() + " (uid " + identity.uid() + ", gid "
                    + identity.gid() + "), capabilities " + Capabilities.current() + ", NoNewPrivs "
                    + (Privileges.noNewPrivileges() ? 1 : 0));
            }
            // The hook goes in before "is up" is printed: a signal sent as soon as the line is seen
            // must find it (a hook added once the JVM is shutting down throws).
            try (SignalStop signals = new SignalStop(() -> reactor.callFromThread(() -> stop(reactor, port, links)))) {
                out.println("jpair host: " + name + " (" + (tap ? "TAP, jpair MAC " + host.mac() : "TUN") + ", "
                    + (existed ? "attached" : persist ? "created, persistent" : "created")
                    + (offload ? ", offload " + Offloads.describe(port.offloads()) : "") + ") is up: jpair "
                    + join(addresses) + (kernel.isEmpty() ? "" : ", kernel " + join(kernel)) + "; answering ping"
                    + (udpEchoPorts.isEmpty() ? "" : ", UDP echo on " + udpEchoPorts) + describe(tcp)
                    + "; Ctrl-C to stop");
                out.flush();
                if (stats) {
                    new Stats(port, host, out).scheduleOn(reactor);
                }
                reactor.run();
                if (errors.portFailure() != null) {
                    throw errors.portFailure();
                }
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
            int max = tap ? MAX_TAP_MTU : RtNetlink.MAX_MTU;
            if (mtu < min || mtu > max) {
                throw new ParameterException(spec().commandLine(), "--mtu must be " + min + ".." + max
                    + (tap ? " on TAP (the tun driver's limit: 65535 less the Ethernet header)" : "")
                    + (ipv6 ? (tap ? " and" : "") + " with an IPv6 address" : "") + ", not " + mtu);
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
        refuseRepeats("--address", addresses);
        refuseRepeats("--kernel-address", kernelAddresses);
        for (LinkAddress kernelAddress : kernelAddresses) {
            for (LinkAddress address : addresses) {
                if (kernelAddress.address().equals(address.address())) {
                    throw new ParameterException(spec().commandLine(), "--kernel-address " + kernelAddress
                        + " is jpair's own --address: give the kernel side another address of the subnet");
                }
            }
        }
        Set<Integer> ports = new HashSet<>();
        for (int port : udpEchoPorts) {
            if (!ports.add(port)) {
                throw new ParameterException(spec().commandLine(), "--udp-echo " + port + " is given twice");
            }
        }
        tcpServices(); // refuses a TCP port given twice
    }

    /**
     * The TCP ports and their services, in the order of the options.
     *
     * @return port to service
     * @throws ParameterException for a port given twice, to one service or to two
     */
    private Map<Integer, TcpService> tcpServices() {
        Map<Integer, TcpService> services = new LinkedHashMap<>();
        addTcp(services, TcpService.ECHO, tcpEchoPorts);
        addTcp(services, TcpService.DISCARD, tcpDiscardPorts);
        addTcp(services, TcpService.SOURCE, tcpSourcePorts);
        addTcp(services, TcpService.HTTP, httpPorts);
        return services;
    }

    private void addTcp(Map<Integer, TcpService> services, TcpService service, List<Integer> ports) {
        for (int port : ports) {
            TcpService taken = services.putIfAbsent(port, service);
            if (taken == service) {
                throw new ParameterException(spec().commandLine(), service.option() + " " + port + " is given twice");
            }
            if (taken != null) {
                throw new ParameterException(spec().commandLine(), service.option() + " " + port + ": TCP port " + port
                    + " is already " + taken.option() + " " + port);
            }
        }
    }

    /** The ready line's part for TCP, e.g. {@code ", TCP echo on [7], HTTP on [80]"}. */
    private static String describe(Map<Integer, TcpService> services) {
        StringBuilder text = new StringBuilder();
        for (TcpService service : TcpService.values()) {
            List<Integer> ports = new ArrayList<>();
            services.forEach((port, s) -> {
                if (s == service) {
                    ports.add(port);
                }
            });
            if (!ports.isEmpty()) {
                text.append(text.isEmpty() ? ", TCP " : ", ").append(service.label()).append(" on ")
                    .append(ports);
            }
        }
        return text.toString();
    }

    private void lookupUser() {
        try {
            Privileges.lookup(user);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec().commandLine(), "--user " + user + ": " + e.getMessage());
        }
    }

    /**
     * Refuses to configure the machine's initial network namespace without {@code --here}: a
     * newcomer copying an example would otherwise give their own network a device and addresses.
     * A private namespace, or one that cannot be told (not root: then nothing can be changed in
     * it anyway), is fine.
     *
     * @param namespace where this process runs
     */
    void refuseTheInitialNamespace(NetworkNamespace namespace) {
        if (namespace == NetworkNamespace.INITIAL && !here) {
            throw new ParameterException(spec().commandLine(), "refusing to add " + device + " and its addresses to"
                + " this shell's own network namespace: run it in one of its own (sudo ip netns add jpair; sudo ip"
                + " netns exec jpair ./jpair host ...), or add --here to do it here");
        }
    }

    private static void addKernelAddress(DeviceSetup setup, String name, LinkAddress address, PrintWriter err)
            throws java.io.IOException, CommandException {
        try {
            setup.asRoot(() -> setup.addAddress(name, address.address(), address.prefixLength()),
                "give " + name + " the kernel-side address " + address,
                "ip addr add " + address + " dev " + name + (address.isIpv6() ? " nodad" : ""));
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EEXIST) {
                throw e;
            }
            err.println("jpair host: " + name + " already has " + address + " on the kernel side");
        }
    }

    private void refuseRepeats(String option, List<LinkAddress> given) {
        Set<InetAddress> seen = new HashSet<>();
        for (LinkAddress address : given) {
            if (!seen.add(address.address())) {
                throw new ParameterException(spec().commandLine(), option + " " + address.address().getHostAddress()
                    + " is given twice");
            }
        }
    }

    private static void stop(EpollReactor reactor, TuntapPort port, LinkMonitor links) {
        if (links != null) {
            links.stop();
        }
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

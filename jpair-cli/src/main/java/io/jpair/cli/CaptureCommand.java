package io.jpair.cli;

import io.jpair.pcap.LinkType;
import io.jpair.pcap.PcapWriter;
import io.jpair.reactor.EpollReactor;
import io.jpair.transport.PacketProtocol;
import io.jpair.transport.CannotListenException;
import io.jpair.tuntap.TunnelOptions;
import io.jpair.tuntap.TuntapPort;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code jpair capture}: reads a TUN/TAP device (attaching to it, or creating it) and writes a
 * pcap file, or prints one line per packet.
 */
@Command(name = "capture",
    sortOptions = false,
    usageHelpAutoWidth = true,
    header = "Read a TUN/TAP device and write a pcap file (or print a line per packet).",
    description = {
        "Attaches to the device if it exists (TUN, or TAP if it is one), else creates it (TUN, or TAP with --tap)."
            + " jpair is then the device's far end: it sees what the kernel sends into the device. Records are raw"
            + " IP (LINKTYPE_RAW, 101) for TUN and Ethernet (LINKTYPE_ETHERNET, 1) for TAP; read them with"
            + " tshark -r FILE or Wireshark. A device it created is removed on exit unless --persist.",
        ""},
    footer = {"", "Example:", "  sudo ./jpair capture --dev jp0 -w jp0.pcap -c 10 &",
        "  sudo ip addr add 10.0.0.1/24 dev jp0 && sudo ip link set jp0 up",
        "  ping -c 3 10.0.0.2; tshark -r jp0.pcap", "", "Exit status:" + JpairCommand.EXIT_CODES})
final class CaptureCommand extends AbstractCommand {
    private static final int READ_SIZE = 65535 + 18;

    @Option(names = "--dev", required = true, paramLabel = "NAME", converter = OptionConverters.DeviceName.class,
        description = "The TUN/TAP device to read (attached if it exists, created otherwise).")
    private String device;

    @Option(names = "--tap", description = "Create a TAP device (Ethernet frames) instead of TUN (IP packets).")
    private boolean tap;

    @Option(names = {"-w", "--write"}, paramLabel = "FILE.pcap",
        description = "Write packets to this pcap file instead of printing a line per packet.")
    private Path file;

    @Option(names = {"-c", "--count"}, paramLabel = "COUNT", description = "Stop after COUNT packets.",
        defaultValue = Long.MAX_VALUE + "", showDefaultValue = CommandLine.Help.Visibility.NEVER)
    private long count;

    @Option(names = "--snaplen", paramLabel = "BYTES", description = "Store at most BYTES per packet (default: all).")
    private int snapLength = PcapWriter.DEFAULT_SNAP_LENGTH;

    @Option(names = "--persist", description = "Keep a device that this command creates after it exits.")
    private boolean persist;

    @Override
    int execute(PrintWriter out, PrintWriter err) throws Exception {
        if (count < 1) {
            throw new ParameterException(spec().commandLine(), "--count must be at least 1, not " + count);
        }
        if (snapLength < 1 || snapLength > PcapWriter.DEFAULT_SNAP_LENGTH) {
            throw new ParameterException(spec().commandLine(),
                "--snaplen must be 1.." + PcapWriter.DEFAULT_SNAP_LENGTH + ", not " + snapLength);
        }
        ReactorErrors errors = new ReactorErrors(output().verbose());
        // The file first: a bad path fails before any device is touched.
        try (FileChannel channel = file == null ? null : FileChannel.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                EpollReactor reactor = new EpollReactor(errors)) {
            boolean existed = ExistingDevice.exists(device);
            TunnelOptions options = TunnelOptions.defaults().withMaxPacketSize(READ_SIZE);
            if (!existed && persist) {
                options = options.withPersist(true);
            }
            TuntapPort[] port = new TuntapPort[1];
            Runnable stop = () -> stop(reactor, port[0]);
            boolean ethernet = tap;
            PacketRecorder recorder = new PacketRecorder(out, ethernet, count, stop);
            try {
                port[0] = open(recorder, ethernet, options, reactor);
            } catch (CannotListenException e) {
                if (!existed || tap || !ExistingDevice.otherType(e)) {
                    throw e;
                }
                // An existing device that is not TUN: attach to it as TAP.
                ethernet = true;
                recorder = new PacketRecorder(out, true, count, stop);
                port[0] = open(recorder, true, options, reactor);
            }
            errors.stopWith(stop);
            LinkType linkType = ethernet ? LinkType.ETHERNET : LinkType.RAW;
            try (PcapWriter pcap = channel == null ? null
                    : new PcapWriter(channel, linkType, snapLength, false, PcapWriter.DEFAULT_BUFFER_SIZE)) {
                if (pcap != null) {
                    recorder.writeTo(pcap);
                    flushEverySecond(reactor, pcap);
                }
                String name = port[0].interfaceName();
                // The hook goes in before the "reading" line: a signal sent as soon as it is seen must find it.
                try (SignalStop signals = new SignalStop(() -> reactor.callFromThread(stop))) {
                    err.println("jpair capture: reading " + name + " (" + (ethernet ? "TAP" : "TUN") + ", "
                        + (existed ? "attached" : persist ? "created, persistent" : "created") + "), link type "
                        + linkType.name() + " (" + linkType.value() + ")" + (file != null ? ", writing " + file : "")
                        + (count != Long.MAX_VALUE ? ", stopping after " + count + " packets" : "") + "; Ctrl-C to stop");
                    if (!existed) {
                        err.println("  " + name + " is new and down: give it an address and bring it up, e.g. ip addr"
                            + " add 10.0.0.1/24 dev " + name + " && ip link set " + name + " up");
                    }
                    err.flush();
                    reactor.run();
                    if (pcap != null) {
                        pcap.flush();
                    }
                    if (errors.portFailure() != null) {
                        throw new CommandException(errors.portFailure().getMessage() + "; " + recorder.packets()
                            + " packet" + (recorder.packets() == 1 ? "" : "s") + " captured before",
                            errors.portFailure().getCause());
                    }
                    err.println("jpair capture: " + recorder.packets() + " packet" + (recorder.packets() == 1 ? "" : "s")
                        + " captured on " + name + (signals.signalled() ? " (stopped by signal)" : ""));
                }
            }
            if (recorder.failure() != null) {
                throw new CommandException("cannot write " + file + ": " + ErrorReport.oneLine(recorder.failure()),
                    recorder.failure());
            }
        }
        return 0;
    }

    private TuntapPort open(PacketRecorder recorder, boolean ethernet, TunnelOptions options, EpollReactor reactor)
            throws CannotListenException {
        PacketProtocol protocol = ethernet ? new TapCaptureProtocol(recorder) : new TunCaptureProtocol(recorder);
        TuntapPort port = new TuntapPort(device, protocol, options, reactor, null);
        port.startListening();
        return port;
    }

    private static void stop(EpollReactor reactor, TuntapPort port) {
        reactor.callLater(Duration.ofSeconds(2), reactor::stop);
        if (port != null && port.isConnected()) {
            port.stopListening().whenComplete((ignored, failure) -> reactor.stop());
        } else {
            reactor.stop();
        }
    }

    private static void flushEverySecond(EpollReactor reactor, PcapWriter pcap) {
        reactor.callLater(Duration.ofSeconds(1), () -> {
            try {
                pcap.flush();
                flushEverySecond(reactor, pcap);
            } catch (java.io.IOException e) {
                // The next append reports the failure.
            }
        });
    }
}

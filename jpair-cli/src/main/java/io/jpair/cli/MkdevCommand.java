package io.jpair.cli;

import io.jpair.privileges.Privileges;
import io.jpair.reactor.EpollReactor;
import io.jpair.tuntap.TunnelOptions;
import io.jpair.tuntap.TuntapPort;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code jpair mkdev}: creates a persistent TUN/TAP device owned by a user, so that user can run
 * jpair on it later without root ({@code ip tuntap add DEV mode tun user U}).
 */
@Command(name = "mkdev",
    sortOptions = false,
    usageHelpAutoWidth = true,
    header = "Create a persistent TUN/TAP device owned by a user, for running jpair without root.",
    description = {"Creates the device with TUNSETPERSIST and TUNSETOWNER (and TUNSETGROUP with --group), then"
        + " closes it: the device stays, and the user can attach to it without any privilege. Remove it with"
        + " 'ip link del NAME'.", ""},
    footer = {"", "Example:", "  sudo ./jpair mkdev --dev jp0 --user $USER",
        "  sudo ip link set jp0 up                                             # the one change that needs root",
        "  ./jpair host --dev jp0 --address 10.0.0.2/24 --no-kernel-address   # as $USER",
        "", "Exit status:" + JpairCommand.EXIT_CODES})
final class MkdevCommand extends AbstractCommand {
    @Option(names = "--dev", required = true, paramLabel = "NAME", converter = OptionConverters.DeviceName.class,
        description = "The device to create.")
    private String device;

    @Option(names = "--tap", description = "A TAP device (Ethernet) instead of TUN (IP packets).")
    private boolean tap;

    @Option(names = "--user", required = true, paramLabel = "USER",
        description = "The owner: a user name or uid (uid:gid also sets the group).")
    private String user;

    @Option(names = "--group", paramLabel = "GID", description = "Also let members of this group id attach.")
    private Integer group;

    @Override
    int execute(PrintWriter out, PrintWriter err) throws Exception {
        Privileges.Identity owner;
        try {
            owner = Privileges.lookup(user);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec().commandLine(), "--user " + user + ": " + e.getMessage());
        }
        TunnelOptions options = TunnelOptions.defaults().withPersist(true).withOwner(owner.uid());
        if (group != null) {
            options = options.withGroup(group);
        } else if (user.contains(":")) {
            options = options.withGroup(owner.gid());
        }
        try (EpollReactor reactor = new EpollReactor()) {
            TuntapPort port = new TuntapPort(device, tap ? new NoFrames() : new NoPackets(), options, reactor, null);
            port.startListening();
            String name = port.interfaceName();
            port.stopListening();
            reactor.runOnce(0);
            out.println("jpair mkdev: " + name + " (" + (tap ? "TAP" : "TUN") + ", persistent) owned by "
                + owner.name() + " (uid " + owner.uid() + (group != null || user.contains(":")
                    ? ", gid " + (group != null ? group : owner.gid()) : "") + "); remove with 'ip link del " + name + "'");
        }
        return 0;
    }
}

package io.jpair.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top-level {@code jpair} command: only subcommands, {@code --help} and {@code --version}. */
@Command(name = "jpair",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    header = "Twisted Pair for Java: be a network host on Linux TUN/TAP devices.",
    description = {"", "Needs root (or CAP_NET_ADMIN) for TUN/TAP devices. Start with: sudo ./jpair demo", ""},
    subcommands = {DemoCommand.class, HostCommand.class, CaptureCommand.class, MkdevCommand.class,
        CommandLine.HelpCommand.class},
    footer = {"", "Exit status: 0 success, 1 failure, 2 bad usage. 'jpair help COMMAND' explains a command.",
        "Benchmarks (launcher only, module jpair-bench): ./jpair bench drain|rx|echo|tx|forward|offload."})
final class JpairCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    /**
     * Without a subcommand: usage on stderr and the usage exit code.
     *
     * @return {@link CommandLine.ExitCode#USAGE}
     */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("jpair: missing command (demo, host or capture)");
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }
}

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
        TunnelCommand.class, BenchCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "Exit status:" + JpairCommand.EXIT_CODES, "", "'jpair help COMMAND' explains a command."})
final class JpairCommand implements Callable<Integer> {
    /** The exit codes of every command, for the help footers. */
    static final String EXIT_CODES = "%n  0    success"
        + "%n  1    failure (one line on stderr says why)"
        + "%n  2    bad usage (one line on stderr, and which help to read)"
        + "%n  130  stopped by Ctrl-C (SIGINT), after cleaning up"
        + "%n  143  stopped by SIGTERM, after cleaning up";

    @Spec
    private CommandSpec spec;

    /**
     * Without a subcommand: usage on stderr and the usage exit code.
     *
     * @return {@link CommandLine.ExitCode#USAGE}
     */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println(UsageError.line(spec.commandLine(),
            "missing command: demo, host, capture, mkdev, tunnel or bench"));
        return CommandLine.ExitCode.USAGE;
    }
}

package io.jpair.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jpair bench}: the help of the whole-path benchmarks. They live in their own module
 * ({@code jpair-bench}, JMH on the class path), so the {@code ./jpair} launcher runs them with
 * {@code bench/scenario}; this command only explains them ({@code jpair help bench},
 * {@code jpair bench --help}) and, run without the launcher, says how to start them.
 */
@Command(name = "bench",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    usageHelpAutoWidth = true,
    header = "Whole-path benchmarks on real devices (run by the ./jpair launcher with bench/scenario).",
    synopsisHeading = "Usage: ",
    customSynopsis = "sudo ./jpair bench SCENARIO [--netns NAME --dev DEV] [--size B] [--secs S] [--warmup S]"
        + " [--mode split|virtio] [options]",
    description = {"",
        "Scenarios:",
        "  drain    one drain of a full device queue (--queue-len packets) through reactor turns",
        "  rx       packets read from a live UDP flood of --size-byte payloads",
        "  echo     packets swapped (addresses and ports) and written back to a closed-loop client",
        "  tx       valid IPv4/UDP packets written into the TUN, 64 per wake-up",
        "  forward  packets read from tb0 and written to tb1",
        "  offload  super-packet receive through IFF_VNET_HDR + TUNSETOFFLOAD from UDP GSO sends",
        "",
        "Without --netns each creates a network namespace of its own (tun tb0 = 10.99.0.1/24), makes its own"
            + " traffic and deletes the namespace on exit; the last stdout line is the result (scenario=... pps=..."
            + " gbps=...). Needs root. bench/README.md explains every option and bench/compare.", ""},
    footer = {"", "Exit status: 0 success, 1 failure, 2 bad usage (bench/scenario's own codes)."})
final class BenchCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "SCENARIO [OPTIONS]", hidden = true)
    private List<String> scenario = List.of();

    /**
     * Reached only without the launcher (which hands {@code bench} to {@code bench/scenario}).
     *
     * @return {@link CommandLine.ExitCode#USAGE}
     */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println(UsageError.line(spec.commandLine(),
            "benchmarks run through the launcher of a source tree: sudo ./jpair bench SCENARIO"));
        return CommandLine.ExitCode.USAGE;
    }
}

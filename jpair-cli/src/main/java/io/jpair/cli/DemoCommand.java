package io.jpair.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code jpair demo}: a jpair host on a TUN and on a TAP device in a throwaway network namespace,
 * driven by the kernel's own ping, UDP, TCP, curl and ARP, with a report; exits 1 if any check failed.
 */
@Command(name = "demo",
    sortOptions = false,
    usageHelpAutoWidth = true,
    header = "Run jpair hosts on a TUN and a TAP device in a throwaway network namespace and check them.",
    description = {
        "Creates a private network namespace (unshare --net), starts a jpair host on a TUN device and one on"
            + " a TAP device inside it, pings them (also with 3000-byte pings, fragmented both ways), sends them"
            + " UDP (to the echo port and to a closed one, refused by ICMP) and TCP (echo) from the kernel, fetches"
            + " their HTTP status page with curl (and lets the kernel ARP for the TAP host), prints what was sent"
            + " and received with round-trip times, and removes"
            + " everything on exit or Ctrl-C: the namespace and its devices vanish with the demo's process."
            + " Never touches your own network namespace. Needs root.",
        ""},
    footer = {"", "Exit status: 0 when every check passed, 1 otherwise, 2 for bad usage."})
final class DemoCommand extends AbstractCommand {
    @Option(names = {"-c", "--count"}, paramLabel = "N", description = "Pings and UDP datagrams per check (default: 3).")
    private int count = 3;

    @Option(names = "--in-namespace", hidden = true,
        description = "Internal: run the checks here (the namespace was made by the outer demo).")
    private boolean inNamespace;

    @Option(names = "--live", hidden = true, description = "Internal: the report goes to a terminal.")
    private boolean live;

    @Override
    int execute(PrintWriter out, PrintWriter err) throws Exception {
        if (count < 1 || count > 100) {
            throw new ParameterException(spec().commandLine(), "--count must be 1..100, not " + count);
        }
        if (inNamespace) {
            return new DemoRun(count, live, out).run();
        }
        List<String> args = new ArrayList<>(List.of("--count", Integer.toString(count)));
        if (System.console() != null && System.console().isTerminal()) {
            args.add("--live");
        }
        if (output().verbose()) {
            args.add("--verbose");
        }
        if (output().errors()) {
            args.add("--errors");
        }
        return new DemoNamespace(args).run(out, err);
    }
}

package io.jpair.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** Placeholder. */
@Command(name = "host")
final class HostCommand extends AbstractCommand {
    @Override
    int execute(PrintWriter out, PrintWriter err) {
        return 1;
    }
}

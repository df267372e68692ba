package io.jpair.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** Placeholder. */
@Command(name = "demo")
final class DemoCommand extends AbstractCommand {
    @Override
    int execute(PrintWriter out, PrintWriter err) {
        return 1;
    }
}

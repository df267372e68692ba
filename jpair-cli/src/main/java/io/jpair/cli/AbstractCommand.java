package io.jpair.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every subcommand shares: the output flags, the writers, and the exit-code contract
 * ({@code execute} returns the code; exceptions become one-line errors via {@link ErrorReport}).
 */
abstract class AbstractCommand implements Callable<Integer> {
    @Mixin
    private OutputOptions output;

    @Spec
    private CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        return execute(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /**
     * Runs the command.
     *
     * @param out normal output
     * @param err diagnostics
     * @return the exit code
     * @throws Exception reported by {@link ErrorReport} with exit code 1
     */
    abstract int execute(PrintWriter out, PrintWriter err) throws Exception;

    /**
     * The shared output flags.
     *
     * @return the flags
     */
    OutputOptions output() {
        return output;
    }

    /**
     * The picocli model of this command (for usage errors).
     *
     * @return the spec
     */
    CommandSpec spec() {
        return spec;
    }
}

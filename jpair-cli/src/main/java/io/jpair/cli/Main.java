package io.jpair.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Entry point of the {@code jpair} command.
 *
 * <p>{@link #main} only forwards the exit code of {@link #run}, which tests call in-process with
 * their own writers.
 */
public final class Main {
    private Main() {
    }

    /**
     * Runs the command and exits with its code. Output goes through {@link ProcessOutput}, so no
     * thread (the reactor's included) ever blocks on a pipe or terminal nobody reads.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        ProcessOutput.install();
        int code = run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
        ProcessOutput.drain();
        System.exit(code);
    }

    /**
     * Runs the command with the given output writers.
     *
     * @param out normal output (reports, usage asked for, per-packet lines)
     * @param err diagnostics (errors, usage after a bad flag, progress notes)
     * @param args the command line
     * @return {@code 0} on success, {@code 1} on failure, {@code 2} for a usage error (one line
     *     naming the command's help); a signal ends the JVM with 130 (SIGINT) or 143 (SIGTERM)
     *     instead, once the command has cleaned up
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new JpairCommand())
            .setOut(out)
            .setErr(err)
            .setExecutionExceptionHandler(new ErrorReport())
            .setParameterExceptionHandler(new UsageError())
            .setCaseInsensitiveEnumValuesAllowed(true);
        try {
            return commandLine.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }
}

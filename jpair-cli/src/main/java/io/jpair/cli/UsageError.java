package io.jpair.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Reports a usage error (a bad flag or value, a missing option or command) as one line on stderr,
 * naming the command and where its help is, and exits 2:
 *
 * <pre>
 * jpair host: '10.0.0.300/24' is not a literal address ... (see `jpair help host`)
 * </pre>
 *
 * The whole usage is printed only when asked for ({@code --help}, {@code jpair help CMD}).
 */
final class UsageError implements CommandLine.IParameterExceptionHandler {
    @Override
    public int handleParseException(CommandLine.ParameterException exception, String[] args) {
        CommandLine commandLine = exception.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println(line(commandLine, exception.getMessage()));
        err.flush();
        return CommandLine.ExitCode.USAGE;
    }

    /**
     * The one line for a usage error of a command.
     *
     * @param commandLine the command (or subcommand) whose usage was wrong
     * @param message what was wrong
     * @return e.g. {@code jpair host: MESSAGE (see `jpair help host`)}
     */
    static String line(CommandLine commandLine, String message) {
        String name = commandLine.getCommandSpec().qualifiedName();
        String help = commandLine.getParent() == null ? "jpair help" : "jpair help " + commandLine.getCommandName();
        return name + ": " + message.strip() + " (see `" + help + "`)";
    }
}

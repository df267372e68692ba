package io.jpair.cli;

import io.jpair.errno.ErrnoException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * Turns an exception from a command into one line on stderr and exit code 1: the device, the
 * operation, the errno and its meaning, and what to do ({@link ErrnoException}'s message), or a
 * {@link CommandException}'s message. {@code --verbose} adds the chain of causes and
 * {@code -e/--errors} the stack trace.
 */
final class ErrorReport implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception exception, CommandLine commandLine,
            CommandLine.ParseResult parseResult) {
        OutputOptions output = commandLine.getCommand() instanceof AbstractCommand command
            ? command.output() : new OutputOptions();
        PrintWriter err = commandLine.getErr();
        err.println(commandName(commandLine) + ": " + oneLine(exception));
        if (output.verbose()) {
            for (Throwable cause = exception.getCause(); cause != null; cause = cause.getCause()) {
                err.println("  caused by " + cause);
            }
        }
        if (output.errors()) {
            exception.printStackTrace(err);
        } else if (!expected(exception)) {
            err.println("  (this looks like a bug in jpair: run again with -e for the stack trace)");
        }
        err.flush();
        return CommandLine.ExitCode.SOFTWARE;
    }

    private static String commandName(CommandLine commandLine) {
        return commandLine.getParent() == null ? "jpair" : "jpair " + commandLine.getCommandName();
    }

    /**
     * The one-line description of a failure.
     *
     * @param failure the exception
     * @return a {@link CommandException}'s message (it already says what to do), else the deepest
     *     errno failure's message if there is one, else a readable message
     */
    static String oneLine(Throwable failure) {
        if (failure instanceof CommandException) {
            return failure.getMessage();
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ErrnoException errno) {
                return errno.getMessage();
            }
        }
        if (failure instanceof NoSuchFileException missing) {
            return missing.getFile() + ": no such file or directory";
        }
        if (failure instanceof AccessDeniedException denied) {
            return denied.getFile() + ": permission denied";
        }
        if (failure instanceof FileSystemException fs) {
            return fs.getFile() + ": " + fs.getReason();
        }
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getName()
            : failure instanceof IOException ? message : failure.getClass().getSimpleName() + ": " + message;
    }

    private static boolean expected(Throwable failure) {
        return failure instanceof IOException || failure instanceof CommandException;
    }
}

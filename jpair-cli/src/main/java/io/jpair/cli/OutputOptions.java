package io.jpair.cli;

import picocli.CommandLine.Option;

/**
 * The output flags every subcommand shares (a picocli mixin): by default an error is one line;
 * {@code --verbose} adds the causes and debug logging, {@code -e/--errors} adds stack traces.
 */
public final class OutputOptions {
    /** The SLF4J simple-logger property that sets the default log level. */
    static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

    private boolean verbose;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.", order = 1002)
    private boolean help;

    @Option(names = {"-e", "--errors"}, description = "Print stack traces with errors.", order = 1001)
    private boolean errors;

    /** Both flags off: one-line errors, warnings-only logging. */
    public OutputOptions() {
    }

    /**
     * Whether {@code --verbose} was given.
     *
     * @return true for detailed output
     */
    public boolean verbose() {
        return verbose;
    }

    /**
     * Whether {@code -e/--errors} was given.
     *
     * @return true to print stack traces
     */
    public boolean errors() {
        return errors;
    }

    /**
     * Sets {@code --verbose}; also lowers the library's log level to debug (before any logger exists,
     * since options are parsed before the command runs).
     *
     * @param value true when the flag is given
     */
    @Option(names = {"-v", "--verbose"}, description = "Explain more: error causes, library debug log lines.",
        order = 1000)
    void verbose(boolean value) {
        verbose = value;
        if (value) {
            System.setProperty(LOG_LEVEL_PROPERTY, "debug");
        }
    }
}

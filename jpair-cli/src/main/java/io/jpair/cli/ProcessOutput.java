package io.jpair.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.time.Duration;

/**
 * This process's stdout and stderr, made non-blocking ({@link NonBlockingOutputStream}) for the
 * {@code jpair} command: {@link System#out} and {@link System#err} are replaced, so status lines,
 * per-packet lines and the SLF4J simple logger (which looks {@code System.err} up on every line)
 * never block the thread that writes them, the reactor thread included.
 *
 * <p>{@link Main#main} installs it and drains it before exiting; {@link SignalStop} drains it
 * before a signal ends the JVM.
 */
final class ProcessOutput {
    /** How long the last lines may take to reach a slow reader before the process exits anyway. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(1);

    private static NonBlockingOutputStream out;
    private static NonBlockingOutputStream err;

    private ProcessOutput() {
    }

    /**
     * Replaces {@link System#out} and {@link System#err} with non-blocking ones over file
     * descriptors 1 and 2. Once per process.
     */
    static synchronized void install() {
        if (out != null) {
            return;
        }
        Charset charset = System.out.charset();
        out = new NonBlockingOutputStream(new FileOutputStream(FileDescriptor.out), "stdout",
            NonBlockingOutputStream.DEFAULT_MAX_LINES, NonBlockingOutputStream.DEFAULT_MAX_BYTES);
        err = new NonBlockingOutputStream(new FileOutputStream(FileDescriptor.err), "stderr",
            NonBlockingOutputStream.DEFAULT_MAX_LINES, NonBlockingOutputStream.DEFAULT_MAX_BYTES);
        System.setOut(new PrintStream(out, true, charset));
        System.setErr(new PrintStream(err, true, charset));
    }

    /**
     * Writes what is queued, waiting at most {@link #DRAIN_TIMEOUT} for each stream (a reader
     * that never reads loses the last lines, and the process still exits). Does nothing if not
     * installed.
     */
    static void drain() {
        NonBlockingOutputStream stdout;
        NonBlockingOutputStream stderr;
        synchronized (ProcessOutput.class) {
            stdout = out;
            stderr = err;
        }
        if (stdout != null) {
            System.out.flush();
            System.err.flush();
            stdout.drain(DRAIN_TIMEOUT);
            stderr.drain(DRAIN_TIMEOUT);
        }
    }
}

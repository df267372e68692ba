package io.jpair.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** Runs other programs from tests ({@code tshark}, {@code ping}, {@code socat}), bounded in time. */
final class Commands {
    private Commands() {
    }

    /**
     * Runs a command to completion.
     *
     * @param timeout the bound; the process is killed after it
     * @param command the program and its arguments
     * @return exit code and output
     */
    static Launcher.Result run(Duration timeout, String... command) {
        try {
            return new Launcher.Running(new ProcessBuilder(List.of(command)).start()).await(timeout);
        } catch (IOException e) {
            return new Launcher.Result(-1, "", "cannot run " + String.join(" ", command) + ": " + e.getMessage());
        }
    }

    /**
     * Runs a command with text on its standard input.
     *
     * @param timeout the bound
     * @param input what to write to stdin (then closed)
     * @param command the program and its arguments
     * @return exit code and output
     */
    static Launcher.Result runWithInput(Duration timeout, String input, String... command) {
        try {
            Process process = new ProcessBuilder(List.of(command)).start();
            process.getOutputStream().write(input.getBytes());
            process.getOutputStream().flush();
            return new Launcher.Running(process).await(timeout);
        } catch (IOException e) {
            return new Launcher.Result(-1, "", "cannot run " + String.join(" ", command) + ": " + e.getMessage());
        }
    }
}

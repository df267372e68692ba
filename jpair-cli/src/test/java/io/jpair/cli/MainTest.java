package io.jpair.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The command line in-process: parsing, usage, exit codes, error lines (no device, no root needed). */
class MainTest {
    private record Run(int exitCode, String out, String err) {
    }

    private static Run jpair(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void versionPrintsTheProjectVersionAndExitsZero() {
        Run run = jpair("--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("jpair 0.").contains("Java 25");
    }

    @Test
    void helpListsEverySubcommandAndExitsZero() {
        Run run = jpair("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: jpair", "demo", "host", "capture");
    }

    @Test
    void helpDocumentsEveryExitCode() {
        Run run = jpair("--help");

        assertThat(run.out()).contains("Exit status:", "  0    success", "  1    failure", "  2    bad usage",
            "  130  stopped by Ctrl-C (SIGINT)", "  143  stopped by SIGTERM");
    }

    @Test
    void hostHelpDocumentsEveryExitCode() {
        Run run = jpair("help", "host");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("  0    success", "  1    failure", "  2    bad usage", "  130  stopped by Ctrl-C",
            "  143  stopped by SIGTERM");
    }

    @Test
    void helpBenchListsTheScenarios() {
        Run run = jpair("help", "bench");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("./jpair bench SCENARIO", "drain", "rx", "echo", "tx", "forward", "offload",
            "bench/README.md");
    }

    @Test
    void benchHelpFlagListsTheScenarios() {
        Run run = jpair("bench", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("./jpair bench SCENARIO", "forward", "offload");
    }

    @Test
    void benchWithoutTheLauncherSaysHowToRunIt() {
        Run run = jpair("bench", "rx");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("sudo ./jpair bench SCENARIO").hasLineCount(1);
    }

    @Test
    void subcommandHelpShowsItsOptions() {
        Run run = jpair("host", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--dev", "--address", "--udp-echo", "--stats", "--persist", "--verbose",
            "--errors");
    }

    @Test
    void noCommandIsOneLineListingEveryCommandAndExitsTwo() {
        Run run = jpair();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("jpair: missing command: demo, host, capture, mkdev, tunnel or bench (see `jpair help`)\n");
    }

    @Test
    void unknownOptionIsOneLineNamingTheHelpAndExitsTwo() {
        Run run = jpair("--bogus");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("jpair: Unknown option: '--bogus' (see `jpair help`)\n");
    }

    @Test
    void subcommandUsageErrorIsOneLineNamingItsHelp() {
        Run run = jpair("host", "--dev", "jp0", "--address", "10.0.0.2/24", "--bogus");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("jpair host: Unknown option: '--bogus' (see `jpair help host`)\n");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void unknownSubcommandExitsTwo() {
        Run run = jpair("frobnicate");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unmatched argument", "'frobnicate'");
    }

    @Test
    void missingRequiredOptionIsOneLineAndExitsTwo() {
        Run run = jpair("capture");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("jpair capture: Missing required option: '--dev=NAME' (see `jpair help capture`)\n");
    }

    @Test
    void malformedAddressIsAUsageError() {
        Run run = jpair("host", "--dev", "jp0", "--address", "10.0.0.300/24");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--address", "10.0.0.300/24", "see `jpair help host`").hasLineCount(1);
    }

    @Test
    void nonNumericPortIsAUsageError() {
        Run run = jpair("host", "--dev", "jp0", "--address", "10.0.0.2/24", "--udp-echo", "seven");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("seven");
    }

    @Test
    void portOutOfRangeIsAUsageError() {
        Run run = jpair("host", "--dev", "jp0", "--address", "10.0.0.2/24", "--udp-echo", "70000");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("70000");
    }

    @Test
    void malformedMacIsAUsageError() {
        Run run = jpair("host", "--dev", "jp0", "--tap", "--mac", "02:6a:70", "--address", "10.0.0.2/24");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("'02:6a:70' is not a MAC address");
    }

    @Test
    void macWithoutTapIsAUsageError() {
        Run run = jpair("host", "--dev", "jp0", "--mac", "02:6a:70:00:00:02", "--address", "10.0.0.2/24");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--mac needs --tap");
    }

    @Test
    void offloadOnTapIsAUsageError() {
        Run run = jpair("host", "--dev", "jp0", "--tap", "--offload", "--address", "10.0.0.2/24");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--offload is for TUN devices");
    }

    @Test
    void invalidDeviceNameIsAUsageError() {
        Run run = jpair("capture", "--dev", "much-too-long-name0");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("much-too-long-name0", "see `jpair help capture`").hasLineCount(1);
    }

    @Test
    void captureCountBelowOneIsAUsageError() {
        Run run = jpair("capture", "--dev", "jp0", "-c", "0");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--count must be at least 1");
    }

    @Test
    void demoCountOutOfRangeIsAUsageError() {
        Run run = jpair("demo", "--count", "1000");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--count must be 1..100");
    }

    @Test
    void failureIsOneLineWithoutAStackTrace() {
        Run run = jpair("capture", "--dev", "jpnofile0", "-w", "/nonexistent-dir/x.pcap");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("jpair capture: /nonexistent-dir/x.pcap: no such file or directory");
    }

    @Test
    void errorsFlagAddsTheStackTrace() {
        Run run = jpair("capture", "-e", "--dev", "jpnofile0", "-w", "/nonexistent-dir/x.pcap");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("jpair capture: /nonexistent-dir/x.pcap: no such file or directory")
            .contains("java.nio.file.NoSuchFileException", "\tat ");
    }

    @Test
    void demoRefusesToRunItsChecksInTheCallersNamespace() {
        Run run = jpair("demo", "--in-namespace");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("refusing to run the demo's checks outside a network namespace of their own");
    }
}

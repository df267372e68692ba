package io.jpair.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jpair tunnel} refuses what cannot work before touching any device or socket: bad
 * addresses and MTUs are usage errors (exit 2), an unusable key file is a one-line failure (exit 1).
 */
class TunnelOptionsTest {
    @TempDir
    Path dir;

    private record Run(int exitCode, String out, String err) {
    }

    private static Run tunnel(String... args) {
        String[] line = new String[args.length + 1];
        line[0] = "tunnel";
        System.arraycopy(args, 0, line, 1, args.length);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), line);
        return new Run(code, out.toString(), err.toString());
    }

    private static Run between(String local, String peer, String... more) {
        String[] args = new String[6 + more.length];
        System.arraycopy(new String[] {"--dev", "jtopt0", "--local", local, "--peer", peer}, 0, args, 0, 6);
        System.arraycopy(more, 0, args, 6, more.length);
        return tunnel(args);
    }

    @Test
    void aLocalAddressWithoutAPortIsAUsageError() {
        Run run = between("10.98.1.1", "10.98.1.2:5555");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("jpair tunnel: Invalid value for option '--local': '10.98.1.1' is"
            + " not IP:PORT such as 10.98.1.1:5555 or [fd00::1]:5555 (a literal address, a port 1..65535)"
            + " (see `jpair help tunnel`)\n");
    }

    @Test
    void aNameIsRefusedWithoutAskingDns() {
        assertThat(between("localhost:5555", "10.98.1.2:5555").err()).contains("'localhost:5555' is not IP:PORT");
    }

    @Test
    void anUnbracketedIpv6AddressIsRefused() {
        assertThat(between("fd00::1:5555", "[fd00::2]:5555").err()).contains("'fd00::1:5555' is not IP:PORT");
    }

    @Test
    void portZeroIsRefused() {
        assertThat(between("10.98.1.1:0", "10.98.1.2:5555").err()).contains("'10.98.1.1:0' is not IP:PORT");
    }

    @Test
    void mixedFamiliesAreAUsageError() {
        Run run = between("10.98.1.1:5555", "[fd00::2]:5555");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("must both be IPv4 or both IPv6");
    }

    @Test
    void anMtuOutOfRangeIsAUsageError() {
        Run run = between("10.98.1.1:5555", "10.98.1.2:5555", "--mtu", "40");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--mtu must be 68..65535, not 40");
    }

    @Test
    void aKeyFileOthersMayReadIsRefusedInOneLine() throws IOException {
        Path key = dir.resolve("open.key");
        Files.write(key, new byte[32]);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        Run run = between("10.98.1.1:5555", "10.98.1.2:5555", "--key", key.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("jpair tunnel: key file " + key + " is accessible by other users (rw-r--r--):"
            + " chmod 600 " + key + "\n");
    }

    @Test
    void aMissingKeyFileIsRefusedInOneLine() {
        Path key = dir.resolve("missing.key");

        Run run = between("10.98.1.1:5555", "10.98.1.2:5555", "--key", key.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("jpair tunnel: key file " + key + " does not exist: make one with head -c 32"
            + " /dev/urandom > " + key + "\n");
    }

    @Test
    void theHelpSaysPlainlyThatWithoutAKeyNothingIsEncrypted() {
        Run run = tunnel("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("WITHOUT --key THE TRAFFIC IS NOT ENCRYPTED OR AUTHENTICATED");
    }

    @Test
    void aNegativeWarmUpIsAUsageError() {
        Run run = between("10.98.1.1:5555", "10.98.1.2:5555", "--warm-up", "-1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--warm-up must be 0 or more, not -1");
    }

    @Test
    void theHelpStatesTheCipherWarmUpAsAStartUpCost() {
        Run run = tunnel("--help");

        assertThat(run.out()).contains("Start-up cost with --key").contains("--warm-up=MS");
    }
}

package io.jpair.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Telling the machine's initial network namespace from a private one, and {@code jpair host}
 * refusing the initial one without {@code --here}.
 */
class NetworkNamespaceTest {
    @TempDir
    Path dir;

    private Path link(String name, String target) throws Exception {
        return Files.createSymbolicLink(dir.resolve(name), Path.of(target));
    }

    @Test
    void sameNamespaceAsProcessOneIsTheInitialOne() throws Exception {
        assertThat(NetworkNamespace.of(link("self", "net:[4026531840]"), link("init", "net:[4026531840]")))
            .isEqualTo(NetworkNamespace.INITIAL);
    }

    @Test
    void anotherNamespaceIsPrivate() throws Exception {
        assertThat(NetworkNamespace.of(link("self", "net:[4026532311]"), link("init", "net:[4026531840]")))
            .isEqualTo(NetworkNamespace.PRIVATE);
    }

    @Test
    void unreadableLinkIsUnknown() throws Exception {
        assertThat(NetworkNamespace.of(link("self", "net:[4026532311]"), dir.resolve("no-such-link")))
            .isEqualTo(NetworkNamespace.UNKNOWN);
    }

    @Test
    void thisProcessHasAnAnswer() {
        assertThat(NetworkNamespace.current()).isNotNull();
    }

    private static HostCommand parsedHost(String... args) {
        HostCommand command = new HostCommand();
        CommandLine commandLine = new CommandLine(command);
        commandLine.setErr(new PrintWriter(new StringWriter()));
        commandLine.parseArgs(args);
        return command;
    }

    @Test
    void hostRefusesTheInitialNamespaceWithoutHere() {
        HostCommand command = parsedHost("--dev", "jp0", "--address", "10.0.0.2/24");

        CommandLine.ParameterException refusal = org.junit.jupiter.api.Assertions.assertThrows(
            CommandLine.ParameterException.class, () -> command.refuseTheInitialNamespace(NetworkNamespace.INITIAL));
        assertThat(refusal.getMessage()).isEqualTo("refusing to add jp0 and its addresses to this shell's own network"
            + " namespace: run it in one of its own (sudo ip netns add jpair; sudo ip netns exec jpair ./jpair host"
            + " ...), or add --here to do it here");
    }

    @Test
    void hostRunsInTheInitialNamespaceWithHere() {
        parsedHost("--dev", "jp0", "--address", "10.0.0.2/24", "--here").refuseTheInitialNamespace(NetworkNamespace.INITIAL);
    }

    @Test
    void hostRunsInAPrivateNamespace() {
        parsedHost("--dev", "jp0", "--address", "10.0.0.2/24").refuseTheInitialNamespace(NetworkNamespace.PRIVATE);
    }

    @Test
    void hostRunsWhereItCannotTellAsItCannotChangeAnythingThere() {
        parsedHost("--dev", "jp0", "--address", "10.0.0.2/24").refuseTheInitialNamespace(NetworkNamespace.UNKNOWN);
    }
}

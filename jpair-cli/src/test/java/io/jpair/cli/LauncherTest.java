package io.jpair.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real {@code ./jpair} launcher: JDK lookup, build when stale, flags and exit codes. */
class LauncherTest {
    private static final Duration QUICK = Duration.ofSeconds(60);

    @BeforeAll
    static void build() {
        Launcher.ensureBuilt();
    }

    private static Path jar() {
        return Launcher.path().getParent().resolve("jpair-cli/target/jpair.jar");
    }

    @Test
    void versionRunsWithoutNativeAccessWarnings() {
        Launcher.Result result = Launcher.run(QUICK, "--version");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).startsWith("jpair 0.").contains("Java 25");
        assertThat(result.err()).as("stderr of a fresh, built launcher").isEmpty();
    }

    @Test
    void runsCliOnTheModulePathWithTheSlf4jBindingBoundAsAService() {
        Launcher.Result result = Launcher.run(QUICK, Map.of("JPAIR_JAVA_OPTS", "--show-module-resolution"), "--version");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).as(result.toString())
            .containsPattern("(?m)^root io\\.jpair\\.cli file:.*/jpair\\.jar$")
            .containsPattern("(?m)^io\\.jpair\\.cli requires io\\.jpair\\.core file:.*/lib/jpair-core-[^/]*\\.jar$")
            .containsPattern("(?m)^org\\.slf4j binds org\\.slf4j\\.simple ");
        assertThat(result.err()).as("native access granted to io.jpair.core: no warnings").isEmpty();
    }

    @Test
    void badFlagIsOneLineAndExitsTwo() {
        Launcher.Result result = Launcher.run(QUICK, "host", "--dev", "jp0", "--address", "10.0.0.2/24", "--bogus");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("jpair host: Unknown option: '--bogus' (see `jpair help host`)\n");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void missingSubcommandIsOneLineListingEveryCommandAndExitsTwo() {
        Launcher.Result result = Launcher.run(QUICK);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("jpair: missing command: demo, host, capture, mkdev, tunnel or bench (see `jpair help`)\n");
    }

    @Test
    void benchHelpIsAnsweredByTheCli() {
        Launcher.Result result = Launcher.run(QUICK, "bench", "--help");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("./jpair bench SCENARIO", "drain", "forward", "offload");
    }

    @Test
    void staleJarIsRebuiltQuietlyBeforeRunning() throws Exception {
        Files.setLastModifiedTime(jar(), FileTime.fromMillis(0));

        Launcher.Result result = Launcher.run(Launcher.BUILD_TIMEOUT, "--version");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.err()).as("one note, no Maven log").isEqualTo("jpair: building jpair (first run or changed sources)…\n");
        assertThat(Files.getLastModifiedTime(jar()).toMillis()).isGreaterThan(0);
        assertThat(result.out()).startsWith("jpair 0.");
    }
}

package io.jpair.examples.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's programs cannot drift from the examples the build compiles and the tests run: each
 * README block that names an example file is that file, and every example is quoted.
 */
class ReadmeQuotesTest {
    private static final Path REPOSITORY = Path.of(Objects.requireNonNull(System.getProperty("jpair.repository"),
        "system property jpair.repository (set by the jpair-examples pom) names the repository root"));

    private static List<ReadmeQuote> readmeQuotes() throws IOException {
        return ReadmeQuote.in(Files.readString(REPOSITORY.resolve("README.md")));
    }

    /** The examples: every source file of package io.jpair.examples, main and test (not this harness). */
    private static List<String> examples() throws IOException {
        List<String> examples = new ArrayList<>();
        for (String tree : List.of("src/main/java", "src/test/java")) {
            Path dir = REPOSITORY.resolve("jpair-examples").resolve(tree).resolve("io/jpair/examples");
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(file -> file.toString().endsWith(".java"))
                    .map(file -> REPOSITORY.relativize(file).toString())
                    .sorted()
                    .forEach(examples::add);
            }
        }
        return examples;
    }

    @Test
    void everyReadmeBlockNamingAnExampleIsThatExampleLineForLine() throws IOException {
        List<String> differences = new ArrayList<>();
        for (ReadmeQuote quote : readmeQuotes()) {
            Path file = REPOSITORY.resolve(quote.path());
            String difference = Files.exists(file)
                ? quote.differenceFrom(Files.readString(file))
                : "README.md:" + quote.line() + " names " + quote.path() + ", which does not exist";
            if (difference != null) {
                differences.add(difference);
            }
        }
        assertThat(differences).as("README blocks that differ from their example (copy the file into the block)")
            .isEmpty();
    }

    @Test
    void everyExampleIsQuotedInTheReadme() throws IOException {
        List<String> quoted = readmeQuotes().stream().map(ReadmeQuote::path).toList();
        assertThat(examples()).isNotEmpty().allSatisfy(example -> assertThat(quoted)
            .as("README.md quotes " + example + " in a ```java block starting // " + example)
            .contains(example));
    }

    @Test
    void aQuoteThatMatchesItsFileHasNoDifference() {
        ReadmeQuote quote = ReadmeQuote.in("text\n```java\n// jpair-examples/A.java\nclass A {\n}\n```\n").getFirst();
        assertThat(quote.differenceFrom("class A {\n}\n")).isNull();
    }

    @Test
    void aChangedLineIsReportedWithBothLineNumbers() {
        ReadmeQuote quote = ReadmeQuote.in("text\n```java\n// jpair-examples/A.java\nclass A {\n}\n```\n").getFirst();
        assertThat(quote.differenceFrom("final class A {\n}\n"))
            .isEqualTo("README.md:4 quotes jpair-examples/A.java:1 as \"class A {\" but the file has \"final class A {\"");
    }

    @Test
    void aQuoteMissingTheFilesLastLinesIsReported() {
        ReadmeQuote quote = ReadmeQuote.in("```java\n// jpair-examples/A.java\nclass A {\n```\n").getFirst();
        assertThat(quote.differenceFrom("class A {\n}\n"))
            .isEqualTo("README.md:4 quotes jpair-examples/A.java:2 as (end of block) but the file has \"}\"");
    }

    @Test
    void javaBlocksThatNameNoFileAreNotQuotes() {
        assertThat(ReadmeQuote.in("```java\nTuntapPort port = ...;\n```\n```sh\n// jpair-examples/A.java\n```\n"))
            .isEmpty();
    }
}

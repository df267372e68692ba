package io.jpair;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.tuntap.TuntapPort;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The compiled module descriptor ({@code target/classes/module-info.class}) exports every
 * package of the library except the internal ones: {@code io.jpair.sys} and
 * {@code io.jpair.tuntap.internal}. A new package fails this test until it is exported or
 * declared internal here. The tests run
 * on the class path (see jpair-core/pom.xml), so this reads the descriptor as a file rather than
 * asking the running module.
 */
class ModuleDescriptorTest {
    /** Packages that are public only inside the module. */
    private static final Set<String> INTERNAL = Set.of("io.jpair.sys", "io.jpair.tuntap.internal");

    private static Path classes;
    private static ModuleDescriptor descriptor;

    @BeforeAll
    static void readDescriptor() throws IOException, URISyntaxException {
        classes = Path.of(TuntapPort.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            descriptor = ModuleDescriptor.read(in, ModuleDescriptorTest::packagesWithClasses);
        }
    }

    /** Every package under target/classes that holds a class file (module-info.class aside). */
    private static Set<String> packagesWithClasses() {
        try (Stream<Path> files = Files.walk(classes)) {
            return files.filter(f -> f.toString().endsWith(".class"))
                .map(f -> classes.relativize(f).getParent())
                .filter(p -> p != null)
                .map(p -> p.toString().replace('/', '.'))
                .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> exported() {
        return descriptor.exports().stream().map(ModuleDescriptor.Exports::source)
            .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void moduleIsNamedIoJpairCoreAndRequiresSlf4j() {
        assertThat(descriptor.name()).isEqualTo("io.jpair.core");
        assertThat(descriptor.requires()).extracting(ModuleDescriptor.Requires::name).contains("org.slf4j");
    }

    @Test
    void internalPackagesAreNeitherExportedNorOpenedToAnyone() {
        assertThat(descriptor.packages()).containsAll(INTERNAL);
        assertThat(exported()).doesNotContainAnyElementsOf(INTERNAL);
        assertThat(descriptor.opens()).extracting(ModuleDescriptor.Opens::source).doesNotContainAnyElementsOf(INTERNAL);
        assertThat(descriptor.isOpen()).isFalse();
    }

    @Test
    void everyOtherPackageIsExportedToEveryone() {
        Set<String> expected = new TreeSet<>(descriptor.packages());
        expected.removeAll(INTERNAL);
        assertThat(expected).contains("io.jpair.tuntap", "io.jpair.reactor", "io.jpair.testing");
        assertThat(exported()).isEqualTo(expected);
        assertThat(descriptor.exports()).allSatisfy(e -> assertThat(e.isQualified()).as(e.source()).isFalse());
    }
}

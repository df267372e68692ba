package io.jpair.kernel;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A world-readable copy of this JVM's jpair and SLF4J class path entries, for child JVMs that run
 * as (or drop to) an unprivileged user: the build tree may sit in a directory only root can read
 * (CI clones into a 0700 temporary directory). Close it to delete the copy.
 */
public final class ReadableClasspath implements AutoCloseable {
    private final Path dir;
    private final String classpath;

    private ReadableClasspath(Path dir, String classpath) {
        this.dir = dir;
        this.classpath = classpath;
    }

    /**
     * Copies {@code target/classes}, {@code target/test-classes} and the SLF4J API jar.
     *
     * @return the copy
     */
    public static ReadableClasspath copy() {
        try {
            Path dir = Files.createTempDirectory("jpair-cp", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
            List<String> entries = new ArrayList<>();
            int n = 0;
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                if (entry.contains("slf4j-api") || entry.endsWith("classes") || entry.endsWith("test-classes")) {
                    Path copy = dir.resolve("cp" + n++);
                    Shell.check("cp", "-r", entry, copy.toString());
                    entries.add(copy.toString());
                }
            }
            Shell.check("chmod", "-R", "a+rX", dir.toString());
            return new ReadableClasspath(dir, String.join(File.pathSeparator, entries));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The directory holding the copy (world-readable), for other files a child needs.
     *
     * @return the directory
     */
    public Path dir() {
        return dir;
    }

    /**
     * The class path of the copy.
     *
     * @return entries joined with ':'
     */
    public String classpath() {
        return classpath;
    }

    @Override
    public void close() {
        Shell.run("rm", "-rf", dir.toString());
    }
}

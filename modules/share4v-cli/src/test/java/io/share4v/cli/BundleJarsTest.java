package io.share4v.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundle's jar allow-list over class-path entries as bin/share4v, Maven and IDEs spell them. */
class BundleJarsTest {
    @TempDir
    Path tmp;

    @Test
    void artifactNamesFromJarFileNames() {
        assertEquals("jackson-core", BundleJars.artifactOf(Path.of("lib/jackson-core-2.21.2.jar")));
        assertEquals("jackson-annotations", BundleJars.artifactOf(Path.of("jackson-annotations-2.21.jar")));
        assertEquals("share4v-cli", BundleJars.artifactOf(Path.of("target/share4v-cli-0.1.0-SNAPSHOT.jar")));
        assertEquals("common-image", BundleJars.artifactOf(Path.of("common-image-3.12.0.jar")));
        assertEquals("javacpp", BundleJars.artifactOf(Path.of("javacpp-1.5.11-linux-x86_64.jar")));
        // ND4J's shaded jackson is not Jackson
        assertEquals("jackson", BundleJars.artifactOf(Path.of("jackson-1.0.0-M2.1.jar")));
        assertNull(BundleJars.artifactOf(Path.of("share4v-tensor-0.1.0-SNAPSHOT-tests.jar")));
        assertEquals("share4v-cli", BundleJars.artifactOf(Path.of("share4v-cli.jar")));
    }

    @Test
    void compiledClassesFoldersAreNamedByTheirModule() throws IOException {
        Path classes = Files.createDirectories(tmp.resolve("share4v-data/target/classes"));
        Path testClasses = Files.createDirectories(tmp.resolve("share4v-data/target/test-classes"));
        Path other = Files.createDirectories(tmp.resolve("somewhere/classes"));
        assertEquals("share4v-data", BundleJars.artifactOf(classes));
        assertNull(BundleJars.artifactOf(testClasses));
        assertNull(BundleJars.artifactOf(other));
    }

    @Test
    void selectsTheAllowListFirstEntryWinsAndLeavesTheRestOut() throws IOException {
        List<String> cp = new ArrayList<>();
        for (String a : BundleJars.REQUIRED) {
            cp.add(a + "-1.0.jar");
        }
        cp.add("jackson-core-0.9.jar");
        cp.add("spark-core_2.13-4.1.3.jar");
        cp.add("nd4j-native-1.0.0-M2.1-linux-x86_64.jar");
        cp.add(Files.createDirectories(tmp.resolve("share4v-cli/target/test-classes"))
                .toString());
        BundleJars.Selection s = BundleJars.select(String.join(File.pathSeparator, cp));
        assertEquals(BundleJars.REQUIRED.size(), s.taken().size());
        assertTrue(s.taken().stream().anyMatch(e -> e.jarName().equals("jackson-core-1.0.jar")));
        assertTrue(s.taken().stream().anyMatch(e -> e.artifact().equals("share4v-model")));
        assertEquals(
                List.of(
                        "jackson-core-0.9.jar",
                        "spark-core_2.13-4.1.3.jar",
                        "nd4j-native-1.0.0-M2.1-linux-x86_64.jar",
                        "test-classes"),
                s.leftOut());
    }

    @Test
    void aClassPathWithoutTheRequiredJarsIsAnErrorNamingThem() {
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> BundleJars.select("picocli-4.7.6.jar"));
        assertTrue(e.getMessage().contains("share4v-data") && e.getMessage().contains("jackson-core"), e.getMessage());
    }
}

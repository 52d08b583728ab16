package io.share4v.cli;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which class-path entries go into the runtime bundle: an explicit allow-list by artifact name, so a new dependency
 * (or Spark, Hadoop, Parquet, ND4J and their natives, which the full CLI carries) stays out unless named here. The
 * model runs on the {@code java} backend there: the {@code nd4j} backend's jars are left out with ND4J.
 */
final class BundleJars {
    /** Artifacts the bundled commands cannot run without. */
    static final Set<String> REQUIRED = Set.of(
            "share4v-cli",
            "share4v-common",
            "share4v-data",
            "share4v-model",
            // The tensor seam and the java backend. Until the nd4j backend has its own module this jar also holds
            // its classes; nothing loads them without --backend nd4j, and the ND4J jars themselves stay out.
            "share4v-tensor",
            "jackson-core",
            "jackson-databind",
            "jackson-annotations",
            "jackson-dataformat-yaml",
            "snakeyaml",
            "picocli",
            // TwelveMonkeys ImageIO plugins (JPEG, WebP, BMP) and the libraries they are built on
            "imageio-core",
            "imageio-metadata",
            "imageio-jpeg",
            "imageio-webp",
            "imageio-bmp",
            "common-lang",
            "common-io",
            "common-image",
            // logging: the API the model and the backends log through, and a provider that prints to stderr
            "slf4j-api",
            "slf4j-simple");

    /** The folder beside the cli's classes or jar that holds the jars only the bundle takes ({@code pom.xml}). */
    static final String BUNDLE_ONLY_FOLDER = "bundle-lib";

    /**
     * name-version[-classifier].jar with the version starting with a digit (jackson-core-2.21.2.jar), or name.jar
     * (a packed classes folder, share4v-cli.jar).
     */
    private static final Pattern JAR_NAME = Pattern.compile("(.+?)(?:-\\d[^-]*(?:-.+)?)?\\.jar");

    /** One class-path entry taken into the bundle: a jar, or a module's compiled-classes folder to pack. */
    record Entry(String artifact, Path source) {
        boolean isDirectory() {
            return Files.isDirectory(source);
        }

        /** The file name in the bundle's lib/. */
        String jarName() {
            return isDirectory() ? artifact + ".jar" : source.getFileName().toString();
        }
    }

    /** The entries taken (class-path order, first of each artifact) and the names of those left out. */
    record Selection(List<Entry> taken, List<String> leftOut) {}

    private BundleJars() {}

    /** Picks the bundle's entries from a class path; fails naming any required artifact it lacks. */
    static Selection select(String classPath) {
        Map<String, Entry> taken = new LinkedHashMap<>();
        List<String> leftOut = new ArrayList<>();
        for (String part : classPath.split(File.pathSeparator)) {
            if (part.isBlank()) {
                continue;
            }
            Path p = Path.of(part).toAbsolutePath().normalize();
            String artifact = artifactOf(p);
            boolean allowed = artifact != null && REQUIRED.contains(artifact);
            if (allowed && !taken.containsKey(artifact)) {
                taken.put(artifact, new Entry(artifact, p));
            } else {
                leftOut.add(p.getFileName() == null ? part : p.getFileName().toString());
            }
        }
        Set<String> missing = new TreeSet<>(REQUIRED);
        missing.removeAll(taken.keySet());
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the class path lacks " + String.join(", ", missing)
                    + "; run the bundle command from bin/share4v (or a build of share4v-cli)");
        }
        return new Selection(List.copyOf(taken.values()), List.copyOf(leftOut));
    }

    /**
     * The class path to pick from: this JVM's, then the jars only the bundle takes (its slf4j provider, which the
     * build keeps off bin/share4v's class path) from the folder beside the cli's own classes or jar.
     */
    static String bundleClassPath() throws IOException {
        StringBuilder cp = new StringBuilder(System.getProperty("java.class.path"));
        Path extra = cliLocation().resolveSibling(BUNDLE_ONLY_FOLDER);
        if (Files.isDirectory(extra)) {
            try (Stream<Path> jars = Files.list(extra)) {
                jars.filter(p -> p.toString().endsWith(".jar"))
                        .sorted()
                        .forEach(p -> cp.append(File.pathSeparator).append(p));
            }
        }
        return cp.toString();
    }

    /** target/classes or target/share4v-cli-VERSION.jar: where this class was loaded from. */
    private static Path cliLocation() {
        try {
            return Path.of(BundleJars.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toAbsolutePath()
                    .normalize();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the share4v-cli classes", e);
        }
    }

    /**
     * The artifact name of a class-path entry: from a jar's file name, or for {@code MODULE/target/classes}
     * (tests and IDEs run from the compiled classes) the module folder's name; null for anything else.
     */
    static String artifactOf(Path entry) {
        Path name = entry.getFileName();
        if (name == null) {
            return null;
        }
        Path parent = entry.getParent();
        if (Files.isDirectory(entry)) {
            boolean compiledClasses = name.toString().equals("classes")
                    && parent != null
                    && parent.getFileName() != null
                    && parent.getFileName().toString().equals("target")
                    && parent.getParent() != null
                    && parent.getParent().getFileName() != null;
            return compiledClasses ? parent.getParent().getFileName().toString() : null;
        }
        // A test-jar (share4v-tensor-0.1.0-SNAPSHOT-tests.jar) has the main jar's artifact name but not its classes.
        Matcher m = JAR_NAME.matcher(name.toString());
        return m.matches() && !name.toString().endsWith("-tests.jar") ? m.group(1) : null;
    }
}

package io.share4v.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** The bundle's text files: the {@code share4v} launcher, README.txt and VERSION. */
final class BundleFiles {
    static final String LAUNCHER = "share4v";

    /**
     * POSIX sh, so it runs under {@code env -i} (no PATH, no JAVA_HOME): its folder comes from $0 by parameter
     * expansion (no dirname, which would need PATH). UTF-8 and headless are fixed because an empty environment
     * has no locale (Java 17 would fall back to ASCII) and no display. Log lines (slf4j-simple, on stderr) read
     * "INFO LlavaDirectory - ...", without the thread name.
     */
    private static final String LAUNCHER_SCRIPT = """
            #!/bin/sh
            # share4v runtime bundle: the single-node commands on the Java runtime in runtime/ (see README.txt).
            case "$0" in
              */*) HERE="${0%/*}" ;;
              *) HERE=. ;;
            esac
            exec "$HERE/runtime/bin/java" -Dfile.encoding=UTF-8 -Djava.awt.headless=true \\
              -Dorg.slf4j.simpleLogger.showThreadName=false -Dorg.slf4j.simpleLogger.showShortLogName=true \\
              ${SHARE4V_JAVA_OPTS:--Xmx4g} -cp "$HERE/lib/*" io.share4v.cli.BundleCli "$@"
            """;

    private BundleFiles() {}

    static void writeLauncher(Path dir) throws IOException {
        Path script = dir.resolve(LAUNCHER);
        Files.writeString(script, LAUNCHER_SCRIPT, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    static void writeReadme(Path dir, List<String> commands) throws IOException {
        String text = """
                share4v runtime bundle
                ======================

                The share4v single-node commands with their own Java runtime, for machines without a JDK, Maven
                or network. Copy this folder anywhere and run:

                  ./share4v --help
                  ./share4v COMMAND --help
                  ./share4v tokenize --tokenizer TOKENIZER_DIR --template v1 --input FILE.json
                  ./share4v pixels --image FILE.jpg --aspect pad --out FILE.npy
                  ./share4v generate --model MODEL_DIR --image FILE.jpg --prompt "What is shown?"
                  ./share4v forward --model MODEL_DIR --request REQ.json --out LOGITS.npz

                Commands in this bundle: %s. They take the same flags as bin/share4v.
                The model commands run on the java backend (plain Java, no native library; the default here):
                the nd4j backend's native libraries are not in the bundle. shard needs Spark and stays with the
                full install.

                SHARE4V_JAVA_OPTS replaces the default JVM options (-Xmx4g); SHARE4V_DEBUG=1 prints stack traces.

                Layout: share4v (the launcher, POSIX sh), runtime/ (a Java runtime made with jlink), lib/ (the jars),
                VERSION (what built it). The runtime comes from the JDK that built the bundle: it runs on Linux
                machines of the same architecture; a distribution's JDK (Debian, Ubuntu) links the system's
                libjpeg, liblcms2 and zlib for images, a vendor JDK (e.g. Temurin) carries its own.
                """.formatted(String.join(", ", commands));
        Files.writeString(dir.resolve("README.txt"), text, StandardCharsets.UTF_8);
    }

    static void writeVersion(Path dir, List<String> modules) throws IOException {
        String text = "share4v " + projectVersion() + "\n"
                + "commit " + gitCommit() + "\n"
                + "built " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n"
                + "java " + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vendor")
                + ", " + System.getProperty("java.home") + ")\n"
                + "modules " + String.join(",", modules) + "\n";
        Files.writeString(dir.resolve("VERSION"), text, StandardCharsets.UTF_8);
    }

    /** The Maven project version, filtered into build.properties by the build. */
    static String projectVersion() {
        try (InputStream in = BundleFiles.class.getResourceAsStream("build.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The checkout's commit ("+ local changes" when the tree differs from it), or "unknown" without git. */
    static String gitCommit() {
        try {
            Path home = Share4vHome.find();
            String head = git(home, "rev-parse", "HEAD");
            if (head.isEmpty()) {
                return "unknown";
            }
            return git(home, "status", "--porcelain", "--untracked-files=no").isEmpty()
                    ? head
                    : head + " + local changes";
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    private static String git(Path dir, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroy();
                return "";
            }
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}

package io.share4v.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.spi.ToolProvider;

/**
 * The bundle's Java runtime: the JDK modules the bundled jars use (found by jdeps) linked by jlink from the JDK
 * running this command. Both tools run in this JVM (their {@link ToolProvider}s), so no JDK {@code bin/} on PATH
 * is needed.
 */
final class RuntimeImage {
    private RuntimeImage() {}

    /** The JDK modules the jars reference, as jdeps prints them (e.g. {@code [java.base, java.desktop]}). */
    static List<String> modulesUsedBy(List<Path> jars) {
        List<String> args = new ArrayList<>(
                List.of("--print-module-deps", "--ignore-missing-deps", "--multi-release", String.valueOf(release())));
        jars.forEach(j -> args.add(j.toString()));
        String out = run("jdeps", args);
        // the module list is the last line; jdeps may warn before it
        String[] lines = out.strip().split("\\R");
        String last = lines[lines.length - 1].strip();
        if (!last.matches("[\\w.]+(,[\\w.]+)*")) {
            throw new IllegalStateException("jdeps printed no module list: " + out.strip());
        }
        return Arrays.asList(last.split(","));
    }

    /** Links a runtime with {@code modules} into {@code out} (which must not exist yet). */
    static void link(List<String> modules, Path out) {
        List<String> args = new ArrayList<>();
        Path jmods = Path.of(System.getProperty("java.home"), "jmods");
        if (Files.isDirectory(jmods)) {
            args.addAll(List.of("--module-path", jmods.toString()));
        } else if (release() < 24) {
            // Before Java 24 jlink links only from jmods; Java 24+ JDKs may link from their own runtime image.
            throw new IllegalStateException("the JDK at " + System.getProperty("java.home")
                    + " has no jmods/ folder, which jlink needs (Debian/Ubuntu: apt-get install openjdk-"
                    + release() + "-jmods)");
        }
        args.addAll(List.of(
                "--add-modules",
                String.join(",", modules),
                "--strip-debug",
                "--no-header-files",
                "--no-man-pages",
                "--compress=" + compressLevel(),
                "--output",
                out.toString()));
        run("jlink", args);
    }

    /** jlink's strongest compression: Java 21 renamed level 2 (zip) to zip-0..zip-9 and deprecated the numbers. */
    static String compressLevel() {
        return release() >= 21 ? "zip-6" : "2";
    }

    static int release() {
        return Runtime.version().feature();
    }

    /** Runs a JDK tool in this JVM; its standard output, or an exception with its messages. */
    private static String run(String tool, List<String> args) {
        ToolProvider provider = ToolProvider.findFirst(tool)
                .orElseThrow(() -> new IllegalStateException("this Java (" + System.getProperty("java.home")
                        + ") has no " + tool + ": it is a JRE; run the bundle command with a JDK 17 or newer"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code;
        try (PrintWriter o = new PrintWriter(out);
                PrintWriter e = new PrintWriter(err)) {
            code = provider.run(o, e, args.toArray(String[]::new));
        }
        if (code != 0) {
            throw new IllegalStateException(tool + " failed (exit " + code + "): " + (err.toString() + out).strip());
        }
        return out.toString();
    }
}

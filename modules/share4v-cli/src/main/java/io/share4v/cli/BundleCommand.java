package io.share4v.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code share4v bundle}: writes a folder that runs the single-node commands on a machine with no JDK, Maven or
 * network: {@code share4v} (launcher), {@code runtime/} (jlink), {@code lib/} (only the jars those commands need).
 */
@Command(
        name = "bundle",
        mixinStandardHelpOptions = true,
        description = "Write a self-contained folder (launcher, Java runtime, jars) that runs the single-node "
                + "commands without a JDK, Maven or network; at most 60 MiB.")
public final class BundleCommand implements Callable<Integer> {
    /** The size the bundle promises to stay within, on disk and in all. */
    static final long MAX_BYTES = 60L << 20;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The folder to write.")
    Path out;

    @Option(names = "--overwrite", description = "Replace an existing bundle in --out.")
    boolean overwrite;

    @Override
    public Integer call() throws IOException {
        PrintWriter log = spec.commandLine().getOut();
        Path dir = out.toAbsolutePath().normalize();
        prepare(dir);

        BundleJars.Selection jars = BundleJars.select(BundleJars.bundleClassPath());
        Path lib = Files.createDirectories(dir.resolve("lib"));
        List<Path> copied = new ArrayList<>();
        for (BundleJars.Entry e : jars.taken()) {
            Path target = lib.resolve(e.jarName());
            if (e.isDirectory()) {
                DirectoryJar.pack(e.source(), target);
            } else {
                Files.copy(e.source(), target, StandardCopyOption.REPLACE_EXISTING);
            }
            copied.add(target);
            log.printf(Locale.ROOT, "  lib/%-40s %8s  %s%n", e.jarName(), kib(Files.size(target)), origin(e));
        }
        log.println("  left out " + jars.leftOut().size()
                + " other class-path entries (Spark, Hadoop, Parquet, ND4J, ...)");

        List<String> modules = RuntimeImage.modulesUsedBy(copied);
        log.println("  runtime/: jlink " + String.join(",", modules) + " from " + System.getProperty("java.home"));
        RuntimeImage.link(modules, dir.resolve("runtime"));

        BundleFiles.writeLauncher(dir);
        BundleFiles.writeReadme(dir, BundleCli.commands());
        BundleFiles.writeVersion(dir, modules);

        long runtime = diskUsage(dir.resolve("runtime"));
        long libs = diskUsage(lib);
        long total = diskUsage(dir);
        log.printf(
                Locale.ROOT,
                "wrote %s: %s in all (runtime %s, lib %s); run %s --help%n",
                dir,
                mib(total),
                mib(runtime),
                mib(libs),
                dir.resolve(BundleFiles.LAUNCHER));
        if (total > MAX_BYTES) {
            spec.commandLine()
                    .getErr()
                    .println("share4v bundle: warning: " + mib(total) + " is over the " + mib(MAX_BYTES) + " budget");
        }
        log.flush();
        return 0;
    }

    /** An empty or absent --out is used; an earlier bundle is replaced with --overwrite; anything else is kept. */
    private void prepare(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            Files.createDirectories(dir);
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--out " + dir + " is a file");
        }
        try (Stream<Path> s = Files.list(dir)) {
            if (s.findAny().isEmpty()) {
                return;
            }
        }
        if (!overwrite) {
            throw new IllegalArgumentException(
                    "--out " + dir + " is not empty (--overwrite replaces an earlier bundle)");
        }
        // Only a folder that looks like a bundle is deleted: --overwrite on a wrong path must not wipe it.
        if (!Files.isRegularFile(dir.resolve(BundleFiles.LAUNCHER)) || !Files.isRegularFile(dir.resolve("VERSION"))) {
            throw new IllegalArgumentException("--out " + dir
                    + " is not empty and is not a share4v bundle (no share4v and VERSION); not replacing it");
        }
        deleteContents(dir);
    }

    private static void deleteContents(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(dir)).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /**
     * Bytes on disk under {@code root}: each file and folder rounded up to whole 4 KiB blocks, as {@code du} counts
     * them on common file systems (an upper bound of the plain byte count).
     */
    static long diskUsage(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.mapToLong(p -> {
                        try {
                            long bytes = Files.isDirectory(p) ? 4096 : Files.size(p);
                            return (bytes + 4095) / 4096 * 4096;
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .sum();
        }
    }

    private static String origin(BundleJars.Entry e) {
        return e.isDirectory() ? "(packed from " + e.source() + ")" : "";
    }

    private static String kib(long bytes) {
        return String.format(Locale.ROOT, "%,d KiB", (bytes + 1023) >> 10);
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1 << 20));
    }
}

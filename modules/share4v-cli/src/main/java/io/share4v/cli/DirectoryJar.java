package io.share4v.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** Packs a compiled-classes folder ({@code target/classes}) into a jar, for the bundle's lib/. */
final class DirectoryJar {
    /**
     * One fixed entry time, so packing the same classes twice gives the same bytes: 1980-02-01 UTC, a month after
     * the zip format's earliest date so that no time zone pushes it before that.
     */
    private static final long ENTRY_TIME = 315_532_800_000L + 31L * 24 * 3600 * 1000;

    private DirectoryJar() {}

    static void pack(Path dir, Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Created-By", "share4v bundle");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> !p.equals(dir)).sorted().toList();
        }
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream zip = new JarOutputStream(out, manifest)) {
            for (Path f : files) {
                String name = dir.relativize(f).toString().replace('\\', '/');
                if (name.equalsIgnoreCase("META-INF/MANIFEST.MF") || name.equalsIgnoreCase("META-INF")) {
                    continue; // the manifest above is the jar's
                }
                boolean folder = Files.isDirectory(f);
                JarEntry e = new JarEntry(folder ? name + "/" : name);
                e.setTime(ENTRY_TIME);
                zip.putNextEntry(e);
                if (!folder) {
                    Files.copy(f, zip);
                }
                zip.closeEntry();
            }
        }
    }
}

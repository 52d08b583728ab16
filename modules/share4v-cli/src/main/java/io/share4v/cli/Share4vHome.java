package io.share4v.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout the CLI runs from (bundled sample data, conf/): {@code -Dshare4v.home} (set by bin/share4v), else the nearest ancestor of the working folder holding data-manifests/. */
final class Share4vHome {
    private Share4vHome() {}

    static Path find() {
        String prop = System.getProperty("share4v.home");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("data-manifests/sample"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the share4v checkout (data-manifests/sample); set -Dshare4v.home");
    }
}

package io.share4v.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The one rule of commands that write a folder: a non-empty {@code --out} is replaced only with --overwrite. */
final class OutputDirs {
    private OutputDirs() {}

    /** Throws, naming the folder and the flag, when {@code out} exists with content and {@code overwrite} is off. */
    static void refuseNonEmpty(Path out, boolean overwrite) throws IOException {
        if (Files.isDirectory(out) && !overwrite) {
            try (Stream<Path> s = Files.list(out)) {
                if (s.findAny().isPresent()) {
                    throw new IllegalArgumentException(
                            "--out " + out + " is not empty; pass --overwrite to replace it");
                }
            }
        }
    }
}

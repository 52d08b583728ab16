package io.share4v.eval.job;

import io.share4v.eval.EvalInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The reference's merge of the chunk files ({@code cat ${CHUNKS}_*.jsonl > merge.jsonl}): the part files in chunk
 * order, which is question order. Written to a temporary file and renamed, so the answer file is either the old one
 * or the complete new one.
 */
final class AnswerMerge {
    private AnswerMerge() {}

    /** Merges {@code plan}'s part files under {@code partsDir} into {@code answers}; each must be complete. */
    static void merge(Path partsDir, ChunkPlan plan, Path answers) throws IOException {
        Path parent = answers.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, answers.getFileName().toString(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                for (int c = 0; c < plan.chunks(); c++) {
                    Path part = PartFile.of(partsDir, c);
                    int expected = plan.to(c) - plan.from(c);
                    int lines = Files.exists(part) ? countLines(part) : 0;
                    if (lines != expected) {
                        throw new EvalInputException(part + ": " + lines + " answers for a chunk of " + expected
                                + " questions; re-run to answer the rest");
                    }
                    if (expected > 0) {
                        try (InputStream in = Files.newInputStream(part)) {
                            in.transferTo(out);
                        }
                    }
                }
            }
            Files.move(tmp, answers, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static int countLines(Path file) throws IOException {
        int n = 0;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int r; (r = in.read(buf)) > 0; ) {
                for (int i = 0; i < r; i++) {
                    if (buf[i] == '\n') {
                        n++;
                    }
                }
            }
        }
        return n;
    }
}

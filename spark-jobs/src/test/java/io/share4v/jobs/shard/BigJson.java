package io.share4v.jobs.shard;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Writes a large LLaVA-format JSON array of text-only records (for streaming tests and the benchmark). */
final class BigJson {
    private static final String[] WORDS = ("the a of to and in is it that for on with as was by at this be from or "
                    + "image shows person river mountain city light blue red green small large old new people car street "
                    + "water tree building sky window table dog cat bus train road field flower book child woman man")
            .split(" ");

    private BigJson() {}

    /** @return the number of records written; stops at the first record that takes the file past {@code bytes} */
    static long write(Path file, long bytes, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        long n = 0;
        long written = 0;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("[\n");
            StringBuilder b = new StringBuilder(2048);
            while (written < bytes) {
                b.setLength(0);
                b.append(n == 0 ? "" : ",\n");
                b.append("{\"id\": \"t-").append(n).append("\", \"conversations\": [");
                int turns = 2 * (1 + r.nextInt(2));
                for (int t = 0; t < turns; t++) {
                    b.append(t == 0 ? "" : ", ")
                            .append("{\"from\": \"")
                            .append(t % 2 == 0 ? "human" : "gpt")
                            .append("\", \"value\": \"");
                    int words = t % 2 == 0 ? 8 + r.nextInt(20) : 30 + r.nextInt(80);
                    for (int k = 0; k < words; k++) {
                        b.append(k == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
                    }
                    b.append(t % 2 == 0 ? "?" : ".").append("\"}");
                }
                b.append("]}");
                w.write(b.toString());
                written += b.length();
                n++;
            }
            w.write("\n]\n");
        }
        return n;
    }
}

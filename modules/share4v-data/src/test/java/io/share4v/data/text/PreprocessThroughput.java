package io.share4v.data.text;

import io.share4v.data.record.LlavaRecord;
import io.share4v.data.record.RecordRejectedException;
import io.share4v.data.record.Turn;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Single-threaded throughput of tokenize + mask (v1, image records, about 134 ids each). Not a test: run it by hand and read the number, e.g.
 * <pre>
 * mvn -o -q -pl modules/share4v-data -am test-compile
 * java -cp modules/share4v-data/target/classes:modules/share4v-data/target/test-classes:JACKSON_JARS \
 *     io.share4v.data.text.PreprocessThroughput [tokenizerDir] [seconds]
 * </pre>
 */
public final class PreprocessThroughput {
    private static final String[] WORDS = ("the a of and to in is on with for at by from image photo picture scene "
                    + "man woman child dog cat car bus train street building tree sky water table chair red blue green yellow "
                    + "white black large small two three several standing sitting walking holding wearing looking near behind "
                    + "front left right there this that people group road sign window wall floor grass field room kitchen "
                    + "bathroom plate food pizza umbrella bicycle motorcycle horse giraffe elephant zebra player ball tennis "
                    + "baseball frisbee snow ocean beach boat clock tower light traffic parked several visible appears")
            .split(" ");

    private PreprocessThroughput() {}

    public static void main(String[] args) throws RecordRejectedException {
        Path dir = args.length > 0 ? Path.of(args[0]) : Path.of("data-manifests/sample/tokenizer");
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        LlamaTokenizer tok = LlamaTokenizer.load(dir);
        SamplePreprocessor pre = new SamplePreprocessor(tok, PreprocessConfig.stage2());
        List<LlavaRecord> records = records(new Random(1), 20_000);
        long ids = 0;
        for (LlavaRecord r : records.subList(0, 5_000)) { // warm-up (JIT)
            ids += pre.process(r).inputIds().length;
        }
        System.out.printf("mean ids per record: %.1f%n", ids / 5_000.0);
        long n = 0;
        long tokens = 0;
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < 1_000; i++) {
                tokens += pre.process(records.get((int) (n++ % records.size()))).inputIds().length;
            }
        }
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                "%d records in %.2f s: %.0f records/s, %.0f ids/s (single thread)%n", n, s, n / s, tokens / s);
    }

    /** Image + question + answer records of about 134 ids (31 of them the system prompt). */
    static List<LlavaRecord> records(Random rnd, int count) {
        List<LlavaRecord> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String q = sentence(rnd, 6, 12) + "?";
            StringBuilder a = new StringBuilder();
            while (a.length() < 190 + rnd.nextInt(70)) {
                a.append(sentence(rnd, 6, 16)).append(". ");
            }
            out.add(new LlavaRecord(
                    "bench-" + i,
                    "coco/train2017/" + i + ".jpg",
                    List.of(
                            new Turn("human", rnd.nextBoolean() ? "<image>\n" + q : q + "\n<image>"),
                            new Turn("gpt", a.toString().trim()))));
        }
        return out;
    }

    /**
     * A fifth of the words are random letter strings, so that the tokenizer's word cache sees a long tail of
     * unseen words as in real captions instead of a 150-word vocabulary.
     */
    private static String sentence(Random rnd, int lo, int hi) {
        StringBuilder b = new StringBuilder();
        int n = lo + rnd.nextInt(hi - lo + 1);
        for (int i = 0; i < n; i++) {
            String w = rnd.nextInt(5) == 0 ? pseudoWord(rnd) : WORDS[rnd.nextInt(WORDS.length)];
            b.append(i == 0 ? Character.toUpperCase(w.charAt(0)) + w.substring(1) : " " + w);
        }
        return b.toString();
    }

    private static String pseudoWord(Random rnd) {
        char[] c = new char[3 + rnd.nextInt(7)];
        for (int i = 0; i < c.length; i++) {
            c[i] = (char) ('a' + rnd.nextInt(26));
        }
        return new String(c);
    }
}

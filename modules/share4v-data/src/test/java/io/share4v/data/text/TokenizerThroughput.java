package io.share4v.data.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Single-threaded encode throughput on the fixture texts (not a test; timing is never asserted).
 * Run: {@code java -cp <test+main classpath> io.share4v.data.text.TokenizerThroughput [seconds] [modelDir]}.
 * Prints records/s and tokens/s over all fixture texts and over the LLaVA v1 prompts alone.
 */
public final class TokenizerThroughput {
    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        Path dir = args.length > 1 ? Path.of(args[1]) : TokenizerFixtures.LLAMA2_DIR;
        LlamaTokenizer tok = LlamaTokenizer.load(dir);
        List<String> all = new ArrayList<>();
        List<String> prompts = new ArrayList<>();
        for (JsonNode row : TokenizerFixtureTest.readJsonl("llama2_encode.jsonl")) {
            String text = row.get("text").textValue();
            all.add(text);
            if (text.startsWith("A chat between") && text.contains("ASSISTANT:")) prompts.add(text);
        }
        run("all fixture texts", tok, all, seconds);
        run("LLaVA v1 prompts", tok, prompts, seconds);
    }

    private static void run(String label, LlamaTokenizer tok, List<String> texts, double seconds) {
        long sink = 0;
        for (int warm = 0; warm < 20; warm++) for (String t : texts) sink += tok.encode(t).length;
        long records = 0, tokens = 0;
        long start = System.nanoTime(), deadline = start + (long) (seconds * 1e9);
        while (System.nanoTime() < deadline) {
            for (String t : texts) {
                tokens += tok.encode(t).length;
                records++;
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                "%-20s %6d texts, %.1f tokens/record: %,.0f records/s, %,.0f tokens/s (sink %d)%n",
                label, texts.size(), (double) tokens / records, records / elapsed, tokens / elapsed, sink % 7);
    }
}

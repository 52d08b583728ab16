package io.share4v.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One shared instance used from several threads gives the same ids as single-threaded use. */
class LlamaTokenizerConcurrencyTest {
    @Test
    void sharedInstanceAcrossThreads() throws Exception {
        LlamaTokenizer tok = LlamaTokenizer.load(TokenizerFixtures.LLAMA2_DIR);
        List<JsonNode> rows = TokenizerFixtureTest.readJsonl("llama2_encode.jsonl");
        AtomicInteger wrong = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                final int offset = w;
                futures.add(pool.submit(() -> {
                    for (int rep = 0; rep < 3; rep++) {
                        for (int i = 0; i < rows.size(); i++) {
                            JsonNode row = rows.get((i + offset * 97) % rows.size());
                            int[] expected = TokenizerFixtureTest.ids(row.get("nonlegacy"));
                            if (!Arrays.equals(
                                    expected, tok.encode(row.get("text").textValue()))) wrong.incrementAndGet();
                            if (!row.get("decode_nonlegacy").textValue().equals(tok.decode(expected, false)))
                                wrong.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> f : futures) f.get();
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, wrong.get());
    }
}

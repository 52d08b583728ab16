package io.share4v.model.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.data.Tokens;
import io.share4v.model.GoldenTiny;
import io.share4v.model.llava.Batch;
import io.share4v.model.llava.LlavaModel;
import io.share4v.model.llava.Trainable;
import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backends;
import io.share4v.tensor.testing.CountingBackend;
import io.share4v.tensor.testing.Golden;
import io.share4v.tensor.testing.HostBackends;
import io.share4v.tensor.testing.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The KV-cached generator against the training forward ({@link LlavaModel#forward} over the whole sequence
 * every step) on the golden tiny model: single prompts, a batch of prompts of different spliced lengths in which
 * one sample stops early on EOS, sampling reproducibility, and no allocation per decode step.
 */
class GeneratorTest {
    /** A text prompt whose greedy continuation on the golden model ends with EOS after 16 tokens. */
    static final int[] EOS_PROMPT = {1, 28, 16, 267};

    static Prompt imageAfterBos() {
        return new Prompt(new int[] {1, Tokens.IMAGE_TOKEN_INDEX, 13, 150, 77}, List.of(GoldenTiny.image(2)));
    }

    /** Greedy decoding by re-running the whole-model forward over prompt + new ids at every step (batch 1). */
    static int[] recomputeGreedy(LlavaModel m, Prompt p, int steps, List<double[]> stepLogits) {
        List<Integer> ids = new ArrayList<>();
        for (int id : p.ids()) {
            ids.add(id);
        }
        float[][] px = p.images().toArray(new float[0][]);
        int[] out = new int[steps];
        int n = 0;
        while (n < steps) {
            int[][] batchIds = {ids.stream().mapToInt(Integer::intValue).toArray()};
            Batch b = px.length > 0 ? Batch.of(batchIds, null, px) : Batch.text(batchIds, null);
            LlavaModel.Output o = m.forward(b);
            Tensor logits = o.logits(); // [1, T, V]
            int last = o.plan().splicedLength[0] - 1;
            double[] row = Tensors.doubles(logits.row(0).row(last));
            stepLogits.add(row);
            int tok = TokenSampler.argmax(row, row.length);
            out[n++] = tok;
            ids.add(tok);
            if (tok == m.config().llm().eosTokenId()) {
                break;
            }
        }
        return Arrays.copyOf(out, n);
    }

    @ParameterizedTest
    @CsvSource({
        "image,nd4j,FLOAT",
        "text,nd4j,FLOAT",
        "image,nd4j,DOUBLE",
        "image,java,FLOAT",
        "text,java,FLOAT",
        "image,java,DOUBLE"
    })
    void cachedGreedyEqualsRecomputingTheWholeSequence(String kind, String backendName, DType dt) {
        LlavaModel m = GoldenTiny.model(backendName, dt, 1, 48);
        Prompt p = GoldenTiny.prompt(kind);
        List<double[]> want = new ArrayList<>();
        int[] wantIds = recomputeGreedy(m, p, 20, want);
        List<double[]> got = new ArrayList<>();
        GenerationResult r = new Generator(m, null, 1, 40)
                .generate(List.of(p), GenerationConfig.greedy(20), (s, t, l) -> got.add(l.clone()));
        assertArrayEquals(wantIds, r.sequences().get(0).tokenIds());
        double worst = worstRel(want, got);
        System.out.printf(
                "cache vs recompute %s %s %s: 20 ids equal, logits max rel %.2e%n", kind, backendName, dt, worst);
        assertTrue(worst <= (dt == DType.FLOAT ? 1e-5 : 1e-12), "logits max rel " + worst);
    }

    /**
     * Three prompts of spliced lengths 15, 4 and 13 decode together; every sample equals its own recomputed greedy
     * run, the EOS sample stops at 16 tokens and costs nothing afterwards (decode tokens = sum of each sample's
     * tokens after its first).
     */
    /**
     * Activations sized for the prompts only (the ragged batch's longest spliced prompt is 15 positions) decode the
     * same ids as a generator sized for all 40 positions, in fewer bytes; a longer prompt is refused before any work.
     */
    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void activationsSizedForThePromptsDecodeTheSame(String backendName) {
        LlavaModel m = GoldenTiny.model(backendName, DType.FLOAT, 1, 48);
        List<Prompt> prompts = List.of(GoldenTiny.prompt("image"), Prompt.text(EOS_PROMPT), imageAfterBos());
        Generator all = new Generator(m, null, 3, 40);
        Generator promptsOnly = new Generator(m, null, 3, 40, 15);
        GenerationResult a = all.generate(prompts, GenerationConfig.greedy(24));
        GenerationResult b = promptsOnly.generate(prompts, GenerationConfig.greedy(24));
        for (int i = 0; i < prompts.size(); i++) {
            assertArrayEquals(
                    a.sequences().get(i).tokenIds(), b.sequences().get(i).tokenIds(), "sample " + i);
        }
        assertEquals(all.cacheBytes(), promptsOnly.cacheBytes(), "the KV cache still holds every position");
        assertTrue(promptsOnly.bytes() < all.bytes(), promptsOnly.bytes() + " vs " + all.bytes());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new Generator(m, null, 3, 40, 14).generate(prompts, GenerationConfig.greedy(4)));
        assertTrue(e.getMessage().contains("max prompt length 14"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void raggedBatchEqualsEachPromptRecomputedAlone(String backendName) {
        LlavaModel m = GoldenTiny.model(backendName, DType.FLOAT, 1, 48);
        List<Prompt> prompts = List.of(GoldenTiny.prompt("image"), Prompt.text(EOS_PROMPT), imageAfterBos());
        int steps = 24;
        List<List<double[]>> want = new ArrayList<>();
        List<int[]> wantIds = new ArrayList<>();
        for (Prompt p : prompts) {
            List<double[]> l = new ArrayList<>();
            wantIds.add(recomputeGreedy(m, p, steps, l));
            want.add(l);
        }
        assertEquals(16, wantIds.get(1).length, "the EOS prompt's reference continuation");
        List<List<double[]>> got = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        GenerationResult r = new Generator(m, null, 3, 40)
                .generate(
                        prompts,
                        GenerationConfig.greedy(steps),
                        (s, t, l) -> got.get(s).add(l.clone()));
        double worst = 0;
        long expectedDecode = 0;
        for (int b = 0; b < 3; b++) {
            GeneratedSequence s = r.sequences().get(b);
            assertArrayEquals(wantIds.get(b), s.tokenIds(), "sample " + b);
            worst = Math.max(worst, worstRel(want.get(b), got.get(b)));
            expectedDecode += s.tokenIds().length - 1;
        }
        assertEquals(FinishReason.LENGTH, r.sequences().get(0).finishReason());
        assertEquals(FinishReason.EOS, r.sequences().get(1).finishReason());
        assertEquals(2, r.sequences().get(1).tokenIds()[15]);
        assertEquals(FinishReason.LENGTH, r.sequences().get(2).finishReason());
        assertEquals(expectedDecode, r.decodeTokens(), "a finished sample is not decoded any further");
        System.out.printf("ragged batch %s: ids equal per sample, logits max rel %.2e%n", backendName, worst);
        assertTrue(worst <= 1e-5, "logits max rel " + worst);
    }

    @Test
    void samplingIsReproducibleWithASeedAndANarrowNucleusIsGreedy() {
        LlavaModel m = GoldenTiny.model("nd4j", DType.FLOAT, 1, 48);
        Generator g = new Generator(m, null, 2, 40);
        List<Prompt> prompts = List.of(GoldenTiny.prompt("image"), GoldenTiny.prompt("text"));
        GenerationConfig sample = new GenerationConfig(20, 1.3, 0.95, 50, 11, List.of());
        int[][] a = ids(g.generate(prompts, sample));
        int[][] b = ids(g.generate(prompts, sample));
        int[][] c = ids(g.generate(prompts, new GenerationConfig(20, 1.3, 0.95, 50, 12, List.of())));
        assertArrayEquals(a, b, "same seed, same tokens");
        assertFalse(Arrays.deepEquals(a, c), "another seed draws other tokens");
        int[][] greedy = ids(g.generate(prompts, GenerationConfig.greedy(20)));
        assertFalse(Arrays.deepEquals(a, greedy), "temperature 1.3 sampling is not greedy");
        int[][] nucleus = ids(g.generate(prompts, new GenerationConfig(20, 1.3, 1e-6, 0, 5, List.of())));
        assertArrayEquals(greedy, nucleus, "top_p that keeps one token is argmax");
    }

    /**
     * Every buffer is preallocated: generating 5 or 40 tokens for a ragged text batch allocates no tensor at all
     * (the model runs on a backend that counts every tensor it allocates), so memory does not grow per step.
     */
    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void decodingAllocatesNoTensors(String backendName) {
        CountingBackend counting = new CountingBackend(Backends.create(backendName));
        LlavaModel m = new LlavaModel(GoldenTiny.config(), LlavaModel.Options.of(1, 48, 3, Trainable.none()), counting);
        GoldenTiny.loadWeights(m);
        Generator g = new Generator(m, null, 3, 48);
        long cache = g.cacheBytes();
        List<Prompt> prompts =
                List.of(GoldenTiny.prompt("text"), Prompt.text(new int[] {1, 5, 6}), Prompt.text(new int[] {
                    1, 64, 17, 333, 290, 5, 71, 9, 33
                }));
        g.generate(prompts, GenerationConfig.greedy(5)); // warm-up: views and scratch settle
        for (int steps : new int[] {5, 40}) {
            long before = counting.allocations();
            GenerationResult r = g.generate(prompts, GenerationConfig.greedy(steps));
            long tensors = counting.allocations() - before;
            System.out.printf(
                    "generate %s %d tokens x 3: %d tensors allocated; KV cache %d bytes%n",
                    backendName, steps, tensors, g.cacheBytes());
            assertEquals(0, tensors, steps + " tokens");
            assertTrue(r.decodeTokens() > 0);
        }
        assertEquals(cache, g.cacheBytes());
        assertEquals(2L * 2 * 3 * 48 * 16 * 4, cache, "2 layers x (K, V) x 3 blocks x 48 positions x Hkv*D x 4 bytes");
    }

    @Test
    void callsThatDoNotFitFailBeforeAnyWork() {
        LlavaModel m = GoldenTiny.model("nd4j", DType.FLOAT, 1, 48);
        Generator g = new Generator(m, null, 2, 20);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> g.generate(List.of(GoldenTiny.prompt("image")), GenerationConfig.greedy(7)));
        assertTrue(e.getMessage().contains("spliced length 15 + max_new_tokens 7 - 1 = 21 exceeds"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> g.generate(
                        List.of(Prompt.text(new int[] {1}), Prompt.text(new int[] {1}), Prompt.text(new int[] {1})),
                        GenerationConfig.greedy(2)));
        e = assertThrows(
                IllegalArgumentException.class,
                () -> g.generate(List.of(Prompt.text(new int[] {1, 600})), GenerationConfig.greedy(2)));
        assertTrue(e.getMessage().contains("600"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> g.generate(
                        List.of(Prompt.text(new int[] {1, 5})),
                        GenerationConfig.greedy(2).withStopStrings(List.of("</s>"))));
        assertTrue(e.getMessage().contains("need a tokenizer"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Prompt(new int[] {1, -200}, List.of()));
        assertTrue(e.getMessage().contains("1 image tokens"), e.getMessage());
    }

    private static int[][] ids(GenerationResult r) {
        return r.sequences().stream().map(GeneratedSequence::tokenIds).toArray(int[][]::new);
    }

    private static double worstRel(List<double[]> want, List<double[]> got) {
        assertEquals(want.size(), got.size(), "steps");
        double worst = 0;
        for (int t = 0; t < want.size(); t++) {
            worst = Math.max(
                    worst,
                    Golden.maxRel("step " + t + " logits", got.get(t), want.get(t))
                            .error());
        }
        return worst;
    }
}

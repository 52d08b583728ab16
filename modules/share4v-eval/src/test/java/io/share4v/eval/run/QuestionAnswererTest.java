package io.share4v.eval.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.data.image.AspectMode;
import io.share4v.data.text.LlamaTokenizer;
import io.share4v.eval.EvalInputException;
import io.share4v.model.io.LlavaDirectory;
import io.share4v.model.llava.LlavaModel;
import io.share4v.tensor.DType;
import io.share4v.tensor.backend.Backends;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The batched answerer against each question answered alone (token ids identical) on the tiny random model, with
 * mixed image / text-only questions of different lengths, batch sizes that do not divide the question count, length
 * grouping on and off, inline and background decoding; the image policy reaching the processor; decode errors;
 * no leaked threads; the KV-cache guard.
 */
class QuestionAnswererTest {
    static final int MAX_NEW = 10;

    @TempDir
    static Path tmp;

    static Path images;
    static LlavaDirectory padModel;
    static LlavaDirectory squareModel;
    static List<EvalQuestion> questions;
    static LlamaTokenizer tok;
    static final Map<String, List<int[]>> ALONE = new HashMap<>();

    @BeforeAll
    static void setUp() throws IOException {
        images = tmp.resolve("images");
        questions = AnswererFixture.mixedQuestions(images);
        padModel = AnswererFixture.model(tmp.resolve("pad"), AspectMode.PAD);
        squareModel = AnswererFixture.model(tmp.resolve("square"), AspectMode.SQUARE);
        tok = LlamaTokenizer.load(AnswererFixture.TOKENIZER);
    }

    /** Every question answered alone with images processed as {@code aspect}, cached per backend and aspect. */
    static List<int[]> alone(LlavaDirectory dir, String backend, AspectMode aspect) throws IOException {
        String key = dir.dir() + " " + backend + " " + aspect;
        List<int[]> cached = ALONE.get(key);
        if (cached != null) {
            return cached;
        }
        LlavaModel m = AnswererFixture.referenceModel(dir, backend);
        List<int[]> out = new ArrayList<>();
        for (EvalQuestion q : questions) {
            out.add(AnswererFixture.alone(m, tok, q, images, aspect, MAX_NEW));
        }
        ALONE.put(key, out);
        return out;
    }

    record Answered(List<EvalQuestion> order, List<int[]> ids, AnswerStats stats) {}

    static Answered answer(LlavaDirectory dir, String backend, QuestionAnswerer.Options o, ImagePolicy policy)
            throws IOException {
        List<EvalQuestion> order = new ArrayList<>();
        List<int[]> ids = new ArrayList<>();
        try (QuestionAnswerer a = new QuestionAnswerer(dir, Backends.create(backend), o)) {
            AnswerStats s = a.answer(new RunnerSettings("vicuna_v1", policy, MAX_NEW), questions, images, (q, seq) -> {
                order.add(q);
                ids.add(seq.tokenIds());
                assertNotNull(seq.text());
            });
            return new Answered(order, ids, s);
        }
    }

    @ParameterizedTest(name = "{0} batch {1} decode threads {2} window {3}")
    @CsvSource({
        "nd4j,1,0,1",
        "nd4j,1,2,1",
        "nd4j,2,2,1",
        "nd4j,3,1,1",
        "nd4j,5,2,1",
        "nd4j,2,2,3",
        "nd4j,3,2,2",
        "nd4j,5,3,2",
        "java,1,0,1",
        "java,2,2,1",
        "java,3,2,2",
        "java,5,2,1"
    })
    void batchedAnswersAreTheOnesEachQuestionGetsAlone(String backend, int batch, int threads, int window)
            throws IOException {
        List<int[]> want = alone(padModel, backend, AspectMode.PAD);
        QuestionAnswerer.Options o = new QuestionAnswerer.Options(
                batch, threads, DType.FLOAT, 2, window, QuestionAnswerer.DEFAULT_KV_CACHE_BUDGET_BYTES);
        Answered got = answer(padModel, backend, o, ImagePolicy.MODEL_CONFIG);
        assertEquals(questions, got.order(), "answers reach the sink in question order");
        long tokens = 0;
        for (int q = 0; q < questions.size(); q++) {
            assertArrayEquals(want.get(q), got.ids().get(q), "question " + q);
            tokens += want.get(q).length;
        }
        AnswerStats s = got.stats();
        assertEquals(questions.size(), s.questions());
        assertEquals(tokens, s.newTokens(), "new tokens = the answers' token counts");
        assertTrue(s.prefillNanos() > 0 && s.decodeNanos() >= 0);
        assertTrue(s.prefillNanos() + s.decodeNanos() + s.imageWaitNanos() <= s.wallNanos(), s.toString());
        assertTrue(s.promptPositions() > 0 && s.prefillPositions() >= s.promptPositions(), s.toString());
        if (batch == 1) {
            assertEquals(s.promptPositions(), s.prefillPositions(), "one question per prefill: no padding");
        }
        if (threads == 0) {
            assertTrue(s.imageWaitNanos() > 0, "inline decoding is counted as waiting");
        }
    }

    /**
     * MODEL_CONFIG follows the checkpoint's image_aspect_ratio (pad or square), CENTRE_CROP is square whatever the
     * checkpoint says; the answers equal the ones of images processed that way, and pad and square answers differ
     * on these non-square images (so the comparison can tell them apart).
     */
    @Test
    void theImagePolicyReachesTheProcessor() throws IOException {
        List<int[]> pad = alone(padModel, "nd4j", AspectMode.PAD);
        List<int[]> padModelSquare = alone(padModel, "nd4j", AspectMode.SQUARE);
        assertFalse(same(pad, padModelSquare), "pad and square images give different answers on the tiny model");
        QuestionAnswerer.Options o = QuestionAnswerer.Options.of(3);
        assertTrue(
                same(pad, answer(padModel, "nd4j", o, ImagePolicy.MODEL_CONFIG).ids()), "pad config: pad");
        assertTrue(
                same(
                        padModelSquare,
                        answer(padModel, "nd4j", o, ImagePolicy.CENTRE_CROP).ids()),
                "CENTRE_CROP on a pad checkpoint: square");
        List<int[]> square = alone(squareModel, "nd4j", AspectMode.SQUARE);
        assertTrue(
                same(
                        square,
                        answer(squareModel, "nd4j", o, ImagePolicy.MODEL_CONFIG).ids()),
                "square config: square");
        assertEquals(
                AspectMode.PAD,
                QuestionAnswerer.processor(padModel.config(), ImagePolicy.MODEL_CONFIG)
                        .config()
                        .aspect());
        assertEquals(
                AspectMode.SQUARE,
                QuestionAnswerer.processor(padModel.config(), ImagePolicy.CENTRE_CROP)
                        .config()
                        .aspect());
        assertEquals(
                AspectMode.SQUARE,
                QuestionAnswerer.processor(squareModel.config(), ImagePolicy.MODEL_CONFIG)
                        .config()
                        .aspect());
    }

    private static boolean same(List<int[]> a, List<int[]> b) {
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return a.size() == b.size();
    }

    @Test
    void aMissingImageFailsTheCallNamingItAndNoThreadOutlivesClose() throws IOException {
        List<EvalQuestion> bad = new ArrayList<>(questions);
        bad.set(5, AnswererFixture.imageQuestion(5, "Count.", "missing/nope.png"));
        List<Integer> delivered = new ArrayList<>();
        // question order (no length grouping), so that the batches before the bad image are the first four questions
        QuestionAnswerer a = new QuestionAnswerer(
                padModel,
                Backends.create("nd4j"),
                QuestionAnswerer.Options.of(2).withGroupWindowBatches(1));
        try {
            EvalInputException e = assertThrows(
                    EvalInputException.class,
                    () -> a.answer(
                            RunnerSettings.loader().withMaxNewTokens(MAX_NEW),
                            bad,
                            images,
                            (q, s) -> delivered.add(q.index())));
            assertTrue(
                    e.getMessage().contains(images.resolve("missing/nope.png").toString()), e.getMessage());
            assertTrue(e.getMessage().contains("not found"), e.getMessage());
            assertEquals(List.of(0, 1, 2, 3), delivered, "the batches before the bad image were answered");
            assertTrue(decodeThreads() > 0, "the pool runs while the answerer is open");
            // the answerer stays usable after a failed call
            List<int[]> ids = new ArrayList<>();
            a.answer(
                    RunnerSettings.loader().withMaxNewTokens(MAX_NEW),
                    questions,
                    images,
                    (q, s) -> ids.add(s.tokenIds()));
            assertTrue(same(alone(padModel, "nd4j", AspectMode.PAD), ids));
        } finally {
            a.close();
        }
        assertEquals(0, decodeThreads(), "close() stops every decoding thread");
    }

    private static long decodeThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("share4v-eval-decode-") && t.isAlive())
                .count();
    }

    @Test
    void aQuestionWhoseImageTagsDoNotMatchItsImagesIsRefusedNamingIt() throws IOException {
        List<EvalQuestion> bad =
                List.of(AnswererFixture.question(3, "no tag here", new ImageSource.InFolder("wide.png")));
        try (QuestionAnswerer a =
                new QuestionAnswerer(padModel, Backends.create("nd4j"), QuestionAnswerer.Options.of(1))) {
            EvalInputException e = assertThrows(
                    EvalInputException.class, () -> a.answer(RunnerSettings.loader(), bad, images, (q, s) -> {}));
            assertTrue(
                    e.getMessage().contains("question 3 {\"question_id\":3}: its message has 0 <image> tags"),
                    e.getMessage());
        }
    }

    /** The generator grows only when a call needs more positions, and a batch size whose cache exceeds the budget is refused. */
    @Test
    void theGeneratorIsSizedOnceAndTheKvCacheIsGuarded() throws IOException {
        try (QuestionAnswerer a =
                new QuestionAnswerer(padModel, Backends.create("nd4j"), QuestionAnswerer.Options.of(3))) {
            a.answer(RunnerSettings.loader().withMaxNewTokens(MAX_NEW), questions, images, (q, s) -> {});
            var g = a.currentGenerator();
            assertEquals(3, g.maxBatch());
            a.answer(RunnerSettings.loader().withMaxNewTokens(4), questions, images, (q, s) -> {});
            assertTrue(g == a.currentGenerator(), "a call that fits reuses the generator");
            a.answer(RunnerSettings.loader().withMaxNewTokens(40), questions, images, (q, s) -> {});
            assertTrue(a.currentGenerator().maxLength() > g.maxLength(), "a longer budget grows it");
        }
        // tiny model: 2 layers x kv_dim 16 x 4 bytes = 256 bytes per position and sample
        long oneSample = KvCacheBudget.bytes(padModel.config().llm(), 1, 100, 4);
        assertEquals(2L * 2 * 100 * 16 * 4, oneSample);
        QuestionAnswerer.Options tight = QuestionAnswerer.Options.of(5).withKvCacheBudget(2 * oneSample);
        try (QuestionAnswerer a = new QuestionAnswerer(padModel, Backends.create("nd4j"), tight)) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> a.answer(RunnerSettings.loader().withMaxNewTokens(90), questions, images, (q, s) -> {}));
            assertTrue(e.getMessage().startsWith("eval.batch_size 5 needs a KV cache of"), e.getMessage());
            assertTrue(e.getMessage().contains("2 x 2 layers x 5 samples x"), e.getMessage());
            assertTrue(e.getMessage().contains("max_new_tokens 90 - 1"), e.getMessage());
            assertTrue(e.getMessage().contains("batch size <= "), e.getMessage());
        }
    }

    @Test
    void optionsAreValidatedNamingTheKey() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new QuestionAnswerer.Options(0, 2, DType.FLOAT));
        assertTrue(e.getMessage().contains("eval.batch_size"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new QuestionAnswerer.Options(1, -1, DType.FLOAT));
        assertTrue(e.getMessage().contains("eval.decode_threads"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> QuestionAnswerer.Options.of(2).withGroupWindowBatches(0));
        assertTrue(e.getMessage().contains("eval.group_window_batches"), e.getMessage());
    }

    @Test
    void noQuestionsNoWork() throws IOException {
        try (QuestionAnswerer a =
                new QuestionAnswerer(padModel, Backends.create("nd4j"), QuestionAnswerer.Options.of(2))) {
            assertEquals(AnswerStats.NONE, a.answer(RunnerSettings.loader(), List.of(), images, (q, s) -> {
                throw new AssertionError("no answer expected");
            }));
            assertEquals(null, a.currentGenerator());
        }
    }
}

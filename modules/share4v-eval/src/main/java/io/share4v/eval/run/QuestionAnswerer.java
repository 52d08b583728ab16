package io.share4v.eval.run;

import static io.share4v.common.config.ConfigChecks.inRange;
import static io.share4v.common.config.ConfigChecks.positive;

import io.share4v.data.Tokens;
import io.share4v.data.image.AspectMode;
import io.share4v.data.image.ClipImageProcessor;
import io.share4v.data.image.ImageDecoder;
import io.share4v.data.text.ConversationTemplate;
import io.share4v.data.text.ConversationTemplates;
import io.share4v.data.text.ImagePromptTokenizer;
import io.share4v.data.text.LlamaTokenizer;
import io.share4v.eval.EvalInputException;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.generate.GenerationConfig;
import io.share4v.model.generate.GenerationResult;
import io.share4v.model.generate.Generator;
import io.share4v.model.generate.Prompt;
import io.share4v.model.io.LlavaDirectory;
import io.share4v.model.llava.LlavaModel;
import io.share4v.tensor.DType;
import io.share4v.tensor.backend.Backend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Answers benchmark questions with one loaded checkpoint: each question's prompt is built as the reference's
 * runner builds it (the runner's conversation template around {@link EvalQuestion#message}, {@code
 * tokenizer_image_token}, the image per the runner's {@link ImagePolicy}), decoded greedily with the template's stop
 * string, and handed to the sink in question order.
 *
 * <p>Pipeline of one {@link #answer} call: every prompt is tokenized first (cheap next to generation), which gives
 * the spliced lengths; a {@link BatchSchedule} cuts the questions into batches of {@code batchSize} (optionally
 * grouped by length within a window); an {@link ImagePipeline} decodes and preprocesses the images of the next
 * {@code aheadBatches} batches on {@code decodeThreads} background threads while the {@link Generator} runs the
 * current batch (ragged prompts, per-sample positions, finished samples leave the batch, so every answer is the one
 * the question gets alone); {@link OrderedAnswers} passes answers to the sink in question order.
 *
 * <p>The generator is sized for {@code min(batchSize, questions)} samples of the longest spliced prompt +
 * max_new_tokens - 1 positions and kept across calls; it is re-allocated only when a call needs more, after its KV
 * cache is checked against {@code kvCacheBudgetBytes} ({@link KvCacheBudget}).
 *
 * <p>The model is loaded once, at construction (one per task / GPU). Not thread-safe; {@link #close} stops the
 * decoding threads.
 */
public final class QuestionAnswerer implements AutoCloseable {
    /** Default KV-cache budget: batch 8 of a 7B model at 1024 new tokens in float32 (13.5 GiB for 700-position prompts) fits. */
    public static final long DEFAULT_KV_CACHE_BUDGET_BYTES = 16L << 30;

    /**
     * Default length-grouping window. Grouping pays where text-only and image questions mix (ScienceQA: 2,224 of
     * 4,241 questions have no image; batched with image questions they would pad to 576 more positions); where every
     * question has one image the spliced lengths differ only by the question text and grouping changes little
     * (docs/benchmarks.md, "Evaluation: batched answering"). Cost: an answer reaches the sink up to one window
     * later.
     */
    public static final int DEFAULT_GROUP_WINDOW_BATCHES = 4;

    /**
     * @param batchSize          questions decoded together
     * @param decodeThreads      image decoding threads; 0 = decode on the generation thread when a batch is needed
     *                           (the reference's way)
     * @param dtype              the model's compute type
     * @param aheadBatches       batches whose images are decoded ahead of the one generating (memory: (ahead + 1)
     *                           x batchSize preprocessed images, 1.35 MB each at 336 px)
     * @param groupWindowBatches batches per length-grouping window; 1 = question order (see {@link BatchSchedule})
     * @param kvCacheBudget      bytes the generator's KV cache may take
     */
    public record Options(
            int batchSize,
            int decodeThreads,
            DType dtype,
            int aheadBatches,
            int groupWindowBatches,
            long kvCacheBudget) {
        public Options {
            positive("eval.batch_size", batchSize);
            inRange("eval.decode_threads", decodeThreads, 0, 256);
            if (dtype == null) {
                throw new IllegalArgumentException("eval dtype is null");
            }
            inRange("eval.decode_ahead_batches", aheadBatches, 1, 64);
            positive("eval.group_window_batches", groupWindowBatches);
            positive("eval.kv_cache_budget_bytes", kvCacheBudget);
        }

        /**
         * Two batches decoded ahead, length grouping over {@value #DEFAULT_GROUP_WINDOW_BATCHES} batches, the default
         * KV-cache budget.
         */
        public Options(int batchSize, int decodeThreads, DType dtype) {
            this(batchSize, decodeThreads, dtype, 2, DEFAULT_GROUP_WINDOW_BATCHES, DEFAULT_KV_CACHE_BUDGET_BYTES);
        }

        public static Options of(int batchSize) {
            return new Options(batchSize, 2, DType.FLOAT);
        }

        public Options withGroupWindowBatches(int windowBatches) {
            return new Options(batchSize, decodeThreads, dtype, aheadBatches, windowBatches, kvCacheBudget);
        }

        public Options withKvCacheBudget(long bytes) {
            return new Options(batchSize, decodeThreads, dtype, aheadBatches, groupWindowBatches, bytes);
        }
    }

    private static final String THREAD_PREFIX = "share4v-eval-decode-";

    private final LlavaDirectory dir;
    private final LlavaConfig config;
    private final LlamaTokenizer tokenizer;
    private final LlavaModel model;
    private final Options options;
    private final KvCacheBudget budget;
    private final ImageDecoder decoder = new ImageDecoder();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final ExecutorService pool;
    private Generator generator;

    public QuestionAnswerer(LlavaDirectory dir, Backend backend, Options options) throws IOException {
        if (!dir.hasTokenizer()) {
            throw new IllegalArgumentException(
                    "model directory " + dir.dir() + " has no tokenizer.model; the runners build prompts from text");
        }
        this.dir = dir;
        this.config = dir.config();
        this.options = options;
        this.budget = new KvCacheBudget(options.kvCacheBudget());
        this.tokenizer = LlamaTokenizer.load(dir.dir());
        this.model = dir.load(Generator.modelOptions(options.batchSize(), options.dtype()), backend);
        this.pool = options.decodeThreads() == 0
                ? null
                : Executors.newFixedThreadPool(options.decodeThreads(), daemonThreads());
    }

    /** Daemon threads, remembered so that {@link #close} can wait until each has ended. */
    private ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, THREAD_PREFIX + n.incrementAndGet());
            t.setDaemon(true);
            threads.add(t);
            return t;
        };
    }

    public LlavaDirectory directory() {
        return dir;
    }

    public Options options() {
        return options;
    }

    /**
     * Answers {@code questions} (in order) with {@code settings} (the runner's, possibly with another token budget),
     * images resolved under {@code imageFolder}. A question whose image cannot be decoded fails the call with an
     * {@link EvalInputException} naming the image; the answers of the questions before it have reached the sink.
     */
    public AnswerStats answer(RunnerSettings settings, List<EvalQuestion> questions, Path imageFolder, AnswerSink sink)
            throws IOException {
        long start = System.nanoTime();
        int n = questions.size();
        if (n == 0) {
            return AnswerStats.NONE;
        }
        ConversationTemplate conv = ConversationTemplates.get(settings.convMode());
        GenerationConfig gc =
                GenerationConfig.greedy(settings.maxNewTokens()).withStopStrings(List.of(conv.stopString()));
        ClipImageProcessor processor = processor(config, settings.imagePolicy());
        int[][] ids = new int[n][];
        int[] lengths = new int[n];
        boolean[] hasImage = new boolean[n];
        int longest = 0;
        for (int q = 0; q < n; q++) {
            ids[q] = promptIds(conv, questions.get(q));
            hasImage[q] = questions.get(q).hasImage();
            lengths[q] = ids[q].length + (hasImage[q] ? config.imageTokens() - 1 : 0);
            longest = Math.max(longest, lengths[q]);
        }
        BatchSchedule schedule = BatchSchedule.plan(lengths, options.batchSize(), options.groupWindowBatches());
        Generator g = generator(Math.min(options.batchSize(), n), longest, settings.maxNewTokens());
        OrderedAnswers answers = new OrderedAnswers(questions, sink);
        long prefill = 0;
        long decode = 0;
        long imageWait;
        ImagePipeline.Decode decodeImage =
                q -> processor.preprocess(questions.get(q).image().decode(decoder, imageFolder));
        try (ImagePipeline images = new ImagePipeline(schedule, hasImage, decodeImage, pool, options.aheadBatches())) {
            for (int k = 0; k < schedule.size(); k++) {
                int[] batch = schedule.batch(k);
                List<float[]> pixels = images.take(k);
                List<Prompt> prompts = new ArrayList<>(batch.length);
                for (int i = 0; i < batch.length; i++) {
                    float[] px = pixels.get(i);
                    prompts.add(px == null ? Prompt.text(ids[batch[i]]) : new Prompt(ids[batch[i]], List.of(px)));
                }
                GenerationResult r = g.generate(prompts, gc);
                prefill += r.prefillNanos();
                decode += r.decodeNanos();
                for (int i = 0; i < batch.length; i++) {
                    answers.accept(batch[i], r.sequences().get(i));
                }
            }
            imageWait = images.waitNanos();
        }
        if (answers.delivered() != n) {
            throw new IllegalStateException(answers.delivered() + " of " + n + " answers reached the sink");
        }
        long promptPositions = 0;
        for (int length : lengths) {
            promptPositions += length;
        }
        return new AnswerStats(
                n,
                answers.newTokens(),
                System.nanoTime() - start,
                prefill,
                decode,
                imageWait,
                promptPositions,
                schedule.paddedPrefillPositions(lengths));
    }

    /** The prompt's ids; a question must carry exactly as many images as its message has {@code <image>} tags. */
    private int[] promptIds(ConversationTemplate conv, EvalQuestion q) {
        int[] ids = ImagePromptTokenizer.encode(tokenizer, promptText(conv, q));
        int tags = 0;
        for (int id : ids) {
            tags += id == Tokens.IMAGE_TOKEN_INDEX ? 1 : 0;
        }
        if (tags != (q.hasImage() ? 1 : 0)) {
            throw new EvalInputException("question " + q.index() + " " + q.identity() + ": its message has " + tags
                    + " " + Tokens.IMAGE_TOKEN + " tags but the question has " + (q.hasImage() ? "an" : "no")
                    + " image (expected exactly one tag per image)");
        }
        return ids;
    }

    /**
     * The prompt text {@code q} is asked with under {@code convMode}: the template's system text, {@code "USER: "} +
     * the message, then {@code " ASSISTANT:"} (for the two-separator templates).
     */
    public static String promptText(String convMode, EvalQuestion q) {
        return promptText(ConversationTemplates.get(convMode), q);
    }

    private static String promptText(ConversationTemplate conv, EvalQuestion q) {
        return conv.append(conv.userRole(), q.message())
                .append(conv.assistantRole(), null)
                .prompt();
    }

    /**
     * The CLIP processor a runner's images go through: {@code process_images} follows the checkpoint's
     * {@code image_aspect_ratio} (pad or square); {@code image_processor.preprocess} alone is square (centre crop).
     */
    static ClipImageProcessor processor(LlavaConfig config, ImagePolicy policy) {
        AspectMode aspect = policy == ImagePolicy.CENTRE_CROP ? AspectMode.SQUARE : config.imageAspectRatio();
        return new ClipImageProcessor(ClipImageProcessor.Config.clip336(aspect)
                .withSize(config.vision().imageSize()));
    }

    /**
     * The generator for {@code batch} samples of prompts up to {@code longestPrompt} spliced positions, grown (the
     * old one released first) when the current one is smaller in any dimension. Its activations are sized for the
     * prompts ({@code batch × longestPrompt} rows), its KV cache for prompts + new tokens.
     */
    private Generator generator(int batch, int longestPrompt, int maxNewTokens) {
        int length = Math.max(2, longestPrompt + maxNewTokens - 1);
        int prompt = longestPrompt;
        if (generator != null
                && generator.maxBatch() >= batch
                && generator.maxLength() >= length
                && generator.maxPrompt() >= prompt) {
            return generator;
        }
        if (generator != null) {
            batch = Math.max(batch, generator.maxBatch());
            length = Math.max(length, generator.maxLength());
            prompt = Math.max(prompt, generator.maxPrompt());
        }
        budget.check(
                config.llm(),
                batch,
                length,
                options.dtype().bytes(),
                "longest spliced prompt " + longestPrompt + " + max_new_tokens " + maxNewTokens + " - 1");
        generator = null;
        generator = new Generator(model, tokenizer, batch, length, Math.min(prompt, length));
        return generator;
    }

    /** Positions and samples the current generator holds (tests, logs); null before the first call. */
    Generator currentGenerator() {
        return generator;
    }

    /**
     * Stops the decoding threads and waits until every one has ended (a running decode finishes first), then drops
     * the generator.
     */
    @Override
    public void close() {
        generator = null;
        if (pool == null) {
            return;
        }
        pool.shutdownNow();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (Thread t : threads) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                if (t.isAlive()) {
                    throw new IllegalStateException(
                            "image decoding thread " + t.getName() + " did not stop within 30 s");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

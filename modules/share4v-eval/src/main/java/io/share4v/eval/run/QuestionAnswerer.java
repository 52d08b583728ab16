package io.share4v.eval.run;

import static io.share4v.common.config.ConfigChecks.positive;

import io.share4v.data.image.AspectMode;
import io.share4v.data.image.ClipImageProcessor;
import io.share4v.data.image.ImageDecoder;
import io.share4v.data.text.ConversationTemplate;
import io.share4v.data.text.ConversationTemplates;
import io.share4v.data.text.ImagePromptTokenizer;
import io.share4v.data.text.LlamaTokenizer;
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

/**
 * Answers benchmark questions with one loaded checkpoint: each question's prompt is built as the reference's
 * runner builds it (the runner's conversation template around {@link EvalQuestion#message}, {@code
 * tokenizer_image_token}, the image per the runner's {@link ImagePolicy}), decoded greedily with the template's stop
 * string, and handed to the sink in question order. Questions go through the {@link Generator} {@code batchSize} at a
 * time (ragged prompts; every answer is the one the question gets alone).
 *
 * <p>The model is loaded once, at construction (one per task / GPU). Not thread-safe.
 */
public final class QuestionAnswerer implements AutoCloseable {
    /** @param batchSize questions decoded together; @param decodeThreads image decoding threads */
    public record Options(int batchSize, int decodeThreads, DType dtype) {
        public Options {
            positive("eval.batch_size", batchSize);
            positive("eval.decode_threads", decodeThreads);
            if (dtype == null) {
                throw new IllegalArgumentException("eval dtype is null");
            }
        }

        public static Options of(int batchSize) {
            return new Options(batchSize, 2, DType.FLOAT);
        }
    }

    private final LlavaDirectory dir;
    private final LlavaConfig config;
    private final LlamaTokenizer tokenizer;
    private final LlavaModel model;
    private final Options options;
    private final ImageDecoder decoder = new ImageDecoder();
    private Generator generator;

    public QuestionAnswerer(LlavaDirectory dir, Backend backend, Options options) throws IOException {
        if (!dir.hasTokenizer()) {
            throw new IllegalArgumentException(
                    "model directory " + dir.dir() + " has no tokenizer.model; the runners build prompts from text");
        }
        this.dir = dir;
        this.config = dir.config();
        this.options = options;
        this.tokenizer = LlamaTokenizer.load(dir.dir());
        this.model = dir.load(Generator.modelOptions(options.batchSize(), options.dtype()), backend);
    }

    public LlavaDirectory directory() {
        return dir;
    }

    /**
     * Answers {@code questions} (in order) with {@code settings} (the runner's, possibly with another token budget),
     * images resolved under {@code imageFolder}.
     */
    public AnswerStats answer(RunnerSettings settings, List<EvalQuestion> questions, Path imageFolder, AnswerSink sink)
            throws IOException {
        long start = System.nanoTime();
        ConversationTemplate conv = ConversationTemplates.get(settings.convMode());
        GenerationConfig gc =
                GenerationConfig.greedy(settings.maxNewTokens()).withStopStrings(List.of(conv.stopString()));
        ClipImageProcessor processor = processor(settings.imagePolicy());
        long tokens = 0;
        long prefill = 0;
        long decode = 0;
        for (int from = 0; from < questions.size(); from += options.batchSize()) {
            List<EvalQuestion> batch = questions.subList(from, Math.min(questions.size(), from + options.batchSize()));
            List<Prompt> prompts = new ArrayList<>(batch.size());
            int longest = 0;
            for (EvalQuestion q : batch) {
                Prompt p = prompt(conv, q, processor, imageFolder);
                prompts.add(p);
                longest = Math.max(longest, splicedLength(p));
            }
            GenerationResult r =
                    generator(longest + settings.maxNewTokens() - 1).generate(prompts, gc);
            prefill += r.prefillNanos();
            decode += r.decodeNanos();
            for (int i = 0; i < batch.size(); i++) {
                tokens += r.sequences().get(i).tokenIds().length;
                sink.accept(batch.get(i), r.sequences().get(i));
            }
        }
        return new AnswerStats(questions.size(), tokens, System.nanoTime() - start, prefill, decode, 0);
    }

    private Prompt prompt(ConversationTemplate conv, EvalQuestion q, ClipImageProcessor processor, Path imageFolder) {
        int[] ids = ImagePromptTokenizer.encode(tokenizer, promptText(conv, q));
        if (!q.hasImage()) {
            return Prompt.text(ids);
        }
        return new Prompt(ids, List.of(processor.preprocess(q.image().decode(decoder, imageFolder))));
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

    private int splicedLength(Prompt p) {
        return p.ids().length + p.images().size() * (config.imageTokens() - 1);
    }

    private ClipImageProcessor processor(ImagePolicy policy) {
        AspectMode aspect = policy == ImagePolicy.CENTRE_CROP ? AspectMode.SQUARE : config.imageAspectRatio();
        return new ClipImageProcessor(ClipImageProcessor.Config.clip336(aspect)
                .withSize(config.vision().imageSize()));
    }

    /** The generator, grown (re-allocated) when a batch needs more positions than it has. */
    private Generator generator(int maxLength) {
        if (generator == null || generator.maxLength() < maxLength) {
            generator = new Generator(model, tokenizer, options.batchSize(), Math.max(2, maxLength));
        }
        return generator;
    }

    @Override
    public void close() {
        generator = null;
    }
}

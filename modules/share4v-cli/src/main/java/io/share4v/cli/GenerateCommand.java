package io.share4v.cli;

import io.share4v.data.Tokens;
import io.share4v.data.image.ClipImageProcessor;
import io.share4v.data.image.ImageDecoder;
import io.share4v.data.image.RgbImage;
import io.share4v.data.record.RecordRejectedException;
import io.share4v.data.text.ConversationTemplate;
import io.share4v.data.text.ConversationTemplates;
import io.share4v.data.text.ImagePromptTokenizer;
import io.share4v.data.text.LlamaTokenizer;
import io.share4v.model.config.ClipVisionConfig;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.generate.GeneratedSequence;
import io.share4v.model.generate.GenerationConfig;
import io.share4v.model.generate.GenerationResult;
import io.share4v.model.generate.Generator;
import io.share4v.model.generate.Prompt;
import io.share4v.model.llava.LlavaModel;
import io.share4v.tensor.DType;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code share4v generate}: answers one prompt with a ShareGPT4V / LLaVA-1.5 checkpoint, as the eval scripts do
 * ({@code model_vqa_loader}: template {@code vicuna_v1}, user message {@code "<image>\n" + prompt},
 * {@code tokenizer_image_token}, the image processed per the model's {@code image_aspect_ratio}, greedy unless
 * a temperature is given, answer decoded from the new ids and post-processed). With {@code --request} it
 * continues given token ids and preprocessed images instead (no tokenizer needed).
 *
 * <p>Output: the answer text (when the model directory has a tokenizer), then with {@code --print-ids} the new
 * token ids (EOS included when generated, as HF's output has it) as a JSON list on the last line. Without a
 * tokenizer the ids are printed in any case. Timing and the finish reason go to stderr.
 */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = "Generate an answer with a ShareGPT4V/LLaVA checkpoint (KV-cached decoding; greedy by default).")
public final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelRunOptions modelRun;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @ArgGroup(exclusive = false)
        Chat chat;

        @Option(
                names = "--request",
                required = true,
                paramLabel = "REQ.json",
                description = "{\"input_ids\": [[...]], \"images\": [\"a.npy\", ...]}: one prompt's ids (with -200 per "
                        + "image) and one [3,H,W] float32 .npy per -200 (paths relative to the file); labels ignored.")
        Path request;
    }

    static final class Chat {
        @Option(names = "--image", required = true, paramLabel = "FILE", description = "Image file.")
        Path image;

        @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "The question.")
        String prompt;

        @Option(
                names = "--conv-mode",
                defaultValue = "vicuna_v1",
                paramLabel = "NAME",
                description = "Conversation template (default: ${DEFAULT-VALUE}).")
        String convMode;
    }

    @Option(
            names = "--max-new-tokens",
            defaultValue = "128",
            paramLabel = "N",
            description = "Maximum new tokens (default: ${DEFAULT-VALUE}, as model_vqa_loader).")
    int maxNewTokens;

    @Option(
            names = "--temperature",
            defaultValue = "0",
            paramLabel = "T",
            description = "0 = greedy (default: ${DEFAULT-VALUE}); > 0 samples.")
    double temperature;

    @Option(
            names = "--top-p",
            defaultValue = "1.0",
            paramLabel = "P",
            description = "Nucleus sampling mass when sampling (default: ${DEFAULT-VALUE} = off).")
    double topP;

    @Option(
            names = "--top-k",
            defaultValue = "50",
            paramLabel = "K",
            description = "Top-k when sampling; HF's GenerationConfig default (default: ${DEFAULT-VALUE}; 0 = off).")
    int topK;

    @Option(
            names = "--seed",
            defaultValue = "0",
            paramLabel = "N",
            description = "Sampling seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--print-ids", description = "Print the new token ids as a JSON list on the last line.")
    boolean printIds;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ModelDir dir = modelRun.open();
        Path modelDir = dir.dir();
        LlavaConfig cfg = dir.config();
        LlamaTokenizer tok = Files.exists(modelDir.resolve("tokenizer.model")) ? LlamaTokenizer.load(modelDir) : null;
        Prompt prompt;
        List<String> stops = List.of();
        if (input.chat != null) {
            if (tok == null) {
                throw new IllegalArgumentException(
                        "model directory " + modelDir + " has no tokenizer.model; --image/--prompt"
                                + " needs it to build the prompt (use --request with token ids instead)");
            }
            ConversationTemplate conv = ConversationTemplates.get(input.chat.convMode);
            stops = List.of(conv.stopString());
            conv = conv.append(conv.userRole(), Tokens.IMAGE_TOKEN + "\n" + input.chat.prompt)
                    .append(conv.assistantRole(), null);
            int[] ids = ImagePromptTokenizer.encode(tok, conv.prompt());
            prompt = new Prompt(ids, List.of(pixels(input.chat.image, cfg)));
        } else {
            prompt = readRequest(input.request, cfg);
        }
        GenerationConfig gc = new GenerationConfig(maxNewTokens, temperature, topP, topK, seed, stops);
        LlavaModel model =
                dir.load(Generator.modelOptions(prompt.images().size(), DType.FLOAT), modelRun.createBackend());
        int spliced = prompt.ids().length + prompt.images().size() * (cfg.imageTokens() - 1);
        Generator gen = new Generator(model, tok, 1, spliced + maxNewTokens, spliced);
        GenerationResult r = gen.generate(List.of(prompt), gc);
        GeneratedSequence s = r.sequences().get(0);
        if (s.text() != null) {
            out.println(s.text());
        } else {
            err.println("no tokenizer.model in " + modelDir + ": printing token ids only");
        }
        err.printf(
                "finish %s, %d new tokens, prefill %.1f ms, decode %.1f tokens/s%n",
                s.finishReason(), s.tokenIds().length, r.prefillMillis(), r.decodeTokensPerSecond());
        if (printIds || s.text() == null) {
            out.println(Arrays.stream(s.tokenIds())
                    .mapToObj(Integer::toString)
                    .collect(Collectors.joining(", ", "[", "]")));
        }
        out.flush();
        return 0;
    }

    /** The image as the model's processor makes it: {@code image_aspect_ratio}, size = the tower's image size. */
    private static float[] pixels(Path file, LlavaConfig cfg) {
        ClipImageProcessor p = new ClipImageProcessor(ClipImageProcessor.Config.clip336(cfg.imageAspectRatio())
                .withSize(cfg.vision().imageSize()));
        try {
            RgbImage rgb = new ImageDecoder().decode(file);
            return p.preprocess(rgb);
        } catch (RecordRejectedException e) {
            throw new IllegalArgumentException("image " + file + ": " + e.reason() + ": " + e.detail(), e);
        }
    }

    /** One prompt from the request file shared with {@code forward} (labels, if any, are ignored). */
    private static Prompt readRequest(Path file, LlavaConfig cfg) throws IOException {
        ModelRequest req = ModelRequest.readIgnoringLabels(file);
        if (req.inputIds().length != 1) {
            throw new IllegalArgumentException("request " + file + ": \"input_ids\" must be [[id, ...]] with one "
                    + "non-empty row (generate continues one prompt), got " + req.inputIds().length + " rows");
        }
        ClipVisionConfig vc = cfg.vision();
        float[][] images = req.loadImages(vc.numChannels(), vc.imageSize());
        try {
            return new Prompt(req.inputIds()[0], List.of(images));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("request " + file + ": " + e.getMessage(), e);
        }
    }
}

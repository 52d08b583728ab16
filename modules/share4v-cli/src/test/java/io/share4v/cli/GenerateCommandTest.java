package io.share4v.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.backend.nd4j.Nd4jRuntime;
import io.share4v.data.image.AspectMode;
import io.share4v.data.image.ClipImageProcessor;
import io.share4v.data.image.ImageDecoder;
import io.share4v.data.text.ImagePromptTokenizer;
import io.share4v.data.text.LlamaTokenizer;
import io.share4v.model.config.ClipVisionConfig;
import io.share4v.model.config.LlamaConfig;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.config.ProjectorConfig;
import io.share4v.model.generate.GeneratedSequence;
import io.share4v.model.generate.GenerationConfig;
import io.share4v.model.generate.Generator;
import io.share4v.model.generate.Prompt;
import io.share4v.model.io.CheckpointLoader;
import io.share4v.model.io.CheckpointWriter;
import io.share4v.model.io.HfConfigReader;
import io.share4v.model.llava.LlavaModel;
import io.share4v.tensor.DType;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backends;
import io.share4v.tensor.testing.Golden;
import io.share4v.tensor.testing.Tensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code share4v generate}: the {@code --request} path on the golden tiny checkpoint reproduces PyTorch's greedy
 * ids; the {@code --image/--prompt} path on a tiny random model with the real LLaMA-2 tokenizer builds the
 * vicuna_v1 prompt, preprocesses the image per {@code image_aspect_ratio} and equals calling the Generator on
 * the expected ids and pixels.
 */
class GenerateCommandTest {
    static final Golden GOLDEN = GoldenModel.FIXTURES;
    static final Path GOLDEN_MODEL = GoldenModel.CHECKPOINT;

    @TempDir
    Path tmp;

    private static int[] lastLineIds(CliRun run) {
        List<String> lines = run.lines();
        String last = lines.get(lines.size() - 1).trim();
        assertTrue(last.startsWith("[") && last.endsWith("]"), "last line is a JSON list: " + last);
        String body = last.substring(1, last.length() - 1).trim();
        return body.isEmpty()
                ? new int[0]
                : Arrays.stream(body.split(","))
                        .mapToInt(s -> Integer.parseInt(s.trim()))
                        .toArray();
    }

    @Test
    void requestOnTheGoldenCheckpointPrintsTheReferenceGreedyIds() throws Exception {
        // the image prompt uses images[0]
        GoldenModel.writeImage(0, tmp.resolve("img0.npy"));
        for (String kind : new String[] {"image", "text"}) {
            int[] prompt = GOLDEN.ints("generate/" + kind + "_prompt_ids.npy");
            Path req = tmp.resolve(kind + ".json");
            Files.writeString(
                    req,
                    "{\"input_ids\": [" + Arrays.toString(prompt) + "], \"images\": "
                            + (kind.equals("image") ? "[\"img0.npy\"]" : "[]") + ", \"labels\": [[-100]]}");
            CliRun run = CliRun.of(
                    "generate",
                    "--model",
                    GOLDEN_MODEL.toString(),
                    "--request",
                    req.toString(),
                    "--max-new-tokens",
                    "8",
                    "--print-ids");
            assertEquals(0, run.exit(), run.err());
            assertArrayEquals(GOLDEN.ints("generate/" + kind + "_fp32_ids.npy"), lastLineIds(run), kind);
            assertTrue(run.err().contains("finish LENGTH, 8 new tokens"), run.err());
            assertTrue(run.err().contains("no tokenizer.model"), run.err());
        }
    }

    @Test
    void threadsSetsTheBlasPoolWithoutChangingTheIds() throws Exception {
        int[] prompt = GOLDEN.ints("generate/text_prompt_ids.npy");
        Path req = tmp.resolve("text.json");
        Files.writeString(req, "{\"input_ids\": [" + Arrays.toString(prompt) + "], \"images\": []}");
        int before = Nd4jRuntime.get().blasThreads();
        try {
            CliRun run = CliRun.of(
                    "generate",
                    "--model",
                    GOLDEN_MODEL.toString(),
                    "--request",
                    req.toString(),
                    "--max-new-tokens",
                    "8",
                    "--print-ids",
                    "--threads",
                    "1",
                    "--backend",
                    "nd4j");
            assertEquals(0, run.exit(), run.err());
            assertEquals(1, Nd4jRuntime.get().blasThreads());
            assertArrayEquals(GOLDEN.ints("generate/text_fp32_ids.npy"), lastLineIds(run));
            run = CliRun.of(
                    "generate", "--model", GOLDEN_MODEL.toString(), "--request", req.toString(), "--threads", "0");
            assertTrue(run.exit() != 0, "--threads 0 must fail");
            assertTrue(run.err().contains("thread counts must be >= 1"), run.err());
        } finally {
            Nd4jRuntime.configure(before, 1);
        }
    }

    @Test
    void requestErrorsNameTheFileAndTheProblem() throws Exception {
        Path req = tmp.resolve("bad.json");
        Files.writeString(req, "{\"input_ids\": [[1, 23, -200, 5]], \"images\": []}");
        CliRun run = CliRun.of("generate", "--model", GOLDEN_MODEL.toString(), "--request", req.toString());
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("bad.json") && run.err().contains("1 image tokens"), run.err());
        Files.writeString(req, "{\"input_ids\": [[1, 2], [1, 3]]}");
        run = CliRun.of("generate", "--model", GOLDEN_MODEL.toString(), "--request", req.toString());
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("one non-empty row"), run.err());
        Path img = tmp.resolve("ok.jpg");
        Files.copy(CliRun.DATA_TEST.resolve("images/jpeg_444_333x250.jpg"), img);
        run = CliRun.of("generate", "--model", GOLDEN_MODEL.toString(), "--image", img.toString(), "--prompt", "Hi?");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("has no tokenizer.model"), run.err());
        run = CliRun.of(
                "generate",
                "--model",
                GOLDEN_MODEL.toString(),
                "--request",
                req.toString(),
                "--image",
                img.toString(),
                "--prompt",
                "Hi?");
        assertEquals(2, run.exit(), "--request and --image/--prompt are exclusive");
    }

    /** A random ShareGPT4V with the real vocabulary (32000, hidden 16) and the golden tiny tower, written as HF dirs. */
    private Path tinyModelWithTokenizer() throws Exception {
        LlamaConfig llm = LlamaConfig.builder()
                .vocabSize(32000)
                .hiddenSize(16)
                .intermediateSize(32)
                .numLayers(2)
                .numHeads(2)
                .numKvHeads(1)
                .rmsNormEps(1e-5)
                .maxPositionEmbeddings(256)
                .padTokenId(0)
                .build();
        ClipVisionConfig vision = ClipVisionConfig.builder()
                .hiddenSize(32)
                .intermediateSize(64)
                .numLayers(3)
                .numHeads(4)
                .imageSize(42)
                .patchSize(14)
                .build();
        LlavaConfig cfg = LlavaConfig.builder()
                .llm(llm)
                .vision(vision)
                .projector(ProjectorConfig.of("mlp2x_gelu", 32, 16))
                .visionTower("tower")
                .build();
        ParamLayout layout = LlavaModel.layout(cfg);
        float[] w = new float[(int) layout.totalSize()];
        Random r = new Random(5);
        for (ParamLayout.Entry e : layout.entries()) {
            boolean gain = e.shape().length == 1
                    && e.name().contains("norm")
                    && e.name().endsWith("weight");
            for (long i = e.offset(); i < e.offset() + e.size(); i++) {
                w[(int) i] = (float) (gain ? 1.0 + 0.1 * r.nextGaussian() : 0.3 * r.nextGaussian());
            }
        }
        Tensor flat = Tensors.of(Tensors.java(), w, w.length);
        Path dir = tmp.resolve("tiny-share4v");
        CheckpointWriter.write(
                dir,
                cfg,
                layout,
                Tensors.java(),
                flat,
                new CheckpointWriter.Options(
                        CheckpointWriter.DEFAULT_MAX_SHARD_BYTES,
                        io.share4v.model.io.DType.F32,
                        CliRun.TOKENIZER,
                        "tower"));
        return dir;
    }

    @Test
    void imageAndPromptBuildTheVicunaPromptAndMatchTheGenerator() throws Exception {
        Path dir = tinyModelWithTokenizer();
        Path tower = dir.resolve("tower");
        Path img = CliRun.DATA_TEST.resolve("images/jpeg_444_333x250.jpg");
        CliRun run = CliRun.of(
                "generate",
                "--model",
                dir.toString(),
                "--vision-tower",
                tower.toString(),
                "--image",
                img.toString(),
                "--prompt",
                "What is shown?",
                "--max-new-tokens",
                "6",
                "--print-ids");
        assertEquals(0, run.exit(), run.err());
        int[] ids = lastLineIds(run);
        assertEquals(2, run.lines().size(), "answer line + ids line: " + run.out());

        // the same call by hand: vicuna_v1 prompt text, tokenizer_image_token, expand2square + CLIP at size 42
        LlamaTokenizer tok = LlamaTokenizer.load(dir);
        String prompt = "A chat between a curious user and an artificial intelligence assistant. The assistant gives"
                + " helpful, detailed, and polite answers to the user's questions. USER: <image>\nWhat is shown? ASSISTANT:";
        int[] promptIds = ImagePromptTokenizer.encode(tok, prompt);
        float[] px = new ClipImageProcessor(
                        ClipImageProcessor.Config.clip336(AspectMode.PAD).withSize(42))
                .preprocess(new ImageDecoder().decode(img));
        LlavaConfig cfg = HfConfigReader.readLlava(dir, tower);
        LlavaModel m = new LlavaModel(
                cfg,
                Generator.modelOptions(1, DType.FLOAT),
                Backends.create(System.getProperty(Backends.PROPERTY, Backends.DEFAULT)));
        CheckpointLoader.load(dir, tower, m.layout(), m.backend(), m.params());
        GeneratedSequence want = new Generator(m, tok, 1, 200)
                .generate(
                        List.of(new Prompt(promptIds, List.of(px))),
                        GenerationConfig.greedy(6).withStopStrings(List.of("</s>")))
                .sequences()
                .get(0);
        assertArrayEquals(want.tokenIds(), ids);
        assertEquals(want.text(), run.lines().get(0));
        assertTrue(ids.length >= 1 && ids.length <= 6);
        System.out.println(
                "generate --image/--prompt: " + run.lines() + " / " + run.err().trim());
    }

    @Test
    void aModelWithOnlyTokenizerModelLoadsWithTheConstructorDefaults() throws Exception {
        // As from_pretrained does: no tokenizer_config.json means LlamaTokenizer's 4.31 defaults, not an error.
        Path dir = tinyModelWithTokenizer();
        String[] args = {
            "generate",
            "--model",
            dir.toString(),
            "--vision-tower",
            dir.resolve("tower").toString(),
            "--image",
            CliRun.DATA_TEST.resolve("images/jpeg_444_333x250.jpg").toString(),
            "--prompt",
            "What is shown?",
            "--max-new-tokens",
            "4",
            "--print-ids"
        };
        CliRun withConfig = CliRun.of(args);
        assertEquals(0, withConfig.exit(), withConfig.err());
        Files.delete(dir.resolve("tokenizer_config.json"));
        Files.deleteIfExists(dir.resolve("special_tokens_map.json"));
        CliRun bare = CliRun.of(args);
        assertEquals(0, bare.exit(), bare.err());
        // This prompt has no text right after a special token, so legacy (the only setting that differs here) does
        // not change its ids.
        assertArrayEquals(lastLineIds(withConfig), lastLineIds(bare));
    }
}

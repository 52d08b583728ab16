package io.share4v.train.bench;

import io.share4v.data.Tokens;
import io.share4v.data.shard.ShardRow;
import io.share4v.data.shard.ShardSchema;
import io.share4v.data.text.LlamaTokenizer;
import io.share4v.tensor.backend.Backends;
import io.share4v.train.config.Stage;
import io.share4v.train.data.TestShards;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * The benchmark's inputs, made once and kept under the work directory: the random {@link BenchModel} (with the
 * bundled sample's LLaMA-2 tokenizer, vocabulary 32000) and shards of image rows for the stage. Each is written
 * into a temporary directory and renamed when complete, so an interrupted run never leaves half an input behind.
 *
 * <p>A row is one sample image (JPEG bytes of the bundled sample photos, decoded and preprocessed by the data
 * loader as in training) and {@code [BOS, <image>, textLen random ids]}. Stage 1 rows (template plain, square
 * images) supervise every text id; stage 2 rows (v1, padded images) mask the first half of the text, as the v1
 * template masks the instruction.
 */
record BenchInputs(Path model, Path tower, Path shards) {
    static final long MODEL_SEED = 20240611L;
    private static final long ROW_SEED = 7L;
    private static final List<String> IMAGES = List.of(
            "coco/train2017/000000000009.jpg",
            "coco/train2017/000000000025.jpg",
            "coco/train2017/000000000030.jpg",
            "coco/train2017/000000000042.jpg",
            "sam/images/sa_1010.jpg");

    /** The inputs {@code options} need, made when missing. */
    static BenchInputs prepare(BenchOptions options) throws IOException {
        Path tokenizer = tokenizer(options.repo());
        Path model = modelDir(options);
        if (!Files.exists(model.resolve("config.json"))) {
            Path tmp = fresh(model.resolveSibling(model.getFileName() + ".tmp"));
            options.model().write(tmp, tokenizer, MODEL_SEED, Backends.create("java"));
            Files.move(tmp, model);
        }
        Path shards = shardsDir(options);
        if (!Files.exists(shards.resolve(ShardSchema.MANIFEST_FILE))) {
            Path tmp = fresh(shards.resolveSibling(shards.getFileName() + ".tmp"));
            writeShards(tmp, options, tokenizer);
            Files.move(tmp, shards);
        }
        return new BenchInputs(model, model.resolve("vision_tower"), shards);
    }

    /** The cached inputs' paths (as {@link #prepare} made them). */
    static BenchInputs of(BenchOptions options) {
        Path model = modelDir(options);
        return new BenchInputs(model, model.resolve("vision_tower"), shardsDir(options));
    }

    static Path tokenizer(Path repo) {
        return repo.resolve("data-manifests/sample/tokenizer");
    }

    private static Path modelDir(BenchOptions options) {
        return options.workDir().resolve("model-" + options.model().configName());
    }

    private static Path shardsDir(BenchOptions options) {
        return options.workDir()
                .resolve("shards-" + options.model().configName() + "-" + template(options.stage()) + "-t"
                        + options.textLen() + "-r" + options.rows());
    }

    static String template(Stage stage) {
        return stage == Stage.PRETRAIN ? "plain" : "v1";
    }

    static String aspect(Stage stage) {
        return stage == Stage.PRETRAIN ? "square" : "pad";
    }

    private static void writeShards(Path dir, BenchOptions options, Path tokenizer) throws IOException {
        Stage stage = options.stage();
        TestShards.Facts facts = new TestShards.Facts(
                template(stage),
                aspect(stage),
                LlamaTokenizer.load(tokenizer).fingerprint(),
                "shuffle",
                1,
                1,
                "bytes",
                2048);
        Path images = options.repo().resolve("data-manifests/sample/images");
        Random random = new Random(ROW_SEED);
        List<ShardRow> rows = new ArrayList<>();
        for (int i = 0; i < options.rows(); i++) {
            String path = IMAGES.get(i % IMAGES.size());
            byte[] bytes = Files.readAllBytes(images.resolve(path));
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            int len = 2 + options.textLen();
            int supervisedFrom = stage == Stage.PRETRAIN ? 2 : 2 + options.textLen() / 2;
            int[] ids = new int[len];
            int[] labels = new int[len];
            ids[0] = 1;
            ids[1] = Tokens.IMAGE_TOKEN_INDEX;
            for (int t = 2; t < len; t++) {
                ids[t] = 3 + random.nextInt(32000 - 3);
            }
            for (int t = 0; t < len; t++) {
                labels[t] = t < supervisedFrom ? Tokens.IGNORE_INDEX : ids[t];
            }
            rows.add(new ShardRow(
                    "bench-" + i,
                    "bench",
                    i,
                    i,
                    facts.template(),
                    facts.aspect(),
                    ids,
                    labels,
                    len - 1 + options.model().imageTokens(),
                    true,
                    bytes,
                    path,
                    image.getWidth(),
                    image.getHeight(),
                    false));
        }
        int half = rows.size() / 2;
        TestShards.write(dir, rows, new int[] {half, rows.size() - half}, 16, facts);
    }

    /** {@code dir}, emptied (a leftover of an interrupted run is removed). */
    private static Path fresh(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        return Files.createDirectories(dir);
    }

    /** Deletes {@code dir} and everything in it, when it exists (a configuration's previous output). */
    static void delete(Path dir) throws IOException {
        if (Files.exists(dir)) {
            fresh(dir);
            Files.delete(dir);
        }
    }
}

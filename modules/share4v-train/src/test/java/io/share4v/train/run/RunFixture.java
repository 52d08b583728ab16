package io.share4v.train.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.data.text.LlamaTokenizer;
import io.share4v.model.clip.ClipLayout;
import io.share4v.model.io.DType;
import io.share4v.model.io.SafetensorsWriter;
import io.share4v.model.llava.LlavaLayout;
import io.share4v.model.llava.TinyLlava;
import io.share4v.model.projector.ProjectorLayout;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.testing.Tensors;
import io.share4v.train.collective.LocalCluster;
import io.share4v.train.collective.TcpRingCollective;
import io.share4v.train.config.TrainConfig;
import io.share4v.train.data.TestShards;
import io.share4v.train.metrics.RunProgress;
import io.share4v.train.metrics.RunReporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import org.apache.hadoop.conf.Configuration;

/**
 * The tiny world of the run tests: the tiny random ShareGPT4V for the bundled sample tokenizer, shards of both
 * stages written without Spark, configs from {@code conf/tiny-*.yaml}, and 2 ranks over loopback.
 */
final class RunFixture {
    static final Path TOKENIZER =
            Path.of("../../data-manifests/sample/tokenizer").toAbsolutePath().normalize();
    static final Backend BACKEND = Tensors.java();
    static final int WORLD = 2;

    private RunFixture() {}

    static String fingerprint() {
        return LlamaTokenizer.load(TOKENIZER).fingerprint();
    }

    /** The tiny random model directory (LLM + projector, {@code vision_tower/}) of seed 1. */
    static Path tinyModel(Path dir) throws IOException {
        TinyLlava.write(dir, TOKENIZER, LlamaTokenizer.load(TOKENIZER).vocabSize(), 1, BACKEND);
        return dir;
    }

    /** Its parameters as one flat buffer, in the layout's order. */
    static float[] tinyModelParams() {
        var config = TinyLlava.config(LlamaTokenizer.load(TOKENIZER).vocabSize());
        ParamLayout layout = LlavaLayout.of(config);
        Tensor flat = layout.allocate(BACKEND, io.share4v.tensor.DType.FLOAT);
        TinyLlava.randomInit(layout, BACKEND, flat, 1);
        return Tensors.floats(flat);
    }

    /**
     * Stage 1's three sources cut from the tiny model: a plain LLaMA directory (llama config, LLM tensors,
     * tokenizer), the model's tower directory and {@code mm_projector.safetensors} with the projector's tensors.
     *
     * @return the LLM directory; the projector file is {@code dir/mm_projector.safetensors}
     */
    static Path stage1Sources(Path dir, Path tinyModel) throws IOException {
        var config = TinyLlava.config(LlamaTokenizer.load(TOKENIZER).vocabSize());
        ParamLayout layout = LlavaLayout.of(config);
        Tensor flat = layout.allocate(BACKEND, io.share4v.tensor.DType.FLOAT);
        TinyLlava.randomInit(layout, BACKEND, flat, 1);
        Path llm = Files.createDirectories(dir.resolve("vicuna"));
        write(
                llm.resolve("model.safetensors"),
                layout,
                flat,
                n -> !ClipLayout.isVision(n) && !n.startsWith(ProjectorLayout.PREFIX));
        write(dir.resolve("mm_projector.safetensors"), layout, flat, n -> n.startsWith(ProjectorLayout.PREFIX));
        ObjectMapper json = new ObjectMapper();
        ObjectNode c =
                (ObjectNode) json.readTree(tinyModel.resolve("config.json").toFile());
        for (Iterator<String> it = c.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (k.startsWith("mm_") || k.equals("image_aspect_ratio")) {
                it.remove();
            }
        }
        c.put("model_type", "llama");
        c.putArray("architectures").add("LlamaForCausalLM");
        json.writeValue(llm.resolve("config.json").toFile(), c);
        for (String f : List.of("tokenizer.model", "tokenizer_config.json")) {
            Files.copy(TOKENIZER.resolve(f), llm.resolve(f));
        }
        return llm;
    }

    private static void write(Path file, ParamLayout layout, Tensor flat, Predicate<String> select) throws IOException {
        List<SafetensorsWriter.Item> items = new ArrayList<>();
        for (ParamLayout.Entry e : layout.entries()) {
            if (select.test(e.name())) {
                items.add(new SafetensorsWriter.Item(e.name(), e));
            }
        }
        SafetensorsWriter.write(file, items, BACKEND, flat, DType.F32);
    }

    /** Shards of {@code rows} rows for stage 2 (v1, pad, grouped for 2 workers x 2) or stage 1 (plain, square). */
    static Path shards(Path dir, int rows, boolean stage2) throws IOException {
        TestShards.Facts facts = stage2
                ? new TestShards.Facts("v1", "pad", fingerprint(), "group_by_modality_length", WORLD, 2, "bytes", 2048)
                : new TestShards.Facts("plain", "square", fingerprint(), "shuffle", 1, 1, "bytes", 2048);
        return TestShards.write(dir, TestShards.rows(rows, facts), new int[] {rows / 2, rows - rows / 2}, 4, facts);
    }

    /** {@code conf/tiny-<stage>.yaml} with these sources and output, on the java backend; {@code sets} win. */
    static TrainConfig config(
            String stage, Path llm, Path tower, String adapter, Path shards, Path output, Map<String, String> sets)
            throws IOException {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("model.llm", llm.toString());
        options.put("model.vision_tower", tower.toString());
        options.put("model.pretrain_mm_mlp_adapter", adapter);
        options.put("data.shards", List.of(shards.toString()));
        options.put("run.output_dir", output.toString());
        options.put("run.backend", "java");
        return TrainConfig.load(Path.of("../../conf/tiny-" + stage + ".yaml"), options, sets);
    }

    /** What one rank's run left: its result and final parameters. */
    record Outcome(TrainingRun.Result result, float[] params) {}

    /**
     * Runs {@code config} on its {@code batch.workers} ranks (2 unless a test sets it) over loopback as attempt
     * {@code attempt}, reporting in-process into the run's {@link RunProgress} (metrics.jsonl, curves.png), as the
     * Spark driver's does.
     */
    static List<Outcome> run(TrainConfig config, String attempt) throws IOException {
        int world = config.batch().workers();
        try (RunProgress progress = TrainingRun.progress(config, new Configuration())) {
            return run(config, attempt, rank -> progress.reporter(attempt, rank, world));
        }
    }

    /** {@link #run}, each rank reporting to the reporter {@code reporters} gives it (opened on the rank's thread). */
    static List<Outcome> run(TrainConfig config, String attempt, IntFunction<RunReporter> reporters)
            throws IOException {
        try (LocalCluster cluster = LocalCluster.start(config.batch().workers(), settings())) {
            return cluster.run(c -> {
                float[][] params = new float[1][];
                try (RunReporter reporter = reporters.apply(c.rank())) {
                    TrainingRun.Result r = TrainingRun.run(
                            config,
                            c,
                            new TrainingRun.RankContext(c.rank(), c.world(), attempt, Optional.empty()),
                            reporter,
                            m -> params[0] = Tensors.floats(m.params()));
                    return new Outcome(r, params[0]);
                }
            });
        }
    }

    static TcpRingCollective.Settings settings() {
        return TcpRingCollective.Settings.defaults()
                .withConnectTimeout(Duration.ofSeconds(20))
                .withIoTimeout(Duration.ofSeconds(10));
    }

    /** Every line of {@code OUTPUT/metrics.jsonl} as a JSON object. */
    static List<ObjectNode> metrics(Path output) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<ObjectNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(output.resolve(RunProgress.METRICS))) {
            rows.add((ObjectNode) json.readTree(line));
        }
        return rows;
    }

    /** The parameters of a model directory, loaded as a run would. */
    static float[] load(Path modelDir, TrainConfig config) throws IOException {
        var architecture = RunModel.architecture(config);
        ParamLayout layout = LlavaLayout.of(architecture);
        Tensor flat = layout.allocate(BACKEND, io.share4v.tensor.DType.FLOAT);
        io.share4v.model.io.CheckpointLoader.load(modelDir, null, layout, BACKEND, flat);
        return Tensors.floats(flat);
    }
}

package io.share4v.eval.job;

import static io.share4v.common.config.ConfigChecks.require;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.share4v.common.config.KeyTree;
import io.share4v.common.config.LayeredConfig;
import io.share4v.common.config.StrictYaml;
import io.share4v.eval.run.Runners;
import io.share4v.eval.score.Scorers;
import io.share4v.tensor.backend.Backends;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The immutable, validated settings of one evaluation run ({@code conf/eval.yaml}), resolved as every job config is
 * ({@link LayeredConfig}): {@link #defaults()} &lt;- YAML file &lt;- typed options &lt;- {@code --set key=value}. The
 * YAML groups each benchmark's files ({@code pope: {questions: ..., image_folder: ...}}); options and {@code --set}
 * name them dotted ({@code pope.questions=...}). {@code benchmarks} is a list, or a comma-separated string
 * ({@code --set benchmarks=mme,pope}). Unknown keys, wrong types and out-of-range values are errors naming the key;
 * what a run needs beyond that (a model, an output directory, the selected benchmarks' files) is checked by
 * {@link #validatedForRun()}, so a conf file with placeholders still loads.
 *
 * @param model         the HF-layout model directory (a training checkpoint's {@code model/} or {@code final/})
 * @param visionTower   the vision tower directory; null: from the model's {@code mm_vision_tower}
 * @param modelId       the answers' {@code model_id}; null: the model directory's name
 * @param backend       the tensor backend by name
 * @param outputDir     where answers, scores and run records go: a path every executor sees (local or a shared
 *                      mount such as NFS), as the models are; Hadoop URIs are refused
 * @param dataRoot      the directory the benchmarks' relative paths ({@code <name>.questions}, {@code .image_folder},
 *                      {@code .annotations}) resolve against; null: the working directory, as the reference's scripts
 *                      resolve {@code playground/data/eval/...} from the repository root they run in
 * @param batchSize     questions decoded together per task
 * @param decodeThreads image decoding threads per task
 * @param chunks        contiguous chunks (= tasks) per benchmark; null: Spark's default parallelism
 * @param benchmarks    the benchmarks to run, in order
 * @param inputs        every known benchmark's files, by name (the {@code <name>.*} keys)
 */
public record EvalConfig(
        String model,
        String visionTower,
        String modelId,
        String backend,
        String outputDir,
        String dataRoot,
        int batchSize,
        int decodeThreads,
        Integer chunks,
        List<String> benchmarks,
        Map<String, BenchmarkInputs> inputs) {

    private static final String NAME = "eval config";
    private static final String INPUTS = "inputs";
    private static final LayeredConfig<EvalConfig> LAYERS =
            new LayeredConfig<>(NAME, EvalConfig.class, EvalConfig::defaults);
    private static final TypeReference<LinkedHashMap<String, Object>> KEY_MAP = new TypeReference<>() {};
    private static final Set<String> YAML_NULLS = Set.of("null", "Null", "NULL", "~");
    private static final List<String> BENCHMARK_KEYS =
            List.of("questions", "image_folder", "annotations", "max_new_tokens");

    public EvalConfig {
        benchmarks = benchmarks == null ? List.of() : List.copyOf(benchmarks);
        Map<String, BenchmarkInputs> all = new LinkedHashMap<>();
        for (String b : knownBenchmarks()) {
            BenchmarkInputs in = inputs == null ? null : inputs.get(b);
            all.put(b, in == null ? BenchmarkInputs.NONE : in);
        }
        if (inputs != null) {
            for (String b : inputs.keySet()) {
                require(all.containsKey(b), "benchmark group", b, "one of " + String.join(", ", knownBenchmarks()));
            }
        }
        inputs = Collections.unmodifiableMap(all);
        require(model == null || !model.isBlank(), "model", model, "a model directory, or null");
        require(modelId == null || !modelId.isBlank(), "model_id", modelId, "a name, or null (the model's name)");
        require(backend != null && !backend.isBlank(), "backend", backend, "a backend name such as nd4j or java");
        require(outputDir == null || !outputDir.isBlank(), "output_dir", outputDir, "a directory, or null");
        require(
                dataRoot == null || !dataRoot.isBlank(),
                "data_root",
                dataRoot,
                "a directory, or null (the working directory)");
        require(batchSize >= 1, "batch_size", batchSize, ">= 1");
        require(decodeThreads >= 1, "decode_threads", decodeThreads, ">= 1");
        require(chunks == null || chunks >= 1, "chunks", chunks, ">= 1, or null (Spark's default parallelism)");
        Set<String> seen = new TreeSet<>();
        for (String b : benchmarks) {
            require(all.containsKey(b), "benchmarks", benchmarks, "names from " + String.join(", ", knownBenchmarks()));
            require(seen.add(b), "benchmarks", benchmarks, "each benchmark once");
        }
        for (Map.Entry<String, BenchmarkInputs> e : all.entrySet()) {
            Integer n = e.getValue().maxNewTokens();
            require(n == null || n >= 1, e.getKey() + ".max_new_tokens", n, ">= 1, or null (the runner's)");
        }
    }

    /**
     * The benchmarks the config has keys for: every runner's and every scorer's name (the same names once all runners
     * exist), so that a conf file listing all thirteen loads whatever runners this build has.
     */
    public static List<String> knownBenchmarks() {
        Set<String> names = new TreeSet<>(Scorers.names());
        names.addAll(Runners.names());
        return List.copyOf(names);
    }

    /** Every key with its default (null: none), dotted. */
    public static Map<String, Object> defaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("model", null);
        d.put("vision_tower", null);
        d.put("model_id", null);
        d.put("backend", Backends.DEFAULT);
        d.put("output_dir", null);
        d.put("data_root", null);
        d.put("batch_size", 8);
        d.put("decode_threads", 2);
        d.put("chunks", null);
        d.put("benchmarks", List.of());
        for (String b : knownBenchmarks()) {
            for (String k : BENCHMARK_KEYS) {
                d.put(b + "." + k, null);
            }
        }
        return d;
    }

    /**
     * defaults &lt;- {@code yaml} (optional) &lt;- {@code options} (dotted key to a typed value) &lt;- {@code sets}
     * ({@code key=value}, the value a YAML scalar; {@code null} unsets a key); any may be null.
     */
    public static EvalConfig load(Path yaml, Map<String, Object> options, List<String> sets) throws IOException {
        return fromKeys(resolve(yaml, options, sets));
    }

    /** The resolved dotted key map of {@link #load} (what {@code run.json} records). */
    public static Map<String, Object> resolve(Path yaml, Map<String, Object> options, List<String> sets)
            throws IOException {
        Map<String, Object> layered = new LinkedHashMap<>();
        if (yaml != null) {
            Map<String, Object> tree;
            try {
                tree = StrictYaml.yamlMapper().readValue(yaml.toFile(), KEY_MAP);
            } catch (JsonProcessingException e) {
                throw new IOException(NAME + ": config file " + yaml + ": " + StrictYaml.describe(e), e);
            }
            if (tree != null) {
                layered.putAll(KeyTree.flatten(tree, defaults().keySet(), NAME + ": config file " + yaml));
            }
        }
        if (options != null) {
            layered.putAll(options);
        }
        Map<String, Object> keys = LAYERS.keys(null, layered, sets);
        // LayeredConfig reads --set k=null as the empty string; here it unsets a nullable key
        for (String s : sets == null ? List.<String>of() : sets) {
            int eq = s.indexOf('=');
            if (YAML_NULLS.contains(s.substring(eq + 1).trim())) {
                keys.put(s.substring(0, eq).trim(), null);
            }
        }
        keys.put("benchmarks", benchmarkList(keys.get("benchmarks")));
        return keys;
    }

    /** The record for a complete dotted key map (as {@link #resolve} returns). */
    public static EvalConfig fromKeys(Map<String, Object> flat) {
        Map<String, Object> tree = KeyTree.nest(flat);
        Map<String, Object> inputs = new LinkedHashMap<>();
        for (String b : knownBenchmarks()) {
            Object group = tree.remove(b);
            if (group != null) {
                inputs.put(b, group);
            }
        }
        tree.put(INPUTS, inputs);
        tree.put("benchmarks", benchmarkList(tree.get("benchmarks")));
        try {
            return LAYERS.convert(tree);
        } catch (IllegalArgumentException e) {
            // the benchmark groups are nested under "inputs" only for the conversion: name the keys as users write them
            throw new IllegalArgumentException(e.getMessage().replace(INPUTS + ".", ""), e);
        }
    }

    /** A comma-separated string ({@code --set benchmarks=mme,pope}) as the list it names; a list as it is. */
    private static Object benchmarkList(Object value) {
        if (value instanceof String s) {
            List<String> names = new ArrayList<>();
            for (String part : s.split(",")) {
                if (!part.isBlank()) {
                    names.add(part.trim());
                }
            }
            return names;
        }
        return value;
    }

    /** Checks what a run needs: a model, a local output directory, and each selected benchmark's runner and files. */
    public EvalConfig validatedForRun() {
        require(model != null, "model", model, "the model directory to evaluate");
        requireLocal("model", model);
        if (visionTower != null) {
            requireLocal("vision_tower", visionTower);
        }
        require(outputDir != null, "output_dir", outputDir, "an output directory");
        requireLocal("output_dir", outputDir);
        if (dataRoot != null) {
            requireLocal("data_root", dataRoot);
        }
        require(
                !benchmarks.isEmpty(),
                "benchmarks",
                benchmarks,
                "at least one of " + String.join(", ", Runners.names()));
        for (String b : benchmarks) {
            require(
                    Runners.names().contains(b),
                    "benchmarks",
                    benchmarks,
                    "benchmarks this build has runners for: " + String.join(", ", Runners.names()));
            BenchmarkInputs in = inputs.get(b);
            require(in.questions() != null, b + ".questions", null, "the " + b + " question file");
            requireLocal(b + ".questions", in.questions());
            if (in.imageFolder() != null) {
                requireLocal(b + ".image_folder", in.imageFolder());
            }
        }
        return this;
    }

    /**
     * The answers are appended by every task and merged by the driver through the local file system API, as models
     * are read: a Hadoop URI (hdfs://, s3a://) cannot be written that way, so it is refused here rather than failing
     * in a task.
     */
    private static void requireLocal(String key, String path) {
        URI u;
        try {
            u = URI.create(path.replace(" ", "%20"));
        } catch (IllegalArgumentException e) {
            return; // not a URI at all (e.g. a Windows path): a local path
        }
        String scheme = u.getScheme();
        require(
                scheme == null || scheme.length() == 1 || scheme.equals("file"),
                key,
                path,
                "a local path or a shared mount (e.g. NFS) every executor sees; Hadoop file systems (" + scheme
                        + "://) are not supported for evaluation");
    }

    /** {@code path} as a local path ({@code file:} URIs included). */
    public static Path localPath(String path) {
        return path.startsWith("file:") ? Path.of(URI.create(path)) : Path.of(path);
    }

    /**
     * A benchmark file's path ({@code <name>.questions}, {@code .image_folder}, {@code .annotations}) as the run opens
     * it: a relative path against {@code data_root} when that is set (else it stays relative to the working
     * directory); null stays null.
     */
    public Path dataPath(String path) {
        if (path == null) {
            return null;
        }
        Path p = localPath(path);
        return dataRoot == null || p.isAbsolute() ? p : localPath(dataRoot).resolve(p);
    }

    /** This config as its dotted keys (what {@code run.json} records as {@code config}). */
    public Map<String, Object> asKeys() {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("model", model);
        k.put("vision_tower", visionTower);
        k.put("model_id", modelId);
        k.put("backend", backend);
        k.put("output_dir", outputDir);
        k.put("data_root", dataRoot);
        k.put("batch_size", batchSize);
        k.put("decode_threads", decodeThreads);
        k.put("chunks", chunks);
        k.put("benchmarks", benchmarks);
        for (Map.Entry<String, BenchmarkInputs> e : inputs.entrySet()) {
            BenchmarkInputs in = e.getValue();
            k.put(e.getKey() + ".questions", in.questions());
            k.put(e.getKey() + ".image_folder", in.imageFolder());
            k.put(e.getKey() + ".annotations", in.annotations());
            k.put(e.getKey() + ".max_new_tokens", in.maxNewTokens());
        }
        return k;
    }

    /** The answers' {@code model_id}: {@code model_id}, else the model directory's name. */
    public String resolvedModelId() {
        return modelId != null
                ? modelId
                : localPath(model).toAbsolutePath().normalize().getFileName().toString();
    }
}

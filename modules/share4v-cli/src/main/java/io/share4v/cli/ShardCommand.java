package io.share4v.cli;

import io.share4v.common.config.ConfigName;
import io.share4v.data.image.AspectMode;
import io.share4v.data.manifest.DatasetManifest;
import io.share4v.jobs.shard.ShardConfig;
import io.share4v.jobs.shard.ShardJob;
import io.share4v.jobs.shard.ShardOptions;
import io.share4v.jobs.shard.ShardPipeline;
import io.share4v.jobs.shard.ShardResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code share4v shard}: runs the sharding job in a local Spark ({@code --master local[N]}). Three forms:
 * manifests ({@code --manifest ... --data-root --tokenizer --out}), one JSON file ({@code --input
 * --image-root --template --aspect --tokenizer --out}), or the bundled sample ({@code --out} alone or
 * {@code --sample}).
 */
@Command(
        name = "shard",
        mixinStandardHelpOptions = true,
        modelTransformer = ShardCommand.OutRequired.class,
        description = {
            "Validate, tokenize and shard LLaVA JSON datasets into Parquet (+ rejects ledger, _manifest.json).",
            "With only --out (or --sample) it shards the bundled sample dataset in data-manifests/sample/."
        })
public final class ShardCommand implements Callable<Integer> {
    /** The bundled sample's folder and its tokenizer, relative to the installation. */
    static final String SAMPLE_DIR = "data-manifests/sample";

    static final String SAMPLE_TOKENIZER = SAMPLE_DIR + "/tokenizer";

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** --manifest, --data-root, --tokenizer, --out, --config, --set, --overwrite: the same as ShardJob's. */
    @Mixin
    ShardOptions options;

    @Option(names = "--master", defaultValue = "local[*]", description = "Spark master (default ${DEFAULT-VALUE})")
    String master;

    @Option(names = "--input", paramLabel = "FILE.json", description = "one LLaVA JSON array (one-dataset form)")
    Path input;

    @Option(names = "--image-root", paramLabel = "DIR", description = "image folder for --input")
    Path imageRoot;

    @Option(names = "--template", description = "v1 or plain, for --input")
    String template;

    @Option(names = "--aspect", description = "pad or square, for --input")
    String aspect;

    @Option(names = "--name", description = "dataset name for --input (default: the file name without .json)")
    String name;

    @Option(names = "--sample", description = "shard the bundled sample dataset")
    boolean sample;

    /**
     * {@code --out} is optional for ShardJob (a config file may name {@code output_dir}) but required here:
     * the shared option is re-declared as required, so the usage and the error are picocli's own.
     */
    static final class OutRequired implements picocli.CommandLine.IModelTransformer {
        @Override
        public picocli.CommandLine.Model.CommandSpec transform(picocli.CommandLine.Model.CommandSpec command) {
            picocli.CommandLine.Model.OptionSpec out = command.findOption("--out");
            command.remove(out);
            command.addOption(out.toBuilder().required(true).build());
            return command;
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        List<DatasetManifest> datasets = new ArrayList<>();
        Map<String, Object> keys = new LinkedHashMap<>();
        List<Path> manifests = options.manifests.stream().map(Path::of).toList();
        Path config = options.config == null ? null : Path.of(options.config);
        Path dataRoot = options.dataRoot == null ? null : Path.of(options.dataRoot);
        Path tokenizer = options.tokenizer == null ? null : Path.of(options.tokenizer);
        Path out = Path.of(options.out);
        if (input != null) {
            if (!manifests.isEmpty() || sample) {
                throw new IllegalArgumentException("--input cannot be combined with --manifest or --sample");
            }
            if (imageRoot == null || template == null || aspect == null) {
                throw new IllegalArgumentException(
                        "--input needs --image-root, --template (v1|plain) and --aspect (pad|square)");
            }
            String n = name != null ? name : input.getFileName().toString().replaceFirst("\\.json$", "");
            datasets.add(DatasetManifest.adHoc(
                    n.replaceAll("[^A-Za-z0-9._-]", "_"),
                    input,
                    imageRoot,
                    template,
                    ConfigName.parse(AspectMode.class, "--aspect", aspect)));
        } else if (!sample && (!manifests.isEmpty() || configListsManifests(config))) {
            for (Path m : manifests) {
                datasets.add(DatasetManifest.load(m));
            }
            keys.put("manifests", manifests.stream().map(Path::toString).toList());
        } else {
            Path home = Share4vHome.find();
            Path sampleDir = home.resolve(SAMPLE_DIR);
            try (Stream<Path> s = Files.list(sampleDir)) {
                for (Path m : s.filter(p -> p.getFileName().toString().endsWith(".yaml"))
                        .sorted()
                        .toList()) {
                    datasets.add(DatasetManifest.load(m));
                }
                datasets.sort(
                        java.util.Comparator.comparing(DatasetManifest::stage).thenComparing(DatasetManifest::name));
            }
            dataRoot = sampleDir;
            if (tokenizer == null) {
                tokenizer = home.resolve(SAMPLE_TOKENIZER);
            }
            err.println("share4v shard: " + (sample ? "" : "no --manifest or --input given: ")
                    + "sharding the bundled sample (" + sampleDir + ")");
        }
        if (tokenizer == null) {
            throw new IllegalArgumentException("--tokenizer DIR is required (a folder with tokenizer.model)");
        }
        if (dataRoot != null) {
            keys.put("data_root", dataRoot.toAbsolutePath().toString());
        }
        keys.put("tokenizer_dir", tokenizer.toAbsolutePath().toString());
        keys.put("output_dir", out.toAbsolutePath().toString());
        if (options.overwrite) {
            keys.put("overwrite", true);
        }
        ShardConfig cfg = ShardConfig.load(config, keys, options.sets);
        cfg = (cfg.datasets().isEmpty() ? cfg.withDatasets(datasets) : cfg).validatedForRun();
        OutputDirs.refuseNonEmpty(out, cfg.overwrite()); // before Spark starts: the mistake costs no startup time
        SparkSession spark = ShardJob.kryo(SparkSession.builder().master(master).appName("share4v-shard"))
                .config("spark.ui.enabled", "false")
                .getOrCreate();
        try {
            ShardResult result = ShardPipeline.run(spark, cfg);
            PrintWriter o = spec.commandLine().getOut();
            o.print(result.summary());
            o.flush();
        } finally {
            spark.stop();
        }
        return 0;
    }

    private boolean configListsManifests(Path config) throws IOException {
        return config != null
                && !ShardConfig.load(config, null, options.sets).manifests().isEmpty();
    }
}

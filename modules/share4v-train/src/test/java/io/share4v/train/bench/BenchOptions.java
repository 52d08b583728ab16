package io.share4v.train.bench;

import static io.share4v.common.config.ConfigChecks.require;

import io.share4v.common.config.ConfigChecks;
import io.share4v.train.config.Stage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command line of {@link TrainBench}, validated. Every configuration runs at the same global batch, so that
 * samples/s compare the same work; the first configuration is the baseline of the ratios.
 *
 * @param configs     the {@code RANKSxTHREADS} configurations, in order (default {@code 1x2,2x1})
 * @param model       the model trained ({@link BenchModel}: small by default, tiny to check the harness)
 * @param stage       which parameters train: stage 1 (pretrain: LLM, projector, the upper half of the tower) or
 *                    stage 2 (finetune: LLM and projector)
 * @param microBatch  samples per micro-batch on every rank
 * @param globalBatch samples per optimizer step over all ranks (a multiple of micro-batch × ranks of every config)
 * @param steps       timed optimizer steps per configuration
 * @param warmup      untimed steps before them (at least 1: the first step's bytes are counted from its end)
 * @param textLen     text ids per sample after {@code [BOS, <image>]}; a sample is {@code 1 + 256 + textLen}
 *                    positions in the benchmark model
 * @param runs        repetitions; each runs every configuration in turn, so that the load is shared alike
 * @param backend     the run's kernels ({@code run.backend})
 * @param sets        {@code --set key=value} for the train config, in order (e.g. {@code collective.overlap=true})
 * @param sweep       {@code --sweep key=v1,v2}: every configuration runs once per value (empty: no sweep)
 * @param workDir     where the cached inputs and the runs' outputs go
 * @param repo        the repository root (the tokenizer, the sample images, the tiny configs)
 * @param paper       print only the 7B estimate, run nothing
 */
record BenchOptions(
        List<RankConfig> configs,
        BenchModel model,
        Stage stage,
        int microBatch,
        int globalBatch,
        int steps,
        int warmup,
        int textLen,
        int runs,
        String backend,
        Map<String, String> sets,
        Sweep sweep,
        Path workDir,
        Path repo,
        boolean paper) {

    /** One configuration: {@code ranks} ranks (threads of one JVM over loopback), each with {@code threads} threads. */
    record RankConfig(int ranks, int threads) {
        private static final Pattern SPEC = Pattern.compile("([1-9][0-9]?)x([1-9][0-9]?)");

        RankConfig {
            ConfigChecks.inRange("ranks", ranks, 1, 64);
            ConfigChecks.inRange("threads", threads, 1, 64);
        }

        static RankConfig parse(String spec) {
            Matcher m = SPEC.matcher(spec.trim());
            if (!m.matches()) {
                throw ConfigChecks.invalid("--configs", spec, "RANKSxTHREADS, e.g. 2x1");
            }
            return new RankConfig(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        }

        /** {@code 2x1}. */
        String name() {
            return ranks + "x" + threads;
        }
    }

    /** A config key and the values it takes in turn; {@link #NONE} runs each configuration once as given. */
    record Sweep(String key, List<String> values) {
        static final Sweep NONE = new Sweep(null, List.of());

        Sweep {
            values = List.copyOf(values);
        }

        static Sweep parse(String spec) {
            int eq = spec.indexOf('=');
            require(
                    eq > 0 && eq < spec.length() - 1,
                    "--sweep",
                    spec,
                    "KEY=V1,V2,... (e.g. collective.overlap=false,true)");
            List<String> values = new ArrayList<>();
            for (String v : spec.substring(eq + 1).split(",")) {
                require(!v.isBlank(), "--sweep", spec, "non-empty values separated by commas");
                values.add(v.trim());
            }
            return new Sweep(spec.substring(0, eq).trim(), values);
        }

        /** The {@code --set}s of each run: one map per value, or one empty map without a sweep. */
        List<Map<String, String>> variants() {
            if (key == null) {
                return List.of(Map.of());
            }
            return values.stream().map(v -> Map.of(key, v)).toList();
        }
    }

    BenchOptions {
        configs = List.copyOf(configs);
        sets = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sets));
        require(!configs.isEmpty(), "--configs", configs, "at least one RANKSxTHREADS");
        require(model != null, "--model", null, "small or tiny");
        require(stage != null, "--stage", null, "stage1 or stage2");
        ConfigChecks.inRange("--micro-batch", microBatch, 1, 1024);
        ConfigChecks.inRange("--global-batch", globalBatch, 1, 1 << 20);
        ConfigChecks.inRange("--steps", steps, 1, 100_000);
        ConfigChecks.inRange("--warmup", warmup, 1, 100_000);
        ConfigChecks.inRange("--text-len", textLen, 1, 2000);
        ConfigChecks.inRange("--runs", runs, 1, 100);
        for (RankConfig c : configs) {
            long perStep = (long) microBatch * c.ranks();
            require(
                    globalBatch % perStep == 0,
                    "--global-batch",
                    globalBatch,
                    "a multiple of --micro-batch x ranks = " + microBatch + " x " + c.ranks() + " (config " + c.name()
                            + "), so that every configuration trains the same global batch");
        }
    }

    /** Parses {@code args} (see {@link TrainBench}); {@code repo} is the default repository root. */
    static BenchOptions parse(List<String> args, Path repo) {
        List<RankConfig> configs = List.of(new RankConfig(1, 2), new RankConfig(2, 1));
        BenchModel model = BenchModel.SMALL;
        Stage stage = Stage.PRETRAIN;
        int micro = 4;
        int global = 8;
        int steps = 5;
        int warmup = 2;
        int textLen = 255;
        int runs = 1;
        String backend = "nd4j";
        Map<String, String> sets = new LinkedHashMap<>();
        Sweep sweep = Sweep.NONE;
        Path work = null;
        boolean paper = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--paper")) {
                paper = true;
                continue;
            }
            require(i + 1 < args.size(), a, null, "a value after it");
            String v = args.get(++i);
            switch (a) {
                case "--configs" -> {
                    List<RankConfig> list = new ArrayList<>();
                    for (String s : v.split(",")) {
                        list.add(RankConfig.parse(s));
                    }
                    configs = list;
                }
                case "--model" -> model = BenchModel.parse(v);
                case "--stage" ->
                    stage = switch (v) {
                        case "stage1", "pretrain" -> Stage.PRETRAIN;
                        case "stage2", "finetune" -> Stage.FINETUNE;
                        default -> throw ConfigChecks.invalid("--stage", v, "stage1 (pretrain) or stage2 (finetune)");
                    };
                case "--micro-batch" -> micro = integer(a, v);
                case "--global-batch" -> global = integer(a, v);
                case "--steps" -> steps = integer(a, v);
                case "--warmup" -> warmup = integer(a, v);
                case "--text-len" -> textLen = integer(a, v);
                case "--runs" -> runs = integer(a, v);
                case "--backend" -> backend = v;
                case "--set" -> {
                    int eq = v.indexOf('=');
                    require(eq > 0, "--set", v, "KEY=VALUE with a dotted config key, e.g. collective.overlap=true");
                    sets.put(v.substring(0, eq).trim(), v.substring(eq + 1).trim());
                }
                case "--sweep" -> sweep = Sweep.parse(v);
                case "--work" -> work = Path.of(v);
                case "--repo" -> repo = Path.of(v);
                default ->
                    throw ConfigChecks.invalid(
                            "argument",
                            a,
                            "--configs, --model, --stage, --micro-batch, --global-batch, --steps, --warmup,"
                                    + " --text-len, --runs, --backend, --set, --sweep, --work, --repo or --paper");
            }
        }
        Path root = repo.toAbsolutePath().normalize();
        Path dir = work != null ? work.toAbsolutePath().normalize() : root.resolve("target/bench-train");
        return new BenchOptions(
                configs, model, stage, micro, global, steps, warmup, textLen, runs, backend, sets, sweep, dir, root,
                paper);
    }

    /** The arguments that {@link #parse} reads back to these options (what a configuration's JVM is given). */
    List<String> toArgs() {
        List<String> a = new ArrayList<>(List.of(
                "--configs",
                        String.join(",", configs.stream().map(RankConfig::name).toList()),
                "--model", model.configName(),
                "--stage", stage == Stage.PRETRAIN ? "stage1" : "stage2",
                "--micro-batch", String.valueOf(microBatch),
                "--global-batch", String.valueOf(globalBatch),
                "--steps", String.valueOf(steps),
                "--warmup", String.valueOf(warmup),
                "--text-len", String.valueOf(textLen),
                "--runs", String.valueOf(runs),
                "--backend", backend,
                "--work", workDir.toString(),
                "--repo", repo.toString()));
        sets.forEach((k, v) -> a.addAll(List.of("--set", k + "=" + v)));
        if (sweep.key() != null) {
            a.addAll(List.of("--sweep", sweep.key() + "=" + String.join(",", sweep.values())));
        }
        if (paper) {
            a.add("--paper");
        }
        return a;
    }

    /** Rows the shards need: every step of a configuration reads a fresh global batch. */
    int rows() {
        return globalBatch * (warmup + steps);
    }

    private static int integer(String key, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw ConfigChecks.invalid(key, v, "an integer");
        }
    }
}

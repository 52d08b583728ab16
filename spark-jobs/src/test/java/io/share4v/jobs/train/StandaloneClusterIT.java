package io.share4v.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.share4v.eval.fixtures.BenchmarkFixture;
import io.share4v.eval.fixtures.BenchmarkLayout;
import io.share4v.eval.report.Reports;
import io.share4v.jobs.StandaloneCluster;
import io.share4v.jobs.eval.EvalJob;
import io.share4v.jobs.shard.ShardJob;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.io.CheckpointLoader;
import io.share4v.model.io.HfConfigReader;
import io.share4v.model.llava.LlavaModel;
import io.share4v.model.llava.Trainable;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.backend.Backends;
import io.share4v.train.checkpoint.CheckpointStore;
import io.share4v.train.config.TrainConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Both training stages as a user runs them on a real standalone cluster: a Master and two Workers (one core each)
 * as separate JVMs from Spark's own jars, stage 1 submitted through Spark's submit class with only the application
 * jar ({@code PretrainJob}, {@code conf/tiny-pretrain.yaml}), then stage 2 ({@code FinetuneJob},
 * {@code conf/tiny-finetune.yaml}) from stage 1's {@code final/} and its trained {@code final/vision_tower/}, then the
 * evaluation of stage 2's {@code final/} ({@code EvalJob}, {@code conf/eval.yaml}, POPE and ScienceQA fixtures; about
 * 25 s of the run). The inputs (the tiny model, the sample's shards, the benchmark fixtures) are made here beforehand,
 * so the jobs only read files.
 *
 * <p>Stage 1 reads its shards through a {@code viewfs://} mount that exists only in the Hadoop settings given to
 * spark-submit ({@code --conf spark.hadoop.fs.viewfs.mounttable...}): the ranks find their data only if the
 * driver's Hadoop configuration reached them.
 *
 * <p>Runs in the integration-test phase ({@code mvn verify}), after package made the application jar; the pom passes
 * the jar, Spark's jars (module spark-jobs/spark-home) and the Java flags as system properties.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a guard for a loaded machine; each wait below has its own deadline
class StandaloneClusterIT {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path SAMPLE = REPO.resolve("data-manifests/sample");
    private static final Path WORK = Path.of("target/standalone-cluster").toAbsolutePath();
    private static final Duration READINESS = Duration.ofMinutes(2);
    private static final Duration STAGE = Duration.ofMinutes(4);
    /** The viewfs mount table stage 1's shards are read through. */
    private static final String MOUNT_TABLE = "share4v-it";

    private static final Pattern SUMMARY =
            Pattern.compile("trained steps 0\\.\\.(\\d+) of \\1 on 2 workers, last loss \\S+, final model \\S+");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static StandaloneCluster cluster;
    private static Path appJar;
    private static Map<String, Object> pretrainInputs;
    private static Map<String, Object> finetuneInputs;

    @BeforeAll
    static void inputsAndCluster() throws Exception {
        String jar = System.getProperty("share4v.it.app_jar");
        assumeTrue(jar != null, "runs in the integration-test phase (mvn verify), after package made the app jar");
        appJar = Path.of(jar);
        assertTrue(Files.isRegularFile(appJar), appJar + " is missing: the package phase makes it (mvn verify)");
        deleteRecursively(WORK);
        Path inputs = WORK.resolve("inputs");
        SparkSession local = ShardJob.kryo(SparkSession.builder())
                .master("local[2]")
                .appName("standalone-cluster-it-inputs")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
        try {
            pretrainInputs = SampleInputs.prepare(
                    local, tinyConfig("tiny-pretrain.yaml"), SAMPLE, SAMPLE.resolve("tokenizer"), inputs);
            finetuneInputs = SampleInputs.prepare(
                    local, tinyConfig("tiny-finetune.yaml"), SAMPLE, SAMPLE.resolve("tokenizer"), inputs);
        } finally {
            local.stop();
        }
        cluster =
                StandaloneCluster.start(sparkHome(), System.getProperty("share4v.it.scala_binary"), 2, "1g", READINESS);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void bothStagesTrainThroughSparkSubmitOnTwoExecutorJvms() throws Exception {
        Path stage1 = WORK.resolve("stage1");
        String pretrainShards = shards(pretrainInputs);
        StandaloneCluster.Submission pretrain = cluster.submit(
                "stage1",
                driverJvm(),
                submitArgs(
                        PretrainJob.class,
                        List.of(
                                "--conf",
                                "spark.hadoop.fs.viewfs.mounttable." + MOUNT_TABLE + ".link./pretrain-shards="
                                        + Path.of(pretrainShards).toUri()),
                        "tiny-pretrain.yaml",
                        stage1,
                        List.of(
                                "model.llm=" + pretrainInputs.get("model.llm"),
                                "model.vision_tower=" + pretrainInputs.get("model.vision_tower"),
                                "data.shards=[viewfs://" + MOUNT_TABLE + "/pretrain-shards]")),
                STAGE);
        assertFinished(pretrain, stage1);
        assertTrue(
                Files.isRegularFile(stage1.resolve("final/vision_tower/config.json")),
                "stage 1 trains the tower's upper layers, so final/ has its own vision_tower/");

        Path stage2 = WORK.resolve("stage2");
        StandaloneCluster.Submission finetune = cluster.submit(
                "stage2",
                driverJvm(),
                submitArgs(
                        FinetuneJob.class,
                        List.of(),
                        "tiny-finetune.yaml",
                        stage2,
                        List.of(
                                "model.llm=" + stage1.resolve("final"),
                                "model.vision_tower=" + stage1.resolve("final/vision_tower"),
                                "data.shards=[" + shards(finetuneInputs) + "]")),
                STAGE);
        assertFinished(finetune, stage2);

        evaluate(stage1, stage2);
    }

    /**
     * The evaluation job as a user submits it ({@code EvalJob} with {@code conf/eval.yaml}, the benchmarks laid out
     * as the reference's playground under {@code data_root}) on stage 2's final model, POPE and ScienceQA in two
     * chunks: one task per executor JVM, each loading the model once; the driver merges, scores and writes the
     * report.
     */
    private static void evaluate(Path stage1, Path stage2) throws Exception {
        Path data = WORK.resolve("inputs/eval-data");
        Map<String, BenchmarkFixture> fixtures = Map.of(
                "pope", BenchmarkLayout.layOut("pope", data.resolve(BenchmarkLayout.PLAYGROUND)),
                "sqa", BenchmarkLayout.layOut("sqa", data.resolve(BenchmarkLayout.PLAYGROUND)));
        Path out = WORK.resolve("eval");
        List<String> args = new ArrayList<>(List.of(
                "--class",
                EvalJob.class.getName(),
                "--conf",
                "spark.executor.cores=1",
                "--conf",
                "spark.cores.max=2",
                "--conf",
                "spark.executor.memory=1g",
                // both executors registered before the two tasks are offered: one task (one model) per JVM
                "--conf",
                "spark.scheduler.minRegisteredResourcesRatio=1.0",
                "--conf",
                "spark.scheduler.maxRegisteredResourcesWaitingTime=120s",
                "--conf",
                "spark.ui.enabled=false",
                appJar.toString(),
                "--conf",
                REPO.resolve("conf/eval.yaml").toString()));
        for (String set : List.of(
                "data_root=" + data,
                "model=" + stage2.resolve("final"),
                "vision_tower=" + stage1.resolve("final/vision_tower"),
                "output_dir=" + out,
                "benchmarks=pope,sqa",
                "chunks=2",
                "pope.max_new_tokens=4",
                "sqa.max_new_tokens=4")) {
            args.add("--set");
            args.add(set);
        }
        StandaloneCluster.Submission eval = cluster.submit("eval", driverJvm(), args, STAGE);
        String failure = eval.name() + " (" + eval.log() + "):\n" + eval.outputTail() + "\n" + cluster.describeLogs();
        assertEquals(0, eval.exitCode(), failure);
        for (Map.Entry<String, BenchmarkFixture> f : fixtures.entrySet()) {
            int n = f.getValue().questionCount();
            String b = f.getKey();
            assertTrue(
                    eval.output().contains(b + ": " + n + " questions, " + n + " answered (" + n + " this run)"),
                    "the summary line of " + b + "; " + failure);
            assertEquals(
                    n,
                    Files.readAllLines(out.resolve(b).resolve("answers.jsonl")).size(),
                    b);
            assertTrue(Files.isRegularFile(out.resolve(b).resolve("score.json")), b + " is scored; " + failure);
        }
        assertTrue(Files.isRegularFile(out.resolve(Reports.JSON)), "the report; " + failure);

        onePerExecutorJvm(eval, "chunk", c -> "evaluation chunk " + c + " ");
    }

    /**
     * Each Worker ran one executor JVM for {@code s}'s application, and each JVM's log shows exactly one of the two
     * units (ranks, chunks) {@code logLine} names: units 0 and 1 ran in different JVMs.
     */
    private static void onePerExecutorJvm(StandaloneCluster.Submission s, String unit, IntFunction<String> logLine)
            throws IOException {
        assertEquals(1, s.apps().size(), "the Workers ran executors for this application only: " + s.apps());
        String app = s.apps().iterator().next();
        List<Integer> units = new ArrayList<>(); // the unit each executor JVM ran, worker by worker
        for (int w = 1; w <= 2; w++) {
            List<Path> executors = executorLogs(cluster.workDir(w).resolve(app));
            assertEquals(1, executors.size(), "one executor JVM on worker " + w + ": " + executors);
            String log = Files.readString(executors.get(0));
            List<Integer> here = IntStream.range(0, 2)
                    .filter(u -> log.contains(logLine.apply(u)))
                    .boxed()
                    .toList();
            assertEquals(1, here.size(), "one " + unit + " in " + executors.get(0) + ": " + here);
            units.addAll(here);
        }
        assertEquals(List.of(0, 1), units.stream().sorted().toList(), unit + "s 0 and 1 in different JVMs");
    }

    /**
     * The run finished (exit 0 and the driver's summary), in two executor JVMs (rank 0 in one Worker's executor,
     * rank 1 in the other's); its last checkpoint is committed, metrics.jsonl has every step, final/ loads.
     */
    private static void assertFinished(StandaloneCluster.Submission s, Path out) throws IOException {
        String failure = s.name() + " (" + s.log() + "):\n" + s.outputTail() + "\n" + cluster.describeLogs();
        assertEquals(0, s.exitCode(), failure);
        Matcher summary = SUMMARY.matcher(s.output());
        assertTrue(summary.find(), "the driver's summary line; " + failure);
        long steps = Long.parseLong(summary.group(1));

        onePerExecutorJvm(s, "rank", r -> "rank " + r + " of 2,");

        assertEquals(
                steps,
                CheckpointStore.open(out.toUri(), new Configuration(), "check", 1, WORK)
                        .latest()
                        .orElseThrow()
                        .step(),
                "the last checkpoint is committed");
        List<Long> logged = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            logged.add(JSON.readTree(line).get("step").asLong());
        }
        assertEquals(LongStream.range(0, steps).boxed().toList(), logged, "metrics.jsonl has every step once");

        Path model = out.resolve("final");
        assertTrue(Files.isRegularFile(model.resolve("config.json")));
        try (Stream<Path> files = Files.list(model)) {
            assertTrue(files.anyMatch(p -> p.toString().endsWith(".safetensors")), "final/ has safetensors");
        }
        Backend java = Backends.create("java");
        LlavaConfig config = HfConfigReader.readLlava(model, null);
        LlavaModel loaded =
                new LlavaModel(config, LlavaModel.Options.of(1, config.imageTokens() + 8, 1, Trainable.none()), java);
        assertFalse(
                CheckpointLoader.load(model, null, loaded.layout(), java, loaded.params())
                        .loaded()
                        .isEmpty(),
                "final/ loads into a model");
    }

    private static List<String> submitArgs(
            Class<?> job, List<String> sparkConf, String config, Path output, List<String> sets) {
        List<String> args = new ArrayList<>(List.of(
                "--class",
                job.getName(),
                // one single-core executor per Worker: the barrier stage's two tasks land in two JVMs
                "--conf",
                "spark.executor.cores=1",
                "--conf",
                "spark.cores.max=2",
                "--conf",
                "spark.executor.memory=1g",
                // start only when both executors have registered; a barrier stage without slots fails within ~60 s
                // (not 40 checks x 15 s) and a failed stage is not retried
                "--conf",
                "spark.scheduler.minRegisteredResourcesRatio=1.0",
                "--conf",
                "spark.scheduler.maxRegisteredResourcesWaitingTime=120s",
                "--conf",
                "spark.scheduler.barrier.maxConcurrentTasksCheck.interval=1s",
                "--conf",
                "spark.scheduler.barrier.maxConcurrentTasksCheck.maxFailures=60",
                "--conf",
                "spark.stage.maxConsecutiveAttempts=1",
                "--conf",
                "spark.ui.enabled=false"));
        args.addAll(sparkConf);
        args.add(appJar.toString());
        args.addAll(List.of("--conf", REPO.resolve("conf").resolve(config).toString(), "--output", output.toString()));
        for (String set : sets) {
            args.add("--set");
            args.add(set);
        }
        return args;
    }

    /** The client-mode driver's JVM options: spark-submit's launcher would add the same Java 17 flags. */
    private static List<String> driverJvm() {
        List<String> jvm = new ArrayList<>(List.of("-Xmx1g"));
        jvm.addAll(List.of(System.getProperty("share4v.it.jvm_opens").trim().split("\\s+")));
        return jvm;
    }

    /** SPARK_HOME as bin/make-spark-home makes it: Spark's closure in jars/, conf/log4j2.properties in conf/. */
    private static Path sparkHome() throws IOException {
        Path jars = Path.of(System.getProperty("share4v.it.spark_jars"));
        assertTrue(Files.isDirectory(jars), jars + " is missing: module spark-jobs/spark-home makes it when packaged");
        Path home = Files.createDirectories(WORK.resolve("spark-home"));
        Files.createSymbolicLink(home.resolve("jars"), jars);
        Path conf = Files.createDirectories(home.resolve("conf"));
        Files.copy(REPO.resolve("conf/log4j2.properties"), conf.resolve("log4j2.properties"));
        return home;
    }

    private static TrainConfig tinyConfig(String name) throws IOException {
        return TrainConfig.load(REPO.resolve("conf").resolve(name), Map.of());
    }

    private static String shards(Map<String, Object> inputs) {
        return ((List<?>) inputs.get("data.shards")).get(0).toString();
    }

    private static List<Path> executorLogs(Path appDir) throws IOException {
        try (Stream<Path> s = Files.list(appDir)) {
            return s.map(executor -> executor.resolve("stderr"))
                    .filter(Files::isRegularFile)
                    .toList();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}

package io.share4v.jobs.train;

import io.share4v.eval.job.EvalConfig;
import io.share4v.jobs.eval.EvalRun;
import io.share4v.model.io.CheckpointWriter;
import io.share4v.train.checkpoint.Checkpoint;
import io.share4v.train.config.TrainConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The trainer's evaluation hook ({@code run.eval_conf}): after the last step the driver evaluates the final
 * checkpoint with the evaluation job's own code ({@link EvalRun}) into {@code OUTPUT/eval/}. The evaluation config is
 * loaded and checked before training starts, so a typo in it does not wait for the end of a long run.
 */
final class TrainingEvaluation {
    /** The run's evaluation output, under the training output directory. */
    static final String DIR = "eval";

    private TrainingEvaluation() {}

    /**
     * Checks the evaluation settings of {@code cfg} (no-op when {@code run.eval_conf} is null): the config loads with
     * the keys the hook sets, and the run writes to a local output directory (answers are written with the local file
     * API by every task).
     */
    static void check(TrainConfig cfg) throws IOException {
        if (cfg.run().evalConf() == null) {
            return;
        }
        URI out = Share4vTraining.outputUri(cfg.run().outputDir());
        if (!"file".equals(out.getScheme())) {
            throw new IllegalArgumentException("run.eval_conf needs a local (or shared-mount) run.output_dir: the"
                    + " evaluation writes OUTPUT/eval/ through the local file system; got "
                    + cfg.run().outputDir());
        }
        Path placeholder = Path.of(out).resolve("final");
        evalConfig(cfg, placeholder, 0).validatedForRun();
    }

    /** Evaluates {@code checkpoint}; null when {@code run.eval_conf} is null. */
    static EvalRun.Result run(SparkSession spark, TrainConfig cfg, Checkpoint checkpoint) throws IOException {
        if (cfg.run().evalConf() == null) {
            return null;
        }
        URI dir = checkpoint.modelDir().toUri();
        Path model = dir.getScheme() == null ? Path.of(dir.getPath()) : Path.of(dir);
        return EvalRun.run(spark, evalConfig(cfg, model, checkpoint.step()));
    }

    /**
     * The evaluation config: {@code run.eval_conf} with the model set to the checkpoint's (its own vision tower when it
     * trained one, else the run's), the output to {@code OUTPUT/eval}, the benchmarks to {@code run.eval_benchmarks}
     * when given, and the model id, unless the config names one, to {@code <output dir name>-step-N}.
     */
    static EvalConfig evalConfig(TrainConfig cfg, Path model, long step) throws IOException {
        Path out = Path.of(Share4vTraining.outputUri(cfg.run().outputDir()));
        Path ownTower = model.resolve(CheckpointWriter.VISION_TOWER_DIR);
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("model", model.toString());
        keys.put("output_dir", out.resolve(DIR).toString());
        List<String> sets = new ArrayList<>();
        if (cfg.run().evalBenchmarks() != null) {
            sets.add("benchmarks=" + cfg.run().evalBenchmarks());
        }
        Map<String, Object> resolved = EvalConfig.resolve(Path.of(cfg.run().evalConf()), keys, sets);
        if (resolved.get("vision_tower") == null) {
            resolved.put(
                    "vision_tower",
                    Files.isDirectory(ownTower)
                            ? ownTower.toString()
                            : cfg.model().visionTower());
        }
        if (resolved.get("model_id") == null) {
            resolved.put("model_id", out.getFileName() + "-step-" + step);
        }
        return EvalConfig.fromKeys(resolved);
    }
}

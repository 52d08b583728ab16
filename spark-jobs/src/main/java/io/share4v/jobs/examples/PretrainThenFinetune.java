package io.share4v.jobs.examples;

import io.share4v.jobs.train.Share4vTraining;
import io.share4v.train.checkpoint.ModelSnapshot;
import io.share4v.train.config.TrainConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * A runnable example of the library API: a Spark application of your own that trains both ShareGPT4V stages with
 * {@link Share4vTraining#fit}, the second starting from the first one's result, as the reference's two scripts are
 * chained by hand. It is in the application jar:
 *
 * <pre>{@code
 * spark-submit --class io.share4v.jobs.examples.PretrainThenFinetune APP.jar pretrain.yaml finetune.yaml OUT
 * }</pre>
 *
 * Stage 1 writes {@code OUT/stage1}, stage 2 {@code OUT/stage2}; each config's {@code run.output_dir} is replaced.
 * Stage 2's {@code model.llm} becomes stage 1's {@code final/} and {@code model.vision_tower} its trained tower,
 * {@code final/vision_tower}. Anything else (shards, batch, workers) comes from the two files. {@code OUT} is a path
 * every executor can read and write (local for {@code local[N]}, a shared file system on a cluster), because
 * stage 2 loads stage 1's result from it.
 */
public final class PretrainThenFinetune {
    private PretrainThenFinetune() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: PretrainThenFinetune PRETRAIN.yaml FINETUNE.yaml OUTPUT_DIR");
            System.exit(2);
        }
        String out = args[2];
        SparkSession spark =
                SparkSession.builder().appName("share4v-two-stages").getOrCreate();
        try {
            TrainConfig stage1 =
                    TrainConfig.load(Path.of(args[0]), Map.of("run.output_dir", out + "/stage1"), Map.of());
            Share4vTraining.Summary pretrained = Share4vTraining.fit(spark, stage1, false);
            System.out.println("stage 1: " + pretrained.describe());

            // Models load from a POSIX path every executor sees (memory-mapped safetensors): a local or shared
            // file system. A stage-1 output on HDFS or S3 has to be copied to one first.
            URI stage1Final = URI.create(pretrained.lead().finalModel());
            if (!"file".equals(stage1Final.getScheme())) {
                throw new IllegalStateException("stage 1's model is at " + stage1Final + "; stage 2 loads its starting"
                        + " model from a path every executor can read: copy it to a shared file system first");
            }
            String stage1Model = Path.of(stage1Final).toString();
            TrainConfig stage2 = TrainConfig.load(
                    Path.of(args[1]),
                    Map.of(
                            "run.output_dir", out + "/stage2",
                            "model.llm", stage1Model,
                            "model.vision_tower", stage1Model + "/" + ModelSnapshot.TOWER_DIR),
                    Map.of());
            Share4vTraining.Summary finetuned = Share4vTraining.fit(spark, stage2, false);
            System.out.println("stage 2: " + finetuned.describe());
        } finally {
            spark.stop();
        }
    }
}

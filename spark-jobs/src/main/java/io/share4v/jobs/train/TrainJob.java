package io.share4v.jobs.train;

import io.share4v.train.config.Stage;
import io.share4v.train.config.TrainConfig;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

/**
 * {@code spark-submit --class io.share4v.jobs.train.PretrainJob|FinetuneJob APP.jar --conf conf/X.yaml
 * [--set key=value]… [--resume]}: the driver of one training stage (see {@link Share4vTraining}). Each entry point
 * checks that the config is for its stage, so a stage-2 config submitted as pretraining is refused before Spark
 * starts.
 */
abstract class TrainJob {
    @Mixin
    TrainOptions options = new TrainOptions();

    /** The stage this entry point runs. */
    abstract Stage stage();

    /**
     * A wrong option prints the problem and the usage and exits with code 2 before Spark starts; a failure of the
     * run itself propagates as an exception, so spark-submit reports it with its stack trace.
     */
    static void main(TrainJob job, String name, String[] args) throws Exception {
        CommandLine cl = new CommandLine(job).setCommandName(name);
        try {
            if (CommandLine.printHelpIfRequested(cl.parseArgs(args))) {
                return;
            }
        } catch (CommandLine.ParameterException e) {
            cl.getErr().println(name + ": " + e.getMessage());
            cl.usage(cl.getErr());
            cl.getErr().flush();
            System.exit(2);
        }
        TrainConfig cfg = TrainConfig.load(job.options.conf, job.options.keys(), job.options.sets);
        if (cfg.stage() != job.stage()) {
            System.err.println(name + ": " + job.options.conf + " is a "
                    + cfg.stage().configName()
                    + " config; submit it with the " + (cfg.stage() == Stage.PRETRAIN ? "PretrainJob" : "FinetuneJob")
                    + " class");
            System.exit(2);
        }
        SparkSession spark = SparkSession.builder()
                .appName("share4v-" + cfg.stage().configName())
                .getOrCreate();
        try {
            System.out.println(
                    Share4vTraining.fit(spark, cfg, job.options.resume).describe());
        } finally {
            spark.stop();
        }
    }
}

package io.share4v.jobs.train;

import io.share4v.train.config.Stage;
import picocli.CommandLine.Command;

/** Stage 1 (pretraining on ShareGPT4V-PT) through spark-submit; see {@link TrainJob}. */
@Command(name = "PretrainJob", mixinStandardHelpOptions = true, description = "ShareGPT4V stage 1 on Spark")
public final class PretrainJob extends TrainJob {
    @Override
    Stage stage() {
        return Stage.PRETRAIN;
    }

    public static void main(String[] args) throws Exception {
        main(new PretrainJob(), "PretrainJob", args);
    }
}

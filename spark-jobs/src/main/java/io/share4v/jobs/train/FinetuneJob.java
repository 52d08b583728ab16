package io.share4v.jobs.train;

import io.share4v.train.config.Stage;
import picocli.CommandLine.Command;

/** Stage 2 (instruction tuning on the 665K mix) through spark-submit; see {@link TrainJob}. */
@Command(name = "FinetuneJob", mixinStandardHelpOptions = true, description = "ShareGPT4V stage 2 on Spark")
public final class FinetuneJob extends TrainJob {
    @Override
    Stage stage() {
        return Stage.FINETUNE;
    }

    public static void main(String[] args) throws Exception {
        main(new FinetuneJob(), "FinetuneJob", args);
    }
}

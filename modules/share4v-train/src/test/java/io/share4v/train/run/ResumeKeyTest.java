package io.share4v.train.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.share4v.train.config.TrainConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a resume must match: the gradient bucket size decides which elements each rank's optimizer shard holds, so
 * it is part of the key; overlapping the reduce-scatter changes no bit of the result, so it is not; the number of
 * workers is not either (a resume re-shards the optimizer state).
 */
class ResumeKeyTest {
    private static String key(Map<String, String> sets) throws IOException {
        return TrainingRun.resumeKey(TrainConfig.load(Path.of("../../conf/tiny-pretrain.yaml"), sets));
    }

    @Test
    void theBucketSizeIsPartOfTheKeyOverlapAndTimeoutsAreNot() throws IOException {
        String base = key(Map.of());
        assertNotEquals(base, key(Map.of("collective.bucket_mb", "1")));
        assertEquals(base, key(Map.of("collective.overlap", "false")));
        assertEquals(base, key(Map.of("collective.io_timeout", "7m")));
    }

    /** The optimizer shards are redistributed on a resume; the batch numbers that change the math stay. */
    @Test
    void theWorkerCountIsNotPartOfTheKeyTheGlobalAndMicroBatchAre() throws IOException {
        String base = key(Map.of());
        assertEquals(base, key(Map.of("batch.workers", "4")));
        assertNotEquals(base, key(Map.of("batch.global_batch_size", "16")));
        assertNotEquals(base, key(Map.of("batch.per_device_batch_size", "1")));
    }
}

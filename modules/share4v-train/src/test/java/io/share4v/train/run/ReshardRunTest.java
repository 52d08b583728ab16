package io.share4v.train.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.model.llava.LlavaLayout;
import io.share4v.model.llava.Trainable;
import io.share4v.tensor.ParamLayout;
import io.share4v.train.config.TrainConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resuming with another number of workers at equal global batch (8) and micro-batch (2): a stage-1 run of 4 steps
 * on W = 2 (accumulation 2) stopped after step 2 and resumed on W = 1 (accumulation 4) and on W = 4 (accumulation
 * 1) ends where the uninterrupted W = 2 run ends, within the N workers = 1 worker tolerance (max-norm and L2
 * relative difference over the trained elements &lt;= 1e-6; not bitwise, the micro-batch gradients are summed in
 * another grouping). Gradient buckets of 2 MiB cut the tiny model's 8 MB of parameters into several buckets, so
 * each new rank's shard is pieced together from slices of both saved shards.
 */
class ReshardRunTest {
    private static final double TOLERANCE = 1e-6;

    @TempDir
    Path dir;

    @Test
    void aRunStoppedOnTwoWorkersResumesOnOneAndOnFourWithinTheWorkerEquivalenceTolerance() throws IOException {
        Path model = RunFixture.tinyModel(dir.resolve("model"));
        Path shards = RunFixture.shards(dir.resolve("shards-plain"), 10, false);
        TrainConfig reference = config(model, shards, dir.resolve("reference"), Map.of());
        float[] want = RunFixture.run(reference, "ref").get(0).params();

        Path stopped = dir.resolve("w1");
        RunFixture.run(config(model, shards, stopped, Map.of("run.stop_after", "2")), "first");
        Path copy = dir.resolve("w4");
        copyTree(stopped, copy);

        for (Map.Entry<Integer, Path> resume : Map.of(1, stopped, 4, copy).entrySet()) {
            int world = resume.getKey();
            List<RunFixture.Outcome> outcomes = RunFixture.run(
                    config(model, shards, resume.getValue(), Map.of("batch.workers", Integer.toString(world))),
                    "resume-w" + world);
            assertEquals(world, outcomes.size());
            for (RunFixture.Outcome o : outcomes) {
                assertEquals(2, o.result().firstStep(), "W=" + world + " resumed after step 2");
                assertTrue(o.result().finished());
                assertArrayEquals(outcomes.get(0).params(), o.params(), "W=" + world + ": ranks hold equal params");
            }
            assertClose(reference, want, outcomes.get(0).params(), "W=2 stopped, resumed on W=" + world);
            try (Stream<Path> files = Files.list(resume.getValue().resolve("checkpoints/step-000004/optimizer"))) {
                assertEquals(world, files.count(), "the last checkpoint holds the new world's shards");
            }
        }
    }

    private static TrainConfig config(Path model, Path shards, Path output, Map<String, String> sets)
            throws IOException {
        Map<String, String> all = new HashMap<>(Map.of("collective.bucket_mb", "2"));
        all.putAll(sets);
        return RunFixture.config("pretrain", model, model.resolve("vision_tower"), null, shards, output, all);
    }

    /** {@code got} equals {@code want} over the trained elements within the worker-equivalence tolerance. */
    private static void assertClose(TrainConfig config, float[] want, float[] got, String what) throws IOException {
        Trainable trainable = config.trainable();
        double squares = 0;
        double squaredDifferences = 0;
        double largest = 0;
        double largestDifference = 0;
        for (ParamLayout.Entry e : LlavaLayout.of(RunModel.architecture(config)).entries()) {
            if (!trainable.trains(e.name())) {
                continue;
            }
            for (long i = e.offset(); i < e.offset() + e.size(); i++) {
                double w = want[(int) i];
                double d = Math.abs(got[(int) i] - w);
                squares += w * w;
                squaredDifferences += d * d;
                largest = Math.max(largest, Math.abs(w));
                largestDifference = Math.max(largestDifference, d);
            }
        }
        double l2 = Math.sqrt(squaredDifferences / squares);
        System.out.printf(
                "%s: max-norm relative %.1e, L2 relative %.1e of the uninterrupted W=2 run%n",
                what, largestDifference / largest, l2);
        assertTrue(largestDifference <= TOLERANCE * largest, what + ": max-norm " + largestDifference / largest);
        assertTrue(l2 <= TOLERANCE, what + ": L2 " + l2);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}

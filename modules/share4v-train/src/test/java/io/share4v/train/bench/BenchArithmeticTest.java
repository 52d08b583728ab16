package io.share4v.train.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.model.llava.LlavaLayout;
import io.share4v.train.config.Stage;
import io.share4v.train.loop.StepMetrics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The harness's arithmetic and command line, without running a model. */
class BenchArithmeticTest {
    private static final Path REPO = Path.of("../..").toAbsolutePath().normalize();

    private static StepMetrics step(long samples, long stepMs, long stallMs, long commMs, long computeMs) {
        long ms = 1_000_000;
        return new StepMetrics(
                0, 1.0, 10, samples, 1e-3, 1.0, false, stepMs * ms, stallMs * ms, commMs * ms, 0, computeMs * ms);
    }

    @Test
    void stepStatsSkipWarmupAndTakeTheSlowestRankPerStep() {
        // rank 0: warm-up step, then 2 timed steps of 100 and 300 ms; rank 1 is slower in the first timed step
        List<StepStats.Sample> r0 = List.of(
                StepStats.Sample.of(0, step(8, 5000, 0, 0, 5000), 1000),
                StepStats.Sample.of(0, step(8, 100, 10, 20, 70), 1400),
                StepStats.Sample.of(0, step(8, 300, 0, 30, 270), 1800));
        List<StepStats.Sample> r1 = List.of(
                StepStats.Sample.of(0, step(8, 4000, 0, 0, 4000), 2000),
                StepStats.Sample.of(0, step(8, 200, 20, 100, 80), 2200),
                StepStats.Sample.of(0, step(8, 200, 0, 0, 200), 2400));
        StepStats s = StepStats.of(List.of(r0, r1), 1);
        assertEquals(2, s.timedSteps());
        // wall = max(100, 200) + max(300, 200) = 500 ms for 16 samples
        assertEquals(16 / 0.5, s.samplesPerSecond(), 1e-9);
        assertEquals(250, s.stepMsMean(), 1e-9);
        assertEquals(250, s.stepMsMedian(), 1e-9);
        // rank 0: comm 50 / 400, rank 1: 100 / 400
        assertEquals(0.25, s.communication().max(), 1e-12);
        assertEquals(0.1875, s.communication().mean(), 1e-12);
        assertEquals(20 / 400.0, s.dataStall().max(), 1e-12);
        assertEquals(340 / 400.0, s.compute().max(), 1e-12);
        assertEquals((340 / 400.0 + 280 / 400.0) / 2, s.compute().mean(), 1e-12);
        // bytes from the end of the warm-up step: rank 0 800 / 2, rank 1 400 / 2
        assertEquals(400, s.bytesPerStep().max(), 1e-12);
        assertEquals(300, s.bytesPerStep().mean(), 1e-12);
    }

    @Test
    void stepStatsRefuseTooFewOrUnequalSteps() {
        List<StepStats.Sample> one = List.of(StepStats.Sample.of(0, step(1, 1, 0, 0, 1), 0));
        List<StepStats.Sample> two = new ArrayList<>(one);
        two.add(one.get(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StepStats.of(List.of(one), 1));
        assertTrue(e.getMessage().contains("warm-up"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StepStats.of(List.of(two, one), 1));
        assertTrue(e.getMessage().contains("steps per rank"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StepStats.of(List.of(two), 0));
    }

    @Test
    void optionsHaveDefaultsAndRoundTripThroughTheChildArguments() {
        BenchOptions d = BenchOptions.parse(List.of(), REPO);
        assertEquals(List.of(new BenchOptions.RankConfig(1, 2), new BenchOptions.RankConfig(2, 1)), d.configs());
        assertEquals(BenchModel.SMALL, d.model());
        assertEquals(Stage.PRETRAIN, d.stage());
        assertEquals(8, d.globalBatch());
        assertEquals(REPO.resolve("target/bench-train"), d.workDir());
        BenchOptions o = BenchOptions.parse(
                List.of(
                        "--configs",
                        "1x2,2x1,4x1",
                        "--model",
                        "tiny",
                        "--stage",
                        "stage2",
                        "--micro-batch",
                        "2",
                        "--global-batch",
                        "16",
                        "--steps",
                        "3",
                        "--warmup",
                        "1",
                        "--text-len",
                        "31",
                        "--runs",
                        "2",
                        "--backend",
                        "java",
                        "--set",
                        "collective.io_timeout=30s",
                        "--sweep",
                        "collective.overlap=false,true",
                        "--work",
                        "/tmp/w"),
                REPO);
        assertEquals(o, BenchOptions.parse(o.toArgs(), Path.of("elsewhere")));
        assertEquals(Map.of("collective.io_timeout", "30s"), o.sets());
        assertEquals(
                List.of(Map.of("collective.overlap", "false"), Map.of("collective.overlap", "true")),
                o.sweep().variants());
        assertEquals(16 * 4, o.rows());
    }

    @Test
    void optionsRefuseAnUnequalGlobalBatchAndBadSpellings() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> BenchOptions.parse(List.of("--configs", "1x2,3x1", "--global-batch", "8"), REPO));
        assertTrue(e.getMessage().contains("--global-batch") && e.getMessage().contains("3x1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(List.of("--configs", "2by1"), REPO));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(List.of("--stage", "stage3"), REPO));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(List.of("--warmup", "0"), REPO));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(List.of("--sweep", "k="), REPO));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(List.of("--steps"), REPO));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(List.of("--frobnicate", "1"), REPO));
    }

    @Test
    void smallModelHasTheShapesOfBenchModel() {
        // make_bench_model.py's small LLaVA: 49.2 M parameters, 256 image tokens
        assertEquals(49_191_936L, LlavaLayout.of(BenchModel.SMALL.config()).totalSize());
        assertEquals(256, BenchModel.SMALL.imageTokens());
    }

    @Test
    void sevenBStageOneCountsTheRealShapesAndTheRingBytes() throws Exception {
        SevenBOnPaper p = SevenBOnPaper.of(REPO.resolve("conf/pretrain-7b.yaml"));
        // Vicuna-7B 6,738,415,616 + mlp2x_gelu 20,979,712 + CLIP ViT-L/14-336 303,507,456
        assertEquals(7_062_902_784L, p.allParams());
        // LLM + projector + encoder layers 12..23 of 12,596,224 each
        assertEquals(6_738_415_616L + 20_979_712L + 12 * 12_596_224L, p.trainableParams());
        assertEquals(16, p.workers());
        assertEquals(256, p.globalBatch());
        // reduce-scatter + all-gather: 2 x 15/16 of the fp32 trainable bytes out of every rank
        assertEquals(2 * 15 / 16.0 * 4 * p.trainableParams(), p.ringBytesPerRank(), 1);
        assertEquals(p.ringBytesPerRank() / 25e9, p.ringSeconds(), 1e-9);
        assertEquals(2.07, p.ringSeconds(), 0.01);
        assertEquals(4.0 * p.trainableParams() / 25e9, p.hierarchicalSeconds(), 1e-9);
        // 12 h over ceil(1,246,900 / 256) = 4,871 steps
        assertEquals(12 * 3600 / 4871.0, p.referenceStepSeconds(), 1e-9);
        double gib = 1L << 30;
        assertEquals(4.0 * p.allParams() / gib, p.fp32().weights() / gib, 1e-9);
        assertEquals(8.0 * p.trainableParams() / 16, p.fp32().momentsShard(), 1e-3);
        assertEquals(0, p.fp32().masterShard());
        assertEquals(12.0 * p.trainableParams() / 16, p.bf16().optimizer(), 1e-3);
        assertEquals(2.0 * p.allParams(), p.bf16().weights(), 1e-3);
    }

    @Test
    void ratiosCompareEachConfigurationWithTheFirstOfItsRunAndSets() {
        List<Map<String, Object>> lines = List.of(
                Map.of("run", 1, "sets", Map.of(), "config", "1x2", "samples_per_s", 2.0),
                Map.of("run", 1, "sets", Map.of(), "config", "2x1", "samples_per_s", 1.9),
                Map.of("run", 1, "sets", Map.of("k", "v"), "config", "1x2", "samples_per_s", 4.0),
                Map.of("run", 1, "sets", Map.of("k", "v"), "config", "2x1", "samples_per_s", 2.0));
        List<Map<String, Object>> r = TrainBench.ratios(lines);
        assertEquals(2, r.size());
        assertEquals(0.95, (double) r.get(0).get("samples_per_s_ratio"), 1e-12);
        assertEquals(true, r.get(0).get("meets_goal"));
        assertEquals(0.5, (double) r.get(1).get("samples_per_s_ratio"), 1e-12);
        assertEquals(false, r.get(1).get("meets_goal"));
    }
}

package io.share4v.train.loop;

import io.share4v.model.config.ClipVisionConfig;
import io.share4v.model.config.LlamaConfig;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.config.ProjectorConfig;
import io.share4v.model.llava.Batch;
import io.share4v.model.llava.LlavaModel;
import io.share4v.model.llava.Trainable;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.JavaBackend;
import io.share4v.tensor.testing.Tensors;
import io.share4v.train.collective.BucketPlan;
import io.share4v.train.collective.LocalCluster;
import io.share4v.train.collective.TcpRingCollective;
import io.share4v.train.data.BatchSource;
import io.share4v.train.schedule.LrSchedule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * A tiny LLaVA (tower 32 wide with 3 layers on 42x42 images = 9 image tokens; LLM 64 wide with 2 layers and a
 * vocabulary of 512), random weights and batches from seeds, and N ranks training it over loopback.
 */
final class TinyRun {
    static final int MAX_SEQ = 40;
    private static final int IMAGE = 42;
    private static final int PAD = 0;

    /** Stage 1's scope on the tiny tower (its layers from 1 of 3 train) and stage 2's. */
    static final Trainable STAGE1 = Trainable.stage1(1);

    static final Trainable STAGE2 = Trainable.stage2();

    private TinyRun() {}

    static LlavaConfig config() {
        LlamaConfig llm = LlamaConfig.builder()
                .vocabSize(512)
                .hiddenSize(64)
                .intermediateSize(172)
                .numLayers(2)
                .numHeads(8)
                .numKvHeads(2)
                .rmsNormEps(1e-5)
                .maxPositionEmbeddings(256)
                .padTokenId(PAD)
                .build();
        ClipVisionConfig vision = ClipVisionConfig.builder()
                .hiddenSize(32)
                .intermediateSize(64)
                .numLayers(3)
                .numHeads(4)
                .imageSize(IMAGE)
                .patchSize(14)
                .build();
        return LlavaConfig.builder()
                .llm(llm)
                .vision(vision)
                .projector(ProjectorConfig.of("mlp2x_gelu", 32, 64))
                .visionTower("tiny-tower")
                .build();
    }

    /** A model for micro-batches of up to {@code micro} samples, weights N(0, 0.05^2) from seed 7 (norm gains ~1). */
    static LlavaModel model(Trainable trainable, int micro) {
        LlavaModel m =
                new LlavaModel(config(), LlavaModel.Options.of(micro, MAX_SEQ, micro, trainable), new JavaBackend());
        Random r = new Random(7);
        ParamLayout layout = m.layout();
        for (ParamLayout.Entry e : layout.entries()) {
            boolean gain = e.shape().length == 1
                    && e.name().endsWith("weight")
                    && e.name().contains("norm");
            double[] v = new double[Math.toIntExact(e.size())];
            for (int i = 0; i < v.length; i++) {
                v[i] = gain ? 1.0 + 0.1 * r.nextGaussian() : 0.05 * r.nextGaussian();
            }
            Tensors.assign(
                    layout.view(m.params(), e.name()),
                    Tensors.of(Tensors.java(), m.params().dtype(), v, e.shape()));
        }
        return m;
    }

    /**
     * {@code count} micro-batches of {@code micro} samples: prompts of 2..5 tokens (the first sample of each
     * micro-batch with an image token after BOS), answers of 1..8 supervised tokens, right-padded.
     */
    static List<Batch> microBatches(long seed, int count, int micro) {
        Random r = new Random(seed);
        List<Batch> out = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            int[] answers = new int[micro];
            for (int s = 0; s < micro; s++) {
                answers[s] = 1 + r.nextInt(8);
            }
            out.add(batch(r, answers));
        }
        return out;
    }

    /** One micro-batch whose samples have {@code answers[s]} supervised answer tokens (random prompts, one image). */
    static Batch batch(Random r, int... answers) {
        int micro = answers.length;
        int[][] ids = new int[micro][];
        int[][] labels = new int[micro][];
        int longest = 0;
        for (int s = 0; s < micro; s++) {
            int prompt = 2 + r.nextInt(4);
            int length = prompt + answers[s];
            ids[s] = new int[length];
            labels[s] = new int[length];
            for (int t = 0; t < length; t++) {
                ids[s][t] = t == 0 ? 1 : 3 + r.nextInt(509);
                labels[s][t] = t < prompt ? -100 : ids[s][t];
            }
            longest = Math.max(longest, length);
        }
        ids[0][1] = -200;
        for (int s = 0; s < micro; s++) {
            int n = ids[s].length;
            ids[s] = Arrays.copyOf(ids[s], longest);
            labels[s] = Arrays.copyOf(labels[s], longest);
            Arrays.fill(ids[s], n, longest, PAD);
            Arrays.fill(labels[s], n, longest, -100);
        }
        float[] pixels = new float[3 * IMAGE * IMAGE];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) r.nextGaussian();
        }
        return Batch.of(ids, labels, new float[][] {pixels});
    }

    /** Linear warmup from 0 over {@code warmup} steps, then {@code lr}: step 0 updates with lr 0, as the reference. */
    static LrSchedule warmup(double lr, int warmup) {
        return step -> step < warmup ? lr * step / warmup : lr;
    }

    /**
     * Rank {@code rank}'s contiguous share of each step's global micro-batches (global order), reporting a stall of
     * 1 ms per step.
     */
    static final class ListSource implements BatchSource {
        static final long STALL_PER_STEP = 1_000_000;

        private final List<List<Batch>> global;
        private final int rank;
        private final int world;
        private long stall;

        ListSource(List<List<Batch>> global, int rank, int world) {
            this.global = global;
            this.rank = rank;
            this.world = world;
        }

        @Override
        public List<Batch> microBatches(long step) {
            List<Batch> all = global.get((int) step);
            int share = all.size() / world;
            stall += STALL_PER_STEP;
            return all.subList(rank * share, (rank + 1) * share);
        }

        @Override
        public long stallNanos() {
            return stall;
        }

        @Override
        public void close() {}
    }

    /** What a run left on one rank. */
    record Rank(
            float[] params,
            float[] grads,
            List<StepMetrics> metrics,
            long bytesSent,
            BucketPlan buckets,
            long optimizerBytes) {}

    static TcpRingCollective.Settings settings() {
        return TcpRingCollective.Settings.defaults()
                .withConnectTimeout(Duration.ofSeconds(20))
                .withIoTimeout(Duration.ofSeconds(20))
                .withChunkBytes(4096);
    }

    /** Trains {@code world} ranks over the global micro-batches of each step, one step per list entry. */
    static List<Rank> train(
            int world, Trainable trainable, List<List<Batch>> steps, StepOptions options, LrSchedule schedule)
            throws Exception {
        return train(world, trainable, rank -> new ListSource(steps, rank, world), steps.size(), options, schedule);
    }

    static List<Rank> train(
            int world,
            Trainable trainable,
            IntFunction<BatchSource> sources,
            int steps,
            StepOptions options,
            LrSchedule schedule)
            throws Exception {
        try (LocalCluster cluster = LocalCluster.start(world, settings())) {
            return cluster.run(c -> {
                LlavaModel model = model(trainable, 2);
                try (RankStep rs = new RankStep(model, c, sources.apply(c.rank()), schedule, options)) {
                    List<StepMetrics> metrics = new ArrayList<>();
                    for (int s = 0; s < steps; s++) {
                        metrics.add(rs.step(s));
                    }
                    return new Rank(
                            floats(model.params()),
                            floats(model.grads()),
                            metrics,
                            c.bytesSent(),
                            rs.buckets(),
                            rs.optimizer().stateBytes());
                }
            });
        }
    }

    static float[] floats(Tensor t) {
        return Tensors.floats(t);
    }
}

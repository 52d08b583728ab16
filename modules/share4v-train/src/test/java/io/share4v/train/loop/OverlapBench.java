package io.share4v.train.loop;

import io.share4v.model.config.ClipVisionConfig;
import io.share4v.model.config.LlamaConfig;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.config.ProjectorConfig;
import io.share4v.model.llava.Batch;
import io.share4v.model.llava.LlavaModel;
import io.share4v.model.llava.TinyLlava;
import io.share4v.model.llava.Trainable;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.backend.Backends;
import io.share4v.train.collective.BucketPlan;
import io.share4v.train.collective.LocalCluster;
import io.share4v.train.collective.TcpRingCollective;
import io.share4v.train.data.BatchSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Step time with the gradient reduce-scatter overlapped with the backward against after it: W ranks as threads of
 * this JVM over loopback ({@link LocalCluster}) train the "small LLaVA" of {@code bin/bench-model} (LLaMA hidden 512,
 * 8 heads, 4 layers, MLP 1376, vocab 32000; CLIP ViT 224/14, hidden 256, 4 layers; mlp2x_gelu projector) from
 * random weights on random batches (each sample {@code [BOS, <image>, text ids]}, every text token supervised), at
 * equal global batch, alternating runs with {@code collective.overlap} off and on. A harness, not a test.
 *
 * <p>Prints one JSON line per run ({@code "bench":"train_overlap"}): medians over the timed steps of the slowest
 * rank's step time, and per rank (averaged over ranks) of the exposed communication ({@link
 * StepMetrics#communicationNanos}: collective calls on the step thread and waiting for buckets after the backward),
 * of the reduce-scatter time hidden behind the backward ({@link StepMetrics#overlappedCommunicationNanos}) and of
 * the compute time; then one {@code "bench":"train_overlap_summary"} line with the medians over runs per mode.
 *
 * <p>Usage: {@code OverlapBench [world=2] [global=4] [micro=1] [text=255] [steps=5] [warmup=2] [runs=2]
 * [bucket_mb=25] [scope=all|stage1|stage2] [backend=nd4j] [recompute=false]}.
 */
public final class OverlapBench {
    private OverlapBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("argument '" + a + "' is not key=value");
            }
            opts.put(a.substring(0, eq), a.substring(eq + 1));
        }
        int world = Integer.parseInt(opts.getOrDefault("world", "2"));
        int global = Integer.parseInt(opts.getOrDefault("global", "4"));
        int micro = Integer.parseInt(opts.getOrDefault("micro", "1"));
        int text = Integer.parseInt(opts.getOrDefault("text", "255"));
        int steps = Integer.parseInt(opts.getOrDefault("steps", "5"));
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "2"));
        int runs = Integer.parseInt(opts.getOrDefault("runs", "2"));
        double bucketMb = Double.parseDouble(opts.getOrDefault("bucket_mb", "25"));
        String scope = opts.getOrDefault("scope", "all");
        String backendName = opts.getOrDefault("backend", "nd4j");
        boolean recompute = Boolean.parseBoolean(opts.getOrDefault("recompute", "false"));
        if (global % (micro * world) != 0) {
            throw new IllegalArgumentException(
                    "global=" + global + " is not a multiple of micro=" + micro + " x world=" + world);
        }
        LlavaConfig config = smallLlava();
        Trainable trainable = switch (scope) {
            case "all" -> Trainable.all();
            case "stage1" -> Trainable.stage1(config.vision().numLayers() / 2);
            case "stage2" -> Trainable.stage2();
            default ->
                throw new IllegalArgumentException("scope=" + scope + " is invalid: expected all, stage1 or stage2");
        };
        int seq = text + 1 + config.imageTokens();
        List<List<Batch>> data = new ArrayList<>();
        Random random = new Random(1);
        for (int s = 0; s < warmup + steps; s++) {
            List<Batch> step = new ArrayList<>();
            for (int m = 0; m < global / micro; m++) {
                step.add(batch(random, micro, text, config));
            }
            data.add(step);
        }
        Map<Boolean, List<double[]>> byMode = new LinkedHashMap<>();
        for (int run = 0; run < runs; run++) {
            for (boolean overlap : new boolean[] {false, true}) {
                StepOptions options = StepOptions.reference().withBuckets(Math.round(bucketMb * (1 << 20)), overlap);
                double[] r = run(world, config, trainable, backendName, micro, seq, recompute, data, warmup, options);
                byMode.computeIfAbsent(overlap, k -> new ArrayList<>()).add(r);
                System.out.println(String.format(
                        Locale.ROOT,
                        "{\"bench\":\"train_overlap\",\"run\":%d,\"overlap\":%b,\"world\":%d,\"global\":%d,\"micro\":%d,"
                                + "\"seq\":%d,\"scope\":\"%s\",\"backend\":\"%s\",\"recompute\":%b,\"bucket_mb\":%s,"
                                + "\"buckets\":%d,\"steps\":%d,\"ms_per_step\":%.1f,\"exposed_comm_ms\":%.1f,"
                                + "\"overlapped_comm_ms\":%.1f,\"compute_ms\":%.1f,\"data_stall_ms\":%.1f}",
                        run + 1,
                        overlap,
                        world,
                        global,
                        micro,
                        seq,
                        scope,
                        backendName,
                        recompute,
                        bucketMb,
                        (long) r[5],
                        steps,
                        r[0],
                        r[1],
                        r[2],
                        r[3],
                        r[4]));
            }
        }
        double[] off = medians(byMode.get(false));
        double[] on = medians(byMode.get(true));
        System.out.println(String.format(
                Locale.ROOT,
                "{\"bench\":\"train_overlap_summary\",\"runs\":%d,\"off_ms_per_step\":%.1f,\"on_ms_per_step\":%.1f,"
                        + "\"speedup\":%.3f,\"off_exposed_comm_ms\":%.1f,\"on_exposed_comm_ms\":%.1f,"
                        + "\"on_overlapped_comm_ms\":%.1f,\"off_compute_ms\":%.1f,\"on_compute_ms\":%.1f}",
                runs,
                off[0],
                on[0],
                off[0] / on[0],
                off[1],
                on[1],
                on[2],
                off[3],
                on[3]));
    }

    /** The model of {@code make_bench_model.py} (MHA, 8 KV heads). */
    static LlavaConfig smallLlava() {
        LlamaConfig llm = LlamaConfig.builder()
                .vocabSize(32000)
                .hiddenSize(512)
                .intermediateSize(1376)
                .numLayers(4)
                .numHeads(8)
                .numKvHeads(8)
                .rmsNormEps(1e-5)
                .maxPositionEmbeddings(4096)
                .padTokenId(0)
                .build();
        ClipVisionConfig vision = ClipVisionConfig.builder()
                .hiddenSize(256)
                .intermediateSize(1024)
                .numLayers(4)
                .numHeads(4)
                .imageSize(224)
                .patchSize(14)
                .build();
        return LlavaConfig.builder()
                .llm(llm)
                .vision(vision)
                .projector(ProjectorConfig.of("mlp2x_gelu", 256, 512))
                .visionTower("bench-tower")
                .build();
    }

    /** {@code micro} samples {@code [BOS, <image>, text random ids]}, the text supervised, one image each. */
    private static Batch batch(Random r, int micro, int text, LlavaConfig config) {
        int[][] ids = new int[micro][text + 2];
        int[][] labels = new int[micro][text + 2];
        float[][] images = new float[micro][3 * 224 * 224];
        for (int s = 0; s < micro; s++) {
            ids[s][0] = 1;
            ids[s][1] = -200;
            labels[s][0] = -100;
            labels[s][1] = -100;
            for (int t = 2; t < text + 2; t++) {
                ids[s][t] = 3 + r.nextInt(config.llm().vocabSize() - 3);
                labels[s][t] = ids[s][t];
            }
            for (int i = 0; i < images[s].length; i++) {
                images[s][i] = (float) r.nextGaussian();
            }
        }
        return Batch.of(ids, labels, images);
    }

    /**
     * One run: every rank trains {@code warmup} + timed steps; returns the medians over timed steps of {ms per step
     * (slowest rank), exposed comm ms, overlapped comm ms, compute ms, data stall ms (rank means)} and the bucket
     * count.
     */
    private static double[] run(
            int world,
            LlavaConfig config,
            Trainable trainable,
            String backendName,
            int micro,
            int seq,
            boolean recompute,
            List<List<Batch>> data,
            int warmup,
            StepOptions options)
            throws Exception {
        try (LocalCluster cluster = LocalCluster.start(world, TcpRingCollective.Settings.defaults())) {
            List<List<StepMetrics>> perRank = cluster.run(c -> {
                Backend backend = Backends.create(backendName);
                LlavaModel model = new LlavaModel(
                        config,
                        LlavaModel.Options.of(micro, seq, micro, trainable).withRecompute(recompute),
                        backend);
                TinyLlava.randomInit(model.layout(), backend, model.params(), 7);
                BatchSource source = new TinyRun.ListSource(data, c.rank(), world);
                List<StepMetrics> metrics = new ArrayList<>();
                try (RankStep rs = new RankStep(model, c, source, step -> 1e-5, options)) {
                    for (int s = 0; s < data.size(); s++) {
                        metrics.add(rs.step(s));
                    }
                }
                return metrics;
            });
            int timed = data.size() - warmup;
            double[][] columns = new double[5][timed];
            for (int s = 0; s < timed; s++) {
                double slowest = 0;
                double[] sums = new double[4];
                for (List<StepMetrics> rank : perRank) {
                    StepMetrics m = rank.get(warmup + s);
                    slowest = Math.max(slowest, m.stepNanos() / 1e6);
                    sums[0] += m.communicationNanos() / 1e6;
                    sums[1] += m.overlappedCommunicationNanos() / 1e6;
                    sums[2] += m.computeNanos() / 1e6;
                    sums[3] += m.dataStallNanos() / 1e6;
                }
                columns[0][s] = slowest;
                for (int k = 0; k < 4; k++) {
                    columns[k + 1][s] = sums[k] / perRank.size();
                }
            }
            double[] out = new double[6];
            for (int k = 0; k < 5; k++) {
                out[k] = median(columns[k]);
            }
            out[5] = BucketPlan.of(
                            LlavaModel.layout(config).totalSize(),
                            trainable.ranges(LlavaModel.layout(config)),
                            world,
                            options.bucketBytes() / Float.BYTES)
                    .buckets()
                    .size();
            return out;
        }
    }

    private static double[] medians(List<double[]> runs) {
        double[] out = new double[runs.get(0).length];
        for (int k = 0; k < out.length; k++) {
            double[] column = new double[runs.size()];
            for (int r = 0; r < runs.size(); r++) {
                column[r] = runs.get(r)[k];
            }
            out[k] = median(column);
        }
        return out;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}

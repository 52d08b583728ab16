package io.share4v.train.bench;

import io.share4v.model.config.ClipVisionConfig;
import io.share4v.model.config.LlamaConfig;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.config.ProjectorConfig;
import io.share4v.model.llava.LlavaLayout;
import io.share4v.tensor.ParamLayout;
import io.share4v.train.config.TrainConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ShareGPT4V-7B stage 1 on 16 A100s, on paper: what our ring moves per optimizer step, how long that takes at
 * 200 Gb/s per node, and the model states per GPU, beside the reference's step time. Counts come from the real
 * shapes (Vicuna-7B v1.5: hidden 4096, MLP 11008, 32 layers, 32 heads, vocab 32000; CLIP ViT-L/14-336: hidden
 * 1024, MLP 4096, 24 layers, 16 heads, 336 px; mlp2x_gelu 1024 → 4096) and {@code conf/pretrain-7b.yaml}'s
 * trainable set (LLM, projector, vision layers ≥ 12), workers and global batch.
 *
 * <p>The ring sends fp32 and only trainable elements: per step a reduce-scatter of the gradients and an
 * all-gather of the updated parameters, each (W−1)/W of the trainable bytes out of every rank. On a flat ring every
 * link carries that much whatever the topology: 16 nodes of 1 GPU, or 2 nodes of 8 whose ring crosses between the
 * nodes once in each direction (NVLink inside a node is not the bottleneck), so each node's NIC carries one ring
 * link each way. A hierarchical all-reduce (reduce inside the node, ring between the nodes) would move only
 * 2(N−1)/N of the bytes per node for N nodes; it is given for comparison, our ring does not do it.
 *
 * <p>The reference's ≈ 8.9 s per step: its README gives "about 12 hours" on 16 A100 (80G) for stage 1, one epoch
 * of about 1,246.9K rows at global batch 256, i.e. about 4,871 steps.
 */
record SevenBOnPaper(
        long allParams,
        long trainableParams,
        int workers,
        int globalBatch,
        double ringBytesPerRank,
        double linkBytesPerSecond,
        double ringSeconds,
        double hierarchicalSeconds,
        double referenceStepSeconds,
        Memory fp32,
        Memory bf16) {

    /** Ring links at 200 Gb/s. */
    static final double LINK_BYTES_PER_SECOND = 200e9 / 8;
    /** Stage-1 rows (ShareGPT4V-PT, "1246K") and the reference's wall time on 16 A100s. */
    static final long REFERENCE_ROWS = 1_246_900;

    static final double REFERENCE_HOURS = 12;
    private static final double GIB = 1L << 30;

    /**
     * Model states per GPU, in bytes.
     *
     * @param weights        the full compute weights (fp32 master in our fp32 design; a bf16 copy otherwise)
     * @param grads          the full gradient buffer (our flat buffer spans every parameter)
     * @param masterShard    fp32 master weights of this rank's shard (0 when the full fp32 weights are the master)
     * @param momentsShard   AdamW's two fp32 moments of this rank's shard
     */
    record Memory(double weights, double grads, double masterShard, double momentsShard) {
        double optimizer() {
            return masterShard + momentsShard;
        }

        double total() {
            return weights + grads + masterShard + momentsShard;
        }

        Map<String, Object> asGib() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("weights_gib", weights / GIB);
            m.put("grads_gib", grads / GIB);
            m.put("master_shard_gib", masterShard / GIB);
            m.put("moments_shard_gib", momentsShard / GIB);
            m.put("total_gib", total() / GIB);
            return m;
        }
    }

    /** Vicuna-7B v1.5 + CLIP ViT-L/14-336 + mlp2x_gelu, as ShareGPT4V-7B. */
    static LlavaConfig architecture() {
        LlamaConfig llm = LlamaConfig.builder()
                .vocabSize(32000)
                .hiddenSize(4096)
                .intermediateSize(11008)
                .numLayers(32)
                .numHeads(32)
                .rmsNormEps(1e-5)
                .maxPositionEmbeddings(4096)
                .padTokenId(0)
                .build();
        ClipVisionConfig vision = ClipVisionConfig.builder()
                .hiddenSize(1024)
                .intermediateSize(4096)
                .numLayers(24)
                .numHeads(16)
                .imageSize(336)
                .patchSize(14)
                .build();
        return LlavaConfig.builder()
                .llm(llm)
                .vision(vision)
                .projector(ProjectorConfig.of("mlp2x_gelu", vision.hiddenSize(), llm.hiddenSize()))
                .visionTower("vision_tower")
                .build();
    }

    /** The estimate for the stage-1 config file {@code pretrain7b} ({@code conf/pretrain-7b.yaml}). */
    static SevenBOnPaper of(Path pretrain7b) throws IOException {
        TrainConfig config = TrainConfig.load(pretrain7b, Map.of());
        ParamLayout layout = LlavaLayout.of(architecture());
        long all = layout.totalSize();
        long trainable = config.trainable().ranges(layout).stream()
                .mapToLong(ParamLayout.Range::size)
                .sum();
        int w = config.batch().workers();
        int global = config.batch().globalBatchSize();
        double ringBytes = 2.0 * (w - 1) / w * Float.BYTES * trainable;
        int nodes = 2;
        double hierarchicalBytes = 2.0 * (nodes - 1) / nodes * Float.BYTES * trainable;
        long referenceSteps = (REFERENCE_ROWS + global - 1) / global;
        Memory fp32 = new Memory(
                (double) Float.BYTES * all, (double) Float.BYTES * all, 0, 2.0 * Float.BYTES * trainable / w);
        Memory bf16 = new Memory(
                2.0 * all, 2.0 * all, (double) Float.BYTES * trainable / w, 2.0 * Float.BYTES * trainable / w);
        return new SevenBOnPaper(
                all,
                trainable,
                w,
                global,
                ringBytes,
                LINK_BYTES_PER_SECOND,
                ringBytes / LINK_BYTES_PER_SECOND,
                hierarchicalBytes / LINK_BYTES_PER_SECOND,
                REFERENCE_HOURS * 3600 / referenceSteps,
                fp32,
                bf16);
    }

    /** The JSON line's fields. */
    Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bench", "7b_stage1_on_paper");
        m.put("params_all", allParams);
        m.put("params_trainable", trainableParams);
        m.put("workers", workers);
        m.put("global_batch", globalBatch);
        m.put("ring_bytes_sent_per_rank_per_step", ringBytesPerRank);
        m.put("link_gbit_per_s", linkBytesPerSecond * 8 / 1e9);
        m.put("ring_seconds_per_step", ringSeconds);
        m.put("hierarchical_2x8_seconds_per_step", hierarchicalSeconds);
        m.put("reference_seconds_per_step", referenceStepSeconds);
        m.put("ring_fraction_of_reference_step", ringSeconds / referenceStepSeconds);
        m.put("memory_fp32", fp32.asGib());
        m.put("memory_bf16_compute", bf16.asGib());
        return m;
    }

    /** A Markdown table of the estimate, for the console and docs/benchmarks.md. */
    String table() {
        StringBuilder b = new StringBuilder();
        b.append("| ShareGPT4V-7B stage 1, ")
                .append(workers)
                .append(" GPUs, global batch ")
                .append(globalBatch)
                .append(" | |\n|---|---:|\n");
        row(
                b,
                "parameters, all / trainable (LLM, projector, vision layers >= 12)",
                String.format("%,d / %,d", allParams, trainableParams));
        row(
                b,
                "ring bytes sent per rank per step (reduce-scatter + all-gather, fp32)",
                String.format("%.1f GB", ringBytesPerRank / 1e9));
        row(
                b,
                "ring time per step at " + (int) (linkBytesPerSecond * 8 / 1e9)
                        + " Gb/s per node (16 nodes x 1 GPU, or 2 x 8 with NVLink inside)",
                String.format("%.2f s", ringSeconds));
        row(
                b,
                "hierarchical all-reduce on 2 x 8, for comparison (not ours)",
                String.format("%.2f s", hierarchicalSeconds));
        row(
                b,
                "reference step (12 h / " + ((REFERENCE_ROWS + globalBatch - 1) / globalBatch) + " steps)",
                String.format("%.2f s", referenceStepSeconds));
        row(b, "ring time / reference step", String.format("%.0f %%", 100 * ringSeconds / referenceStepSeconds));
        memory(b, "fp32 (ours today: the full fp32 weights are the master)", fp32);
        memory(b, "bf16 compute copy, fp32 master sharded", bf16);
        return b.toString();
    }

    private static void memory(StringBuilder b, String label, Memory m) {
        row(
                b,
                "memory per GPU, " + label + ": weights + grads + optimizer (master + moments, / workers)",
                String.format(
                        "%.2f + %.2f + %.2f = %.2f GiB",
                        m.weights() / GIB, m.grads() / GIB, m.optimizer() / GIB, m.total() / GIB));
    }

    private static void row(StringBuilder b, String label, String value) {
        b.append("| ").append(label).append(" | ").append(value).append(" |\n");
    }
}

package io.share4v.model.llava;

import io.share4v.model.config.ClipVisionConfig;
import io.share4v.model.config.LlamaConfig;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.config.ProjectorConfig;
import io.share4v.model.io.CheckpointWriter;
import io.share4v.tensor.DType;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/**
 * A tiny LLaVA with ShareGPT4V's architecture (CLIP tower → mlp2x_gelu projector → LLaMA with GQA) and random
 * weights, for the real vocabulary of a tokenizer: what the end-to-end runs of this project (training on the
 * bundled sample, the bundle, CI) use where a 7B checkpoint cannot be downloaded. Every code path a real
 * checkpoint takes is taken; only the sizes differ (28-pixel images of 2 × 2 patches, 2 decoder layers).
 */
public final class TinyLlava {
    /** The HF initializer_range of LLaMA and CLIP: linear and embedding weights are N(0, 0.02²). */
    static final double INIT_STD = 0.02;

    private TinyLlava() {}

    /** The tiny configuration for a tokenizer of {@code vocabSize} ids (pad 0, BOS 1, EOS 2 as LLaMA's). */
    public static LlavaConfig config(int vocabSize) {
        LlamaConfig llm = LlamaConfig.builder()
                .vocabSize(vocabSize)
                .hiddenSize(32)
                .intermediateSize(64)
                .numLayers(2)
                .numHeads(4)
                .numKvHeads(2)
                .rmsNormEps(1e-5)
                .maxPositionEmbeddings(4096)
                .padTokenId(0)
                .build();
        ClipVisionConfig vision = ClipVisionConfig.builder()
                .hiddenSize(16)
                .intermediateSize(32)
                .numLayers(3) // select layer -2 uses layers 0 and 1, as ViT-L/14's -2 uses 0..22
                .numHeads(2)
                .imageSize(28)
                .patchSize(14)
                .build();
        return LlavaConfig.builder()
                .llm(llm)
                .vision(vision)
                .projector(ProjectorConfig.of("mlp2x_gelu", vision.hiddenSize(), llm.hiddenSize()))
                .visionTower(CheckpointWriter.VISION_TOWER_DIR)
                .build();
    }

    /**
     * The "small LLaVA" the benchmark harnesses time ({@code bin/bench-model}, {@code bin/bench-train},
     * {@code bin/bench-eval}): the same architecture at sizes where compute, not overhead, dominates. LLaMA hidden 512,
     * 8 heads, 4 layers, MLP 1376; CLIP ViT 224/14 (256 patches), hidden 256, 4 layers; mlp2x_gelu; 49.2 M
     * parameters with a 32000-id vocabulary.
     */
    public static LlavaConfig small(int vocabSize) {
        LlamaConfig llm = LlamaConfig.builder()
                .vocabSize(vocabSize)
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
                .projector(ProjectorConfig.of("mlp2x_gelu", vision.hiddenSize(), llm.hiddenSize()))
                .visionTower(CheckpointWriter.VISION_TOWER_DIR)
                .build();
    }

    /**
     * HF's initialisation of every tensor of {@code layout} in {@code flat} from {@code seed}: norm weights 1, biases
     * 0, everything else (linear weights, embeddings, CLIP's class and position embeddings) N(0, 0.02²).
     */
    public static void randomInit(ParamLayout layout, Backend backend, Tensor flat, long seed) {
        Random random = new Random(seed);
        for (ParamLayout.Entry e : layout.entries()) {
            float[] v = new float[Math.toIntExact(e.size())];
            String name = e.name();
            boolean norm = name.contains("norm") || name.contains("layrnorm");
            if (name.endsWith(".bias")) {
                // zeros, as allocated
            } else if (norm) {
                java.util.Arrays.fill(v, 1f);
            } else {
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (random.nextGaussian() * INIT_STD);
                }
            }
            backend.upload(flat.slice(e.offset(), e.size()), v);
        }
    }

    /**
     * Writes a tiny random model directory: {@code config.json}, {@code model.safetensors}, the tower in
     * {@code vision_tower/} (which {@code mm_vision_tower} names) and the tokenizer files of {@code tokenizerDir}.
     */
    public static void write(Path dir, Path tokenizerDir, int vocabSize, long seed, Backend backend)
            throws IOException {
        write(dir, config(vocabSize), tokenizerDir, seed, backend);
    }

    /** {@link #write(Path, Path, int, long, Backend)} for a model of any {@code config}, weights from {@code seed}. */
    public static void write(Path dir, LlavaConfig config, Path tokenizerDir, long seed, Backend backend)
            throws IOException {
        ParamLayout layout = LlavaLayout.of(config);
        Tensor flat = layout.allocate(backend, DType.FLOAT);
        randomInit(layout, backend, flat, seed);
        CheckpointWriter.write(
                dir,
                config,
                layout,
                backend,
                flat,
                new CheckpointWriter.Options(
                        CheckpointWriter.DEFAULT_MAX_SHARD_BYTES,
                        io.share4v.model.io.DType.F32,
                        tokenizerDir,
                        CheckpointWriter.VISION_TOWER_DIR));
    }
}

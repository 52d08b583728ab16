package io.share4v.model.llama;

import io.share4v.model.config.LlamaConfig;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.testing.Tensors;
import java.util.Random;

/** Tiny random LLaMA configurations and parameter fills for tests. */
public final class TinyLlama {
    private TinyLlama() {}

    /** V=40, C=16, F=24, 2 layers, 4 query heads over 2 key/value heads (GQA), D=4. */
    public static LlamaConfig config() {
        return LlamaConfig.builder()
                .vocabSize(40)
                .hiddenSize(16)
                .intermediateSize(24)
                .numLayers(2)
                .numHeads(4)
                .numKvHeads(2)
                .rmsNormEps(1e-5)
                .maxPositionEmbeddings(64)
                .padTokenId(0)
                .build();
    }

    /**
     * Weights ~ N(0, std^2); norm gains 1 + N(0, 0.1^2) (so the RMSNorm gain gradient is exercised away from 1).
     */
    public static void fill(ParamLayout layout, Tensor flat, long seed, double std) {
        Random r = new Random(seed);
        for (ParamLayout.Entry e : layout.entries()) {
            boolean gain = e.shape().length == 1
                    && e.name().endsWith("weight")
                    && e.name().contains("norm");
            double[] v = new double[Math.toIntExact(e.size())];
            for (int i = 0; i < v.length; i++) {
                v[i] = gain ? 1.0 + 0.1 * r.nextGaussian() : std * r.nextGaussian();
            }
            Tensors.assign(layout.view(flat, e.name()), Tensors.of(Tensors.java(), flat.dtype(), v, e.shape()));
        }
    }
}

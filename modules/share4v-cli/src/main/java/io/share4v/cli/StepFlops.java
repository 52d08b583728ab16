package io.share4v.cli;

import io.share4v.model.config.ClipVisionConfig;
import io.share4v.model.config.LlamaConfig;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.llava.Trainable;

/**
 * Matmul FLOPs of one training step (forward + backward), counted as bench_torch_llava.py's {@code step_flops}
 * counts them so the two sides' GFLOP/s compare: 2 per multiply-add; dense layers {@code 2 x params x tokens}
 * forward and twice that again for backward where both the input and the weight gradient are needed, once
 * where only one is; attention as full {@code T x T} squares. Embeddings, norms, softmax, elementwise work and
 * the optimizer are not counted. One difference: only the tower layers the selected hidden state depends on
 * are counted, because this model does not run the others (HF runs them, and the PyTorch side counts them).
 */
final class StepFlops {
    private StepFlops() {}

    /** GFLOP of one step over {@code batch} samples of spliced length {@code seq}, one image each. */
    static double gflop(LlavaConfig c, Trainable tr, int batch, int seq) {
        ClipVisionConfig v = c.vision();
        double patches = v.numPatches();
        double pv = v.seqLen();
        double cv = v.hiddenSize();
        double iv = v.intermediateSize();
        double total = 0;
        double convFwd = 2.0 * batch * patches * cv * 3 * v.patchSize() * v.patchSize();
        total += convFwd * (tr.vision().embeddings() ? 2 : 1);
        double layerDense = 2.0 * batch * pv * (4 * cv * cv + 2 * cv * iv);
        double layerAttn = 4.0 * batch * pv * pv * cv;
        for (int k = 0; k < c.visionLayersUsed(); k++) {
            int mult = tr.vision().layer(k) ? 3 : 1; // from the first trainable layer up, inner gradients flow
            total += (layerDense + layerAttn) * mult;
        }
        LlamaConfig l = c.llm();
        double h = l.hiddenSize();
        double projFwd = 2.0 * batch * patches * (c.projector().inFeatures() * h + h * h);
        total += projFwd * 3
                - (tr.vision().isFrozen()
                        ? 2.0 * batch * patches * c.projector().inFeatures() * h
                        : 0);
        double kv = l.kvDim();
        double tokens = (double) batch * seq;
        total += 6.0 * tokens * (2 * h * h + 2 * h * kv + 3 * h * l.intermediateSize()) * l.numLayers();
        total += 3 * 4.0 * batch * (double) seq * seq * h * l.numLayers();
        total += 6.0 * tokens * h * l.vocabSize();
        return total / 1e9;
    }
}

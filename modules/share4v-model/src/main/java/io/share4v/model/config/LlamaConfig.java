package io.share4v.model.config;

import static io.share4v.common.config.ConfigChecks.positive;
import static io.share4v.common.config.ConfigChecks.require;

import io.share4v.tensor.ops.Activation;

/**
 * HF {@code LlamaConfig} as transformers 4.31 reads it (no {@code rope_theta} key means 10000;
 * {@code num_key_value_heads} absent means = heads). Vicuna-7B: vocab 32000, hidden 4096, MLP 11008,
 * 32 layers, 32 heads, eps 1e-5, untied head.
 */
public record LlamaConfig(int vocabSize, int hiddenSize, int intermediateSize, int numLayers, int numHeads,
                          int numKvHeads, double rmsNormEps, double ropeTheta, int maxPositionEmbeddings,
                          Activation hiddenAct, boolean tieWordEmbeddings, int bosTokenId, int eosTokenId,
                          int padTokenId) {
    public LlamaConfig {
        positive("vocab_size", vocabSize);
        positive("hidden_size", hiddenSize);
        positive("intermediate_size", intermediateSize);
        positive("num_hidden_layers", numLayers);
        positive("num_attention_heads", numHeads);
        positive("num_key_value_heads", numKvHeads);
        positive("max_position_embeddings", maxPositionEmbeddings);
        require(hiddenSize % numHeads == 0, "hidden_size", hiddenSize,
                "a multiple of num_attention_heads (" + numHeads + ")");
        require((hiddenSize / numHeads) % 2 == 0, "hidden_size / num_attention_heads", hiddenSize / numHeads,
                "even (rotary embedding pairs dimensions)");
        require(numHeads % numKvHeads == 0, "num_key_value_heads", numKvHeads,
                "a divisor of num_attention_heads (" + numHeads + ")");
        require(rmsNormEps > 0, "rms_norm_eps", rmsNormEps, "> 0");
        require(ropeTheta > 0, "rope_theta", ropeTheta, "> 0");
        require(hiddenAct == Activation.SILU, "hidden_act", hiddenAct, "silu");
    }

    public int headDim() {
        return hiddenSize / numHeads;
    }

    public int kvDim() {
        return numKvHeads * headDim();
    }
}

package io.share4v.model.config;

import static io.share4v.common.config.ConfigChecks.positive;
import static io.share4v.common.config.ConfigChecks.require;

import io.share4v.tensor.ops.Activation;

/**
 * HF {@code LlamaConfig} as transformers 4.31 reads it (no {@code rope_theta} key means 10000;
 * {@code num_key_value_heads} absent means = heads). Vicuna-7B: vocab 32000, hidden 4096, MLP 11008,
 * 32 layers, 32 heads, eps 1e-5, untied head. Build one with {@link #builder()}; the record's constructor checks
 * every value either way.
 */
public record LlamaConfig(
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        double rmsNormEps,
        double ropeTheta,
        int maxPositionEmbeddings,
        Activation hiddenAct,
        boolean tieWordEmbeddings,
        int bosTokenId,
        int eosTokenId,
        int padTokenId) {
    public LlamaConfig {
        positive("vocab_size", vocabSize);
        positive("hidden_size", hiddenSize);
        positive("intermediate_size", intermediateSize);
        positive("num_hidden_layers", numLayers);
        positive("num_attention_heads", numHeads);
        positive("num_key_value_heads", numKvHeads);
        positive("max_position_embeddings", maxPositionEmbeddings);
        require(
                hiddenSize % numHeads == 0,
                "hidden_size",
                hiddenSize,
                "a multiple of num_attention_heads (" + numHeads + ")");
        require(
                (hiddenSize / numHeads) % 2 == 0,
                "hidden_size / num_attention_heads",
                hiddenSize / numHeads,
                "even (rotary embedding pairs dimensions)");
        require(
                numHeads % numKvHeads == 0,
                "num_key_value_heads",
                numKvHeads,
                "a divisor of num_attention_heads (" + numHeads + ")");
        require(rmsNormEps > 0, "rms_norm_eps", rmsNormEps, "> 0");
        require(ropeTheta > 0, "rope_theta", ropeTheta, "> 0");
        require(hiddenAct == Activation.SILU, "hidden_act", hiddenAct, "silu");
    }

    /** A builder: every setting by name, with the HF defaults below for the ones a config may omit. */
    public static Builder builder() {
        return new Builder();
    }

    public int headDim() {
        return hiddenSize / numHeads;
    }

    public int kvDim() {
        return numKvHeads * headDim();
    }

    /**
     * Named settings for a {@link LlamaConfig}. The sizes and {@code rms_norm_eps} have no default (left unset they
     * are 0 and fail the record's checks); the rest default to what transformers 4.31 assumes when
     * {@code config.json} omits the key: key/value heads = attention heads, rope_theta 10000, 2048 positions,
     * silu, untied head, bos 1, eos 2, no pad token (-1).
     */
    public static final class Builder {
        private int vocabSize;
        private int hiddenSize;
        private int intermediateSize;
        private int numLayers;
        private int numHeads;
        private Integer numKvHeads;
        private double rmsNormEps;
        private double ropeTheta = 10000.0;
        private int maxPositionEmbeddings = 2048;
        private Activation hiddenAct = Activation.SILU;
        private boolean tieWordEmbeddings;
        private int bosTokenId = 1;
        private int eosTokenId = 2;
        private int padTokenId = -1;

        private Builder() {}

        public Builder vocabSize(int v) {
            vocabSize = v;
            return this;
        }

        public Builder hiddenSize(int v) {
            hiddenSize = v;
            return this;
        }

        public Builder intermediateSize(int v) {
            intermediateSize = v;
            return this;
        }

        public Builder numLayers(int v) {
            numLayers = v;
            return this;
        }

        public Builder numHeads(int v) {
            numHeads = v;
            return this;
        }

        /** Key/value heads (grouped-query attention); unset means one per attention head. */
        public Builder numKvHeads(int v) {
            numKvHeads = v;
            return this;
        }

        public Builder rmsNormEps(double v) {
            rmsNormEps = v;
            return this;
        }

        public Builder ropeTheta(double v) {
            ropeTheta = v;
            return this;
        }

        public Builder maxPositionEmbeddings(int v) {
            maxPositionEmbeddings = v;
            return this;
        }

        public Builder hiddenAct(Activation v) {
            hiddenAct = v;
            return this;
        }

        public Builder tieWordEmbeddings(boolean v) {
            tieWordEmbeddings = v;
            return this;
        }

        public Builder bosTokenId(int v) {
            bosTokenId = v;
            return this;
        }

        public Builder eosTokenId(int v) {
            eosTokenId = v;
            return this;
        }

        public Builder padTokenId(int v) {
            padTokenId = v;
            return this;
        }

        /** The config; throws {@link IllegalArgumentException} naming the first invalid key. */
        public LlamaConfig build() {
            return new LlamaConfig(
                    vocabSize,
                    hiddenSize,
                    intermediateSize,
                    numLayers,
                    numHeads,
                    numKvHeads == null ? numHeads : numKvHeads,
                    rmsNormEps,
                    ropeTheta,
                    maxPositionEmbeddings,
                    hiddenAct,
                    tieWordEmbeddings,
                    bosTokenId,
                    eosTokenId,
                    padTokenId);
        }
    }
}

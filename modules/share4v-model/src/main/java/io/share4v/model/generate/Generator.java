package io.share4v.model.generate;

import io.share4v.data.text.LlamaTokenizer;
import io.share4v.model.config.LlamaConfig;
import io.share4v.model.llama.CachedActivations;
import io.share4v.model.llama.KvCache;
import io.share4v.model.llama.LlamaDecoder;
import io.share4v.model.llama.LlamaParams;
import io.share4v.model.llama.RopeTables;
import io.share4v.model.llava.LlavaModel;
import io.share4v.model.llava.MultimodalSplice;
import io.share4v.model.llava.SplicePlan;
import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.ops.DecodeShape;
import io.share4v.tensor.ops.Kernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * KV-cached generation with a {@link LlavaModel} (its flat parameters, vision tower and projector), prompts spliced
 * as in training and answers post-processed as the reference eval scripts do.
 *
 * <p>Prefill: the prompts' images go through {@link LlavaModel#encodeImages}, the prompts are spliced with the
 * training forward's {@link SplicePlan} and {@link MultimodalSplice}, and the decoder runs once over the whole
 * spliced batch ({@link LlamaDecoder#forwardCached}), writing every layer's rotated keys and values into the
 * {@link KvCache}. Decode: one token per live sample per step, each at its own position.
 *
 * <p>Prompts of different lengths: the prefill is right-padded to the longest spliced prompt; every sample sits at
 * positions {@code 0..len-1} exactly as if it ran alone (its padded rows are never attended to by its real rows
 * and are overwritten by its first generated tokens), and each decode step passes per-sample past lengths to
 * {@link Kernels#attentionDecode}. This is what HF {@code generate} produces for a left-padded batch when the
 * positions come from the attention mask (LLaMA's {@code prepare_inputs_for_generation}); ShareGPT4V's own batched
 * path would attend to pads (its decode steps use an all-ones mask), and its eval scripts run batch 1, so
 * "each prompt as if alone" is the behaviour reproduced. A finished sample leaves the batch: later steps compute
 * only the live samples (cache slots let them keep their blocks).
 *
 * <p>Everything is allocated at construction for {@code maxBatch} prompts of {@code maxLength} positions
 * (spliced prompt + new tokens - 1); a call that does not fit fails before any work. Not thread-safe; it shares
 * the model's vision activations, so do not interleave it with a training step of the same model.
 */
public final class Generator {
    /** Receives each sample's next-token logits before sampling (tests, debugging). */
    @FunctionalInterface
    public interface StepObserver {
        /** @param logits the raw lm_head row, valid only during the call */
        void onLogits(int sample, int step, double[] logits);
    }

    private final LlavaModel model;
    private final LlamaTokenizer tokenizer;
    private final Kernels kernels;
    private final LlamaConfig llm;
    private final LlamaParams params;
    private final int maxBatch;
    private final int maxLength;
    private final int maxPrompt;
    private final KvCache cache;
    private final CachedActivations acts;
    private final RopeTables rope;
    private final LlamaDecoder.Context ctx;
    private final Tensor logits; // [maxBatch, V]
    private final double[][] hostLogits; // [maxBatch][V]
    private final float[] logitRow; // [V] a FLOAT row on its way to hostLogits
    private final TokenSampler sampler;

    /**
     * A generator whose prompts may take any of the {@code maxLength} positions (activations for {@code maxBatch ×
     * maxLength} rows); {@link #Generator(LlavaModel, LlamaTokenizer, int, int, int)} sizes them for the prompts only.
     *
     * @param tokenizer for stop strings and answer text; may be null (ids only)
     * @param maxBatch  prompts per call
     * @param maxLength positions per prompt: spliced prompt length + max new tokens - 1
     */
    public Generator(LlavaModel model, LlamaTokenizer tokenizer, int maxBatch, int maxLength) {
        this(model, tokenizer, maxBatch, maxLength, maxLength);
    }

    /**
     * @param tokenizer for stop strings and answer text; may be null (ids only)
     * @param maxBatch  prompts per call
     * @param maxLength positions per prompt: spliced prompt length + max new tokens - 1 (the KV cache)
     * @param maxPrompt the longest spliced prompt a call may bring: only the prefill runs more than one row per sample,
     *                  so the decoder's activations are sized for {@code maxBatch × maxPrompt} rows, not {@code maxBatch
     *                  × maxLength} (for 7B at batch 8 with 1024 new tokens: 1.5 GiB instead of 3.6 GiB)
     */
    public Generator(LlavaModel model, LlamaTokenizer tokenizer, int maxBatch, int maxLength, int maxPrompt) {
        if (maxBatch < 1 || maxLength < 2 || maxPrompt < 1 || maxPrompt > maxLength) {
            throw new IllegalArgumentException("generator capacity is invalid: maxBatch = " + maxBatch
                    + " (expected >= 1), maxLength = " + maxLength + " (expected >= 2), maxPrompt = " + maxPrompt
                    + " (expected 1..maxLength)");
        }
        this.model = model;
        this.tokenizer = tokenizer;
        this.kernels = model.kernels();
        this.llm = model.config().llm();
        this.params = model.llmParams();
        this.maxBatch = maxBatch;
        this.maxLength = maxLength;
        this.maxPrompt = maxPrompt;
        if (tokenizer != null && tokenizer.vocabSize() > llm.vocabSize()) {
            throw new IllegalArgumentException("tokenizer has " + tokenizer.vocabSize()
                    + " ids but the model's vocab_size" + " is " + llm.vocabSize());
        }
        DType dt = model.options().dtype();
        Backend backend = model.backend();
        cache = new KvCache(llm, maxBatch, maxLength, backend, dt);
        acts = new CachedActivations(llm, maxBatch * maxPrompt, maxBatch, backend, dt);
        rope = new RopeTables(maxLength, llm.headDim(), llm.ropeTheta(), backend, dt);
        ctx = new LlamaDecoder.Context(llm, kernels, rope);
        logits = backend.allocate(dt, maxBatch, llm.vocabSize());
        hostLogits = new double[maxBatch][llm.vocabSize()];
        logitRow = new float[llm.vocabSize()];
        sampler = new TokenSampler(llm.vocabSize());
    }

    /**
     * Options for a {@link LlavaModel} used only for generation: no gradients, and the smallest decoder
     * capacity, since the generator keeps its own decoder buffers and uses the model for its parameters and its
     * vision tower (up to {@code maxImages} images per call).
     */
    public static LlavaModel.Options modelOptions(int maxImages, DType dtype) {
        return LlavaModel.Options.of(1, 2, maxImages, io.share4v.model.llava.Trainable.none())
                .withDtype(dtype);
    }

    public GenerationResult generate(List<Prompt> prompts, GenerationConfig cfg) {
        return generate(prompts, cfg, null);
    }

    public GenerationResult generate(List<Prompt> prompts, GenerationConfig cfg, StepObserver observer) {
        int B = prompts.size();
        if (B < 1 || B > maxBatch) {
            throw new IllegalArgumentException(B + " prompts; this generator takes 1.." + maxBatch);
        }
        StopCriteria stops = new StopCriteria(cfg.stopStrings(), tokenizer);
        int[][] ids = new int[B][];
        List<float[]> images = new ArrayList<>();
        for (int b = 0; b < B; b++) {
            ids[b] = prompts.get(b).ids();
            images.addAll(prompts.get(b).images());
        }
        // no pad id: a generation prompt is never padded, so no id of it is masked
        SplicePlan plan = SplicePlan.of(ids, null, model.config().imageTokens(), -1, llm.vocabSize());
        if (plan.seq > maxPrompt) {
            throw new IllegalArgumentException("a spliced prompt of " + plan.seq
                    + " positions exceeds the generator's max prompt length " + maxPrompt);
        }
        for (int b = 0; b < B; b++) {
            int need = plan.splicedLength[b] + cfg.maxNewTokens() - 1;
            if (need > maxLength) {
                throw new IllegalArgumentException("prompt " + b + ": spliced length " + plan.splicedLength[b]
                        + " + max_new_tokens " + cfg.maxNewTokens() + " - 1 = " + need
                        + " exceeds the generator's max length " + maxLength);
            }
        }
        SplittableRandom rng = new SplittableRandom(cfg.seed());

        // ---- prefill: images, splice, one cached pass over the padded prompt batch
        long t0 = System.nanoTime();
        Tensor features = images.isEmpty() ? null : model.encodeImages(images.toArray(float[][]::new)); // [I*P, C]
        int T = plan.seq;
        acts.shape(B * T);
        MultimodalSplice.forward(acts.x(0), params.embedTokens, features, plan, kernels);
        int[] len = Arrays.copyOf(plan.splicedLength, B);
        int[] slots = new int[B];
        Arrays.setAll(slots, b -> b);
        DecodeShape prefill = shape(T, new int[B], slots);
        LlamaDecoder.forwardCached(acts, params, ctx, cache, prefill, acts.ropeRows(rope, prefill, kernels));
        int[] lastRows = new int[B];
        Arrays.setAll(lastRows, b -> b * T + len[b] - 1);
        LlamaDecoder.logits(logits.rows(0, B), acts, lastRows, params, ctx);
        long t1 = System.nanoTime();

        // ---- decode: pick, stop, feed the live samples' tokens back
        int[][] out = new int[B][cfg.maxNewTokens()];
        int[] count = new int[B];
        FinishReason[] reason = new FinishReason[B];
        int[] live = slots.clone(); // logits row r belongs to sample live[r]
        long decodeTokens = 0;
        long decodeStart = t1;
        while (true) {
            readLogits(live.length);
            int[] next = new int[live.length];
            int alive = 0;
            for (int r = 0; r < live.length; r++) {
                int b = live[r];
                double[] row = hostLogits[r];
                if (observer != null) {
                    observer.onLogits(b, count[b], row);
                }
                int tok = sampler.next(row, cfg, rng);
                out[b][count[b]++] = tok;
                if (tok == llm.eosTokenId()) {
                    reason[b] = FinishReason.EOS;
                } else if (stops.matches(ids[b], out[b], count[b])) {
                    reason[b] = FinishReason.STOP_STRING;
                } else if (count[b] == cfg.maxNewTokens()) {
                    reason[b] = FinishReason.LENGTH;
                } else {
                    next[alive] = tok;
                    live[alive++] = b;
                }
            }
            if (alive == 0) {
                break;
            }
            live = Arrays.copyOf(live, alive);
            next = Arrays.copyOf(next, alive);
            int[] past = new int[alive];
            for (int r = 0; r < alive; r++) {
                past[r] = len[live[r]];
            }
            DecodeShape step = shape(1, past, live);
            acts.shape(alive);
            kernels.embeddingForward(acts.x(0), params.embedTokens, next);
            LlamaDecoder.forwardCached(acts, params, ctx, cache, step, acts.ropeRows(rope, step, kernels));
            int[] rows = new int[alive];
            Arrays.setAll(rows, r -> r);
            LlamaDecoder.logits(logits.rows(0, alive), acts, rows, params, ctx);
            for (int b : live) {
                len[b]++;
            }
            decodeTokens += alive;
        }
        long t2 = System.nanoTime();

        List<GeneratedSequence> seqs = new ArrayList<>(B);
        for (int b = 0; b < B; b++) {
            int[] newIds = Arrays.copyOf(out[b], count[b]);
            seqs.add(new GeneratedSequence(newIds, tokenizer == null ? null : answer(newIds, cfg), reason[b]));
        }
        return new GenerationResult(seqs, t1 - t0, t2 - decodeStart, decodeTokens);
    }

    /** The reference's post-processing with the first stop string as {@code stop_str}. */
    private String answer(int[] newIds, GenerationConfig cfg) {
        return AnswerText.of(
                tokenizer,
                newIds,
                cfg.stopStrings().isEmpty() ? null : cfg.stopStrings().get(0));
    }

    private DecodeShape shape(int n, int[] past, int[] slot) {
        return DecodeShape.perSample(n, past, slot, maxLength, llm.numHeads(), llm.numKvHeads(), llm.headDim());
    }

    /** Copies the first {@code r} logit rows to the host through the backend (one row buffer, no allocation). */
    private void readLogits(int r) {
        Backend backend = model.backend();
        for (int i = 0; i < r; i++) {
            if (logits.dtype() == DType.FLOAT) {
                backend.download(logitRow, logits.row(i));
                for (int j = 0; j < logitRow.length; j++) {
                    hostLogits[i][j] = logitRow[j];
                }
            } else {
                backend.download(hostLogits[i], logits.row(i));
            }
        }
    }

    public int maxBatch() {
        return maxBatch;
    }

    public int maxLength() {
        return maxLength;
    }

    /** The longest spliced prompt a call may bring. */
    public int maxPrompt() {
        return maxPrompt;
    }

    /** Bytes of the KV cache. */
    public long cacheBytes() {
        return cache.bytes();
    }

    /** Bytes of the KV cache, the cached-forward activations and the logits. */
    public long bytes() {
        return cache.bytes() + acts.bytes() + logits.length() * logits.dtype().bytes();
    }
}

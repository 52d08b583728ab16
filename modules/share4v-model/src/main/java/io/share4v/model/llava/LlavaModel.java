package io.share4v.model.llava;

import io.share4v.data.Tokens;
import io.share4v.model.clip.ClipActivations;
import io.share4v.model.clip.ClipLayout;
import io.share4v.model.clip.ClipVision;
import io.share4v.model.clip.ClipVisionParams;
import io.share4v.model.clip.ClipVisionPlan;
import io.share4v.model.config.ClipVisionConfig;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.llama.LlamaActivations;
import io.share4v.model.llama.LlamaDecoder;
import io.share4v.model.llama.LlamaLayout;
import io.share4v.model.llama.LlamaParams;
import io.share4v.model.llama.RopeTables;
import io.share4v.model.projector.Projector;
import io.share4v.model.projector.ProjectorActivations;
import io.share4v.model.projector.ProjectorLayout;
import io.share4v.model.projector.ProjectorParams;
import io.share4v.tensor.DType;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.ops.Kernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The whole ShareGPT4V / LLaVA-1.5 model: one flat parameter buffer and one flat gradient buffer laid out by
 * {@link #layout(LlavaConfig)} (vision tower, projector, LLM), preallocated activations for a capacity, and the
 * llm.c training step {@code forward(batch); zeroGrad(); backward()}.
 *
 * <p>Forward: images -> CLIP tower (hidden state {@code mm_vision_select_layer}, patches) -> projector ->
 * spliced into the token embeddings at every {@code -200} -> LLaMA decoder -> logits -> next-token loss.
 * Backward: from {@code d(loss)} back to every trainable range of {@link Trainable}; frozen parts get no
 * gradient work beyond the chain rule a trainable part below them needs (stage 2 never enters the tower).
 *
 * <p>Not thread-safe: one model per worker thread. B = batch, T = spliced sequence, V = vocab, C = hidden,
 * I = images, P = image feature rows.
 */
public final class LlavaModel {
    /**
     * Capacity, precision and training scope. {@code maxSeq} bounds the spliced length (text + I*(P-1));
     * {@code maxImages} the images of one micro-batch. With {@code recompute}, decoder and tower layers keep only
     * their inputs and are re-run in the backward (gradient checkpointing).
     */
    public record Options(
            int maxBatch, int maxSeq, int maxImages, boolean recompute, DType dtype, Trainable trainable) {
        public Options {
            if (maxBatch < 1 || maxSeq < 2 || maxImages < 0) {
                throw new IllegalArgumentException("model capacity is invalid: maxBatch = " + maxBatch
                        + " (expected >= 1), maxSeq = " + maxSeq + " (expected >= 2), maxImages = " + maxImages
                        + " (expected >= 0)");
            }
            if (dtype != DType.FLOAT && dtype != DType.DOUBLE) {
                throw new IllegalArgumentException("model dtype = " + dtype + " is invalid: expected FLOAT or DOUBLE");
            }
            if (trainable == null) {
                throw new IllegalArgumentException("trainable is null; use Trainable.none() for inference");
            }
        }

        /** FLOAT, no recomputation. */
        public static Options of(int maxBatch, int maxSeq, int maxImages, Trainable trainable) {
            return new Options(maxBatch, maxSeq, maxImages, false, DType.FLOAT, trainable);
        }

        public Options withRecompute(boolean on) {
            return new Options(maxBatch, maxSeq, maxImages, on, dtype, trainable);
        }

        public Options withDtype(DType dt) {
            return new Options(maxBatch, maxSeq, maxImages, recompute, dt, trainable);
        }
    }

    /**
     * One forward's results. {@code logits [B, T, V]} is a view into the activations, valid until the next
     * {@link #backward} (which overwrites it with d(logits)) or forward; {@code loss} is null without labels.
     */
    public record Output(Tensor logits, CausalLmLoss.Result loss, SplicePlan plan) {}

    private final LlavaConfig config;
    private final Options options;
    private final Backend backend;
    private final Kernels kernels;
    private final ParamLayout layout;
    private final Tensor params; // [total]
    private final Tensor grads; // [total]
    private final List<Tensor> trainableGradRanges = new ArrayList<>();

    // Gradient views come from the training scope: a frozen tensor's view is null, so the kernels skip its work.
    private final ClipVisionParams visionParams;
    private final ClipVisionParams visionGrads;
    private final ProjectorParams projectorParams;
    private final ProjectorParams projectorGrads;
    private final LlamaParams llmParams;
    private final LlamaParams llmGrads;

    private final ClipActivations visionActs; // null when maxImages == 0
    private final ProjectorActivations projectorActs;
    private final LlamaActivations llmActs;
    private final LlamaDecoder.Context llmContext;
    private final Tensor imageBuffer; // [maxImages, 3, S, S]
    private final Tensor dFeatures; // [maxImages*P, C] d(projector output)
    private final Tensor dVisionFeatures; // [maxImages*P, Cv] d(projector input)

    // Where the backward's readiness marks (GradientsReady) fall: the first flat offset of each part it finishes.
    private final long[] llmLayerStart; // [L + 1]: layer l's first tensor; [L] the final norm (lm_head follows it)
    private final long embedTokensStart;
    private final long projectorStart;
    private final long[] visionLayerStart; // [vision layers]

    private SplicePlan plan;
    private Tensor lastVisionFeatures; // [I*P, Cv] the projector's input of the last forward
    private boolean lastHadLabels;
    private boolean backwardPending;

    /** A model whose buffers live in {@code backend} and whose arithmetic is that backend's kernels. */
    public LlavaModel(LlavaConfig config, Options options, Backend backend) {
        this.config = config;
        this.options = options;
        this.backend = backend;
        this.kernels = backend.kernels();
        this.layout = layout(config);
        DType dt = options.dtype();
        this.params = layout.allocate(backend, dt);
        this.grads = layout.allocate(backend, dt);
        Trainable tr = options.trainable();
        for (ParamLayout.Range r : tr.ranges(layout)) {
            trainableGradRanges.add(grads.rows(r.start(), r.size()));
        }

        visionParams = ClipVisionParams.of(layout, config.vision(), params);
        visionGrads = ClipVisionParams.of(layout, config.vision(), grads, tr::trains);
        projectorParams = ProjectorParams.of(layout, config.projector(), params);
        projectorGrads = ProjectorParams.of(layout, config.projector(), grads, tr::trains);
        llmParams = LlamaParams.of(layout, config.llm(), params);
        llmGrads = LlamaParams.of(layout, config.llm(), grads, tr::trains);

        int P = config.imageTokens();
        int maxImages = options.maxImages();
        ClipVisionConfig vc = config.vision();
        if (maxImages > 0) {
            visionActs = new ClipActivations(
                    ClipVisionPlan.of(config, tr.vision(), options.recompute()), maxImages, backend, dt);
            projectorActs = new ProjectorActivations(config.projector(), maxImages * P, backend, dt);
            imageBuffer = backend.allocate(dt, maxImages, vc.numChannels(), vc.imageSize(), vc.imageSize());
            dFeatures = backend.allocate(dt, (long) maxImages * P, config.llm().hiddenSize());
            dVisionFeatures = backend.allocate(dt, (long) maxImages * P, vc.hiddenSize());
        } else {
            visionActs = null;
            projectorActs = null;
            imageBuffer = null;
            dFeatures = null;
            dVisionFeatures = null;
        }
        llmLayerStart = new long[config.llm().numLayers() + 1];
        for (int l = 0; l < config.llm().numLayers(); l++) {
            llmLayerStart[l] = layout.entry(LlamaLayout.q(l)).offset();
        }
        llmLayerStart[config.llm().numLayers()] = layout.entry(LlamaLayout.NORM).offset();
        embedTokensStart = layout.entry(LlamaLayout.EMBED_TOKENS).offset();
        projectorStart =
                layout.entry(ProjectorLayout.weight(config.projector(), 0)).offset();
        visionLayerStart = new long[vc.numLayers()];
        for (int l = 0; l < vc.numLayers(); l++) {
            visionLayerStart[l] =
                    layout.entry(ClipLayout.layer(l, "self_attn.k_proj.weight")).offset();
        }
        llmActs = new LlamaActivations(
                config.llm(), options.maxBatch(), options.maxSeq(), options.recompute(), backend, dt);
        llmContext = new LlamaDecoder.Context(
                config.llm(),
                kernels,
                new RopeTables(
                        options.maxSeq(), config.llm().headDim(), config.llm().ropeTheta(), backend, dt));
    }

    /** The flat-buffer layout of the whole model: vision tower, projector, LLM ({@link LlavaLayout}). */
    public static ParamLayout layout(LlavaConfig c) {
        return LlavaLayout.of(c);
    }

    // ------------------------------------------------------------------------------------------------ forward

    /** Forward of one micro-batch: logits, and the loss when the batch has labels. */
    public Output forward(Batch batch) {
        SplicePlan sp = forwardToLogits(batch);
        CausalLmLoss.Result loss = lastHadLabels ? CausalLmLoss.forward(kernels, llmActs.logits, sp) : null;
        backwardPending = lastHadLabels;
        return new Output(llmActs.logits.reshape(sp.batch, sp.seq, config.llm().vocabSize()), loss, sp);
    }

    /**
     * A training step's forward and backward of the mean loss ({@code d(loss) = 1}, normalised by the batch's
     * supervised tokens): same gradients and loss as {@link #forward} then {@link #backward()}, one pass over
     * the logits fewer (the loss's softmax writes d(logits) in place as it goes). The logits are not available
     * afterwards. Gradients accumulate into {@link #grads()} (call {@link #zeroGrad()} first).
     */
    public CausalLmLoss.Result trainStep(Batch batch) {
        return trainStep(batch, 1.0, Double.NaN);
    }

    /**
     * {@link #trainStep(Batch)} for {@code scale * lossSum / normaliser} (see {@link #backward(double, double)});
     * a NaN {@code normaliser} means this batch's supervised tokens.
     */
    public CausalLmLoss.Result trainStep(Batch batch, double scale, double normaliser) {
        return trainStep(batch, scale, normaliser, null);
    }

    /**
     * {@link #trainStep(Batch, double, double)}, telling {@code ready} (null: nobody) as the backward finishes
     * parameter gradients (see {@link GradientsReady}): after {@code lm_head} and the final norm, after each
     * decoder layer, after {@code embed_tokens}, after the projector, after each vision layer, and
     * {@code finalFrom(0)} last. The gradients are bit for bit those of a call without a listener.
     */
    public CausalLmLoss.Result trainStep(Batch batch, double scale, double normaliser, GradientsReady ready) {
        if (!options.trainable().any()) {
            throw new IllegalStateException("trainStep on a model with nothing trainable (Trainable.none())");
        }
        if (batch.labels() == null) {
            throw new IllegalArgumentException("trainStep needs a batch with labels");
        }
        SplicePlan sp = forwardToLogits(batch);
        if (sp.supervisedTokens == 0) {
            if (ready != null) {
                ready.finalFrom(0); // nothing supervised: no gradient to add (as in backward)
            }
            return CausalLmLoss.Result.of(0.0, 0);
        }
        double norm = Double.isNaN(normaliser) ? sp.supervisedTokens : normaliser;
        CausalLmLoss.Result loss = CausalLmLoss.forwardBackward(kernels, llmActs.logits, sp, scale, norm);
        backwardFromLogitGrad(sp, ready == null ? offset -> {} : ready);
        return loss;
    }

    /** Tower, projector, splice and decoder up to the logits {@code [B*T, V]}; sets the plan of this batch. */
    private SplicePlan forwardToLogits(Batch batch) {
        int P = config.imageTokens();
        SplicePlan sp = SplicePlan.of(
                batch.inputIds(),
                batch.labels(),
                P,
                config.llm().padTokenId(),
                config.llm().vocabSize());
        if (sp.images() != batch.imageCount()) {
            throw new IllegalArgumentException("batch has " + sp.images() + " image tokens ("
                    + Tokens.IMAGE_TOKEN_INDEX + ") but carries " + batch.imageCount()
                    + " images; give exactly one image per image token"
                    + " (text-only samples carry none)");
        }
        if (sp.batch > options.maxBatch() || sp.seq > options.maxSeq() || sp.images() > options.maxImages()) {
            throw new IllegalArgumentException("batch of " + sp.batch + " samples, spliced length " + sp.seq + " and "
                    + sp.images() + " images exceeds the model capacity " + options.maxBatch() + " x "
                    + options.maxSeq() + " with " + options.maxImages() + " images");
        }
        plan = sp;
        lastHadLabels = batch.labels() != null;
        backwardPending = false;

        Tensor features = null; // [I*P, C]
        lastVisionFeatures = null;
        if (sp.images() > 0) {
            features = encode(imagesOf(batch, sp.images()));
        }
        llmActs.shape(sp.batch, sp.seq);
        MultimodalSplice.forward(llmActs.x[0], llmParams.embedTokens, features, sp, kernels);
        LlamaDecoder.forward(llmActs, llmParams, llmContext, sp.attentionMask());
        return sp;
    }

    /**
     * The projected features {@code [I*P, C]} of preprocessed {@code images [I, 3, H, W]} (a view into the
     * activations, valid until the next call); what generation splices into its prompt. It reuses the tower's
     * activations, so do not call it between a training forward and its backward.
     */
    public Tensor encodeImages(Tensor images) {
        if (visionActs == null) {
            throw new IllegalStateException("this model was built with maxImages = 0");
        }
        return encode(images);
    }

    /** {@link #encodeImages(Tensor)} of preprocessed CHW pixels, one array per image (at most maxImages). */
    public Tensor encodeImages(float[][] pixels) {
        if (visionActs == null) {
            throw new IllegalStateException("this model was built with maxImages = 0");
        }
        if (pixels.length > options.maxImages()) {
            throw new IllegalArgumentException(pixels.length + " images in one call; the model was built for at most "
                    + options.maxImages() + " (LlavaModel.Options.maxImages)");
        }
        return encode(uploadPixels(pixels, pixels.length));
    }

    private Tensor encode(Tensor images) {
        lastVisionFeatures = ClipVision.forward(visionActs, visionParams, images, kernels); // [I*P, Cv]
        return Projector.forward(projectorActs, projectorParams, lastVisionFeatures, kernels); // [I*P, C]
    }

    /**
     * The batch's images as {@code [I, 3, H, W]}: a tensor the batch carries (already in this model's backend and
     * type) as it is, or the batch's pixels uploaded into the preallocated buffer.
     */
    private Tensor imagesOf(Batch batch, int count) {
        Tensor dst = imageBuffer.rows(0, count);
        ClipVisionConfig vc = config.vision();
        long perImage = (long) vc.numChannels() * vc.imageSize() * vc.imageSize();
        if (batch.images() != null) {
            Tensor src = batch.images();
            long[] want = {count, vc.numChannels(), vc.imageSize(), vc.imageSize()};
            if (!Arrays.equals(src.shape(), want)) {
                throw new IllegalArgumentException("batch images have shape " + Arrays.toString(src.shape())
                        + "; expected " + Arrays.toString(want));
            }
            if (src.dtype() != options.dtype() || !src.storage().backend().equals(backend.name())) {
                throw new IllegalArgumentException(
                        "batch images are " + src + " in " + src.storage().backend()
                                + " memory; this model needs " + options.dtype() + " tensors of the " + backend.name()
                                + " backend (or give the pixels as float arrays)");
            }
            return src;
        }
        return uploadPixels(batch.imagePixels(), count);
    }

    /** {@code count} images of CHW pixels into the preallocated image buffer, in the model's type. */
    private Tensor uploadPixels(float[][] px, int count) {
        ClipVisionConfig vc = config.vision();
        long perImage = (long) vc.numChannels() * vc.imageSize() * vc.imageSize();
        Tensor dst = imageBuffer.rows(0, count);
        for (int i = 0; i < count; i++) {
            if (px[i] == null || px[i].length != perImage) {
                throw new IllegalArgumentException("image " + i + " has " + (px[i] == null ? "no" : px[i].length)
                        + " values; expected 3*" + vc.imageSize() + "*" + vc.imageSize() + " = " + perImage);
            }
        }
        for (int i = 0; i < count; i++) {
            if (options.dtype() == DType.FLOAT) {
                backend.upload(dst.row(i), px[i]);
            } else {
                double[] d = new double[px[i].length]; // DOUBLE runs are the finite-difference checks only
                for (int j = 0; j < d.length; j++) {
                    d[j] = px[i][j];
                }
                backend.upload(dst.row(i), d);
            }
        }
        return dst;
    }

    // ------------------------------------------------------------------------------------------------ backward

    /** Backward of the last forward's mean loss ({@code d(loss) = 1}, normalised by its supervised tokens). */
    public void backward() {
        requireBackward();
        backward(1.0, plan.supervisedTokens);
    }

    /**
     * Backward of {@code scale * lossSum / normaliser}: e.g. {@code normaliser} = the supervised tokens of the
     * whole global batch for a global-token-mean loss, {@code scale} = a loss-scaling factor. Gradients
     * accumulate into {@link #grads()} (call {@link #zeroGrad()} first for a fresh step).
     */
    public void backward(double scale, double normaliser) {
        requireBackward();
        backwardPending = false;
        SplicePlan sp = plan;
        if (sp.supervisedTokens == 0) {
            return; // nothing supervised: every gradient is zero (the loss itself is NaN, as in PyTorch)
        }
        CausalLmLoss.backward(kernels, llmActs.logits, sp, scale, normaliser);
        backwardFromLogitGrad(sp, offset -> {});
    }

    /**
     * Everything below the loss, from d(logits) (already in the logits buffer) down to the trainable ranges,
     * marking readiness in {@code ready} as each part's gradients are complete (the parts in decreasing offset).
     */
    private void backwardFromLogitGrad(SplicePlan sp, GradientsReady ready) {
        boolean imagesNeedGrad =
                sp.images() > 0 && (projectorGrads.any() || visionActs.plan().hasBackward());
        boolean inputGrad = llmGrads.embedTokens != null || imagesNeedGrad;
        LlamaDecoder.backward(
                llmGrads,
                llmActs,
                llmParams,
                llmContext,
                sp.attentionMask(),
                inputGrad,
                l -> ready.finalFrom(llmLayerStart[l]));
        if (inputGrad) {
            int rows = sp.images() * config.imageTokens();
            Tensor dFeat = imagesNeedGrad ? dFeatures.rows(0, rows) : null; // [I*P, C]
            MultimodalSplice.backward(llmGrads.embedTokens, dFeat, llmActs.dres, sp, kernels);
            ready.finalFrom(embedTokensStart);
            if (imagesNeedGrad) {
                boolean intoVision = visionActs.plan().hasBackward();
                Tensor dVis = intoVision ? dVisionFeatures.rows(0, rows) : null; // [I*P, Cv]
                Projector.backward(
                        projectorGrads, dVis, projectorActs, dFeat, lastVisionFeatures, projectorParams, kernels);
                ready.finalFrom(projectorStart);
                if (intoVision) {
                    ClipVision.backward(
                            visionGrads,
                            null,
                            visionActs,
                            dVis,
                            visionParams,
                            kernels,
                            l -> ready.finalFrom(visionLayerStart[l]));
                }
            }
        }
        ready.finalFrom(0);
    }

    private void requireBackward() {
        if (!options.trainable().any()) {
            throw new IllegalStateException("backward on a model with nothing trainable (Trainable.none())");
        }
        if (plan == null || !lastHadLabels) {
            throw new IllegalStateException("backward needs a forward with labels first");
        }
        if (!backwardPending) {
            throw new IllegalStateException("backward already ran for this forward (its logits were overwritten)");
        }
    }

    /** Zeroes the gradients of the trainable ranges (the only ones the backward writes). */
    public void zeroGrad() {
        for (Tensor r : trainableGradRanges) {
            kernels.zero(r);
        }
    }

    // ------------------------------------------------------------------------------------------------ accessors

    public LlavaConfig config() {
        return config;
    }

    public Options options() {
        return options;
    }

    public Kernels kernels() {
        return kernels;
    }

    /** Where this model's tensors live. */
    public Backend backend() {
        return backend;
    }

    public ParamLayout layout() {
        return layout;
    }

    /** The flat parameter buffer (load checkpoints into it; the optimizer updates it in place). */
    public Tensor params() {
        return params;
    }

    /** The flat gradient buffer (same layout; only trainable ranges are ever written). */
    public Tensor grads() {
        return grads;
    }

    public Trainable trainable() {
        return options.trainable();
    }

    public LlamaParams llmParams() {
        return llmParams;
    }

    /** The decoder's activations (e.g. {@code x[0]} = the spliced inputs_embeds of the last forward). */
    public LlamaActivations llmActivations() {
        return llmActs;
    }

    /** The splice plan of the last forward. */
    public SplicePlan lastPlan() {
        return plan;
    }

    /** d(projector output) {@code [I*P, C]} of the last backward (valid when the images needed a gradient). */
    public Tensor imageFeatureGrad() {
        return plan == null || dFeatures == null
                ? null
                : dFeatures.rows(0, (long) plan.images() * config.imageTokens());
    }

    /** Bytes of every activation and scratch buffer (tower, projector, decoder, image buffers). */
    public long activationBytes() {
        long b = llmActs.bytes();
        if (visionActs != null) {
            b += visionActs.bytes()
                    + projectorActs.bytes()
                    + (imageBuffer.length() + dFeatures.length() + dVisionFeatures.length())
                            * options.dtype().bytes();
        }
        return b;
    }

    /** Decoder activation bytes that recomputation saves (or would save) against keeping every layer. */
    public long decoderRecomputeSavingsBytes() {
        return llmActs.recomputeSavingsBytes();
    }
}

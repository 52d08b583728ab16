package io.share4v.model.io;

import io.share4v.common.json.JsonFile;
import io.share4v.data.image.AspectMode;
import io.share4v.model.config.ClipVisionConfig;
import io.share4v.model.config.LlamaConfig;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.config.ProjectorConfig;
import io.share4v.model.config.VisionSelectFeature;
import io.share4v.tensor.ops.Activation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;

/**
 * Reads HF {@code config.json} files into the validated config records, with the defaults the reference
 * code applies when a key is absent (transformers 4.31 for {@code LlamaConfig} / {@code CLIPVisionConfig},
 * ShareGPT4V's builder for the {@code mm_*} keys). Architecture keys without a reference default are
 * required. Errors name the file and the key.
 *
 * <p>{@code mm_use_im_patch_token} defaults to true, as in the reference, and a true value is refused: the
 * reference would then add an {@code <im_patch>} token to the tokenizer and resize the embeddings and
 * {@code lm_head} to vocab+1 with a freshly random-initialised row, a token that LLaVA-1.5 prompts never
 * contain. That row cannot be reproduced and only perturbs sampling, so the released configs (and every
 * LLaVA-1.5 training script) set the key to false; a config without the key must say so explicitly.
 */
public final class HfConfigReader {
    /** {@code mm_*} keys this reader understands; any other {@code mm_*} key may change the architecture. */
    private static final Set<String> KNOWN_MM_KEYS = Set.of(
            "mm_vision_tower",
            "mm_hidden_size",
            "mm_projector_type",
            "mm_vision_select_layer",
            "mm_vision_select_feature",
            "mm_use_im_start_end",
            "mm_use_im_patch_token",
            "mm_projector_lr",
            "mm_vision_tower_lr",
            "mm_patch_merge_type");

    private static final Set<String> LLAVA_TYPES = Set.of("share4v", "llava", "llava_llama");

    private HfConfigReader() {}

    /** True when {@code dir/config.json} describes a LLaVA / ShareGPT4V model (has {@code mm_vision_tower}). */
    public static boolean isLlava(Path dir) throws IOException {
        JsonFile f = JsonFile.read(dir.resolve("config.json"), CheckpointException::new);
        return LLAVA_TYPES.contains(f.string("model_type", "")) || f.has("mm_vision_tower");
    }

    /** The LLaMA part of {@code dir/config.json} (a plain LLaMA / Vicuna config or the LLM of a LLaVA one). */
    public static LlamaConfig readLlama(Path dir) throws IOException {
        JsonFile f = JsonFile.read(dir.resolve("config.json"), CheckpointException::new);
        String type = f.string("model_type");
        if (!type.equals("llama") && !LLAVA_TYPES.contains(type)) {
            throw f.error("model_type", "not a LLaMA-family model (expected llama, share4v, llava or llava_llama)");
        }
        return llama(f);
    }

    /** A vision tower directory: a {@code CLIPVisionModel} (flat config) or a {@code CLIPModel} ({@code vision_config}). */
    public static ClipVisionConfig readVision(Path towerDir) throws IOException {
        JsonFile f = JsonFile.read(towerDir.resolve("config.json"), CheckpointException::new);
        String type = f.string("model_type");
        JsonFile v = switch (type) {
            case "clip_vision_model" -> f;
            case "clip" -> f.object("vision_config");
            default -> throw f.error("model_type", "expected clip_vision_model (CLIPVisionModel) or clip (CLIPModel)");
        };
        // transformers 4.31 CLIPVisionConfig defaults (ViT-B/32) for keys a diff-serialised config may omit.
        String act = v.string("hidden_act", "quick_gelu");
        Activation activation;
        try {
            activation = Activation.fromHf(act);
        } catch (IllegalArgumentException e) {
            throw v.error("hidden_act", e.getMessage());
        }
        return v.build(() -> ClipVisionConfig.builder()
                .hiddenSize(v.integer("hidden_size", 768))
                .intermediateSize(v.integer("intermediate_size", 3072))
                .numLayers(v.integer("num_hidden_layers", 12))
                .numHeads(v.integer("num_attention_heads", 12))
                .imageSize(v.integer("image_size", 224))
                .patchSize(v.integer("patch_size", 32))
                .numChannels(v.integer("num_channels", 3))
                .hiddenAct(activation)
                .layerNormEps(v.number("layer_norm_eps", 1e-5))
                .build());
    }

    /**
     * A LLaVA / ShareGPT4V directory: its {@code config.json} plus the vision tower's (located by
     * {@link VisionTowerResolver} from {@code mm_vision_tower} or {@code visionTowerOverride}).
     */
    public static LlavaConfig readLlava(Path modelDir, Path visionTowerOverride) throws IOException {
        JsonFile f = JsonFile.read(modelDir.resolve("config.json"), CheckpointException::new);
        String type = f.string("model_type");
        if (!LLAVA_TYPES.contains(type)) {
            throw f.error(
                    "model_type",
                    "not a LLaVA model (expected share4v, llava or llava_llama; a plain llama"
                            + " config has no vision tower)");
        }
        for (Iterator<String> it = f.node().fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (k.startsWith("mm_") && !KNOWN_MM_KEYS.contains(k)) {
                throw f.error(k, "unknown multimodal key; it may change the architecture, so it is not ignored");
            }
        }
        if (f.has("mm_patch_merge_type") && !f.string("mm_patch_merge_type").equals("flat")) {
            throw f.error("mm_patch_merge_type", "only flat (LLaVA-1.5) is supported");
        }
        LlamaConfig llm = llama(f);
        String tower = f.string("mm_vision_tower");
        Path towerDir = VisionTowerResolver.resolve(modelDir, tower, visionTowerOverride);
        ClipVisionConfig vision = readVision(towerDir);
        int mmHidden = f.integer("mm_hidden_size");
        String projectorType = f.string("mm_projector_type", "linear"); // builder.py: getattr(config, ..., 'linear')
        ProjectorConfig projector = f.build(() -> ProjectorConfig.of(projectorType, mmHidden, llm.hiddenSize()));
        int selectLayer = f.integer("mm_vision_select_layer"); // clip_encoder.py reads it without a default
        VisionSelectFeature selectFeature =
                f.enumValue("mm_vision_select_feature", VisionSelectFeature.class, VisionSelectFeature.PATCH);
        // Absent image_aspect_ratio means no padding: the processor's resize + centre crop, i.e. "square".
        AspectMode aspect = f.enumValue("image_aspect_ratio", AspectMode.class, AspectMode.SQUARE);
        boolean startEnd = f.bool("mm_use_im_start_end", false);
        boolean patchToken = f.bool("mm_use_im_patch_token", true);
        if (patchToken) {
            throw f.fail(
                    "key \"mm_use_im_patch_token\" is "
                            + (f.has("mm_use_im_patch_token")
                                    ? "true"
                                    : "absent, which the reference's builder reads as true")
                            + "; the reference would then add an <im_patch> token and resize the embeddings and lm_head to "
                            + "vocab_size + 1 with a randomly initialised row, which cannot be reproduced. LLaVA-1.5 / "
                            + "ShareGPT4V never use that token: set \"mm_use_im_patch_token\": false (as the released configs do)");
        }
        return f.build(() -> LlavaConfig.builder()
                .modelType(type)
                .llm(llm)
                .vision(vision)
                .projector(projector)
                .visionSelectLayer(selectLayer)
                .visionSelectFeature(selectFeature)
                .imageAspectRatio(aspect)
                .useImStartEnd(startEnd)
                .useImPatchToken(patchToken)
                .visionTower(tower)
                .build());
    }

    private static LlamaConfig llama(JsonFile f) {
        if (f.has("rope_scaling")) {
            throw f.error("rope_scaling", "RoPE scaling is not supported (the reference models have none)");
        }
        if (f.bool("attention_bias", false)) {
            throw f.error("attention_bias", "LLaMA attention biases are not supported");
        }
        String act = f.string("hidden_act", "silu");
        Activation activation;
        try {
            activation = Activation.fromHf(act);
        } catch (IllegalArgumentException e) {
            throw f.error("hidden_act", e.getMessage());
        }
        int heads = f.integer("num_attention_heads");
        return f.build(() -> LlamaConfig.builder()
                .vocabSize(f.integer("vocab_size"))
                .hiddenSize(f.integer("hidden_size"))
                .intermediateSize(f.integer("intermediate_size"))
                .numLayers(f.integer("num_hidden_layers"))
                .numHeads(heads)
                .numKvHeads(f.integer("num_key_value_heads", heads))
                .rmsNormEps(f.number("rms_norm_eps"))
                .ropeTheta(f.number("rope_theta", 10000.0))
                .maxPositionEmbeddings(f.integer("max_position_embeddings", 2048))
                .hiddenAct(activation)
                .tieWordEmbeddings(f.bool("tie_word_embeddings", false))
                .bosTokenId(f.integer("bos_token_id", 1))
                .eosTokenId(f.integer("eos_token_id", 2))
                .padTokenId(f.integer("pad_token_id", -1))
                .build());
    }
}

package io.share4v.eval.run;

import static io.share4v.common.config.ConfigChecks.positive;

import java.util.Objects;

/**
 * What a benchmark's reference script fixes besides the prompt: the conversation template ({@code --conv-mode}),
 * the image preprocessing and the default {@code max_new_tokens}. Decoding is always greedy ({@code temperature 0},
 * one beam) with the template's stop string, as every script runs it.
 */
public record RunnerSettings(String convMode, ImagePolicy imagePolicy, int maxNewTokens) {
    public RunnerSettings {
        Objects.requireNonNull(convMode, "convMode");
        Objects.requireNonNull(imagePolicy, "imagePolicy");
        positive("max_new_tokens", maxNewTokens);
    }

    /** {@code model_vqa_loader}: {@code vicuna_v1}, the checkpoint's aspect mode, 128 new tokens. */
    public static RunnerSettings loader() {
        return new RunnerSettings("vicuna_v1", ImagePolicy.MODEL_CONFIG, 128);
    }

    /**
     * ShareGPT4V's {@code model_vqa} (LLaVA-Bench, MM-Vet) and {@code model_vqa_science} (ScienceQA): {@code vicuna_v1},
     * {@code image_processor.preprocess} directly (centre crop, whatever the checkpoint's aspect mode), 1024 new tokens.
     */
    public static RunnerSettings vqa() {
        return new RunnerSettings("vicuna_v1", ImagePolicy.CENTRE_CROP, 1024);
    }

    /** {@code model_vqa_mmbench}: {@code vicuna_v1}, {@code process_images} (the checkpoint's aspect mode), 1024. */
    public static RunnerSettings mmbench() {
        return new RunnerSettings("vicuna_v1", ImagePolicy.MODEL_CONFIG, 1024);
    }

    /** ShareGPT4V's {@code model_vqa_qbench}: {@code share4v_v1}, {@code image_processor.preprocess} directly, 1024. */
    public static RunnerSettings qbench() {
        return new RunnerSettings("share4v_v1", ImagePolicy.CENTRE_CROP, 1024);
    }

    /** The same settings with another token budget ({@code --max-new-tokens}). */
    public RunnerSettings withMaxNewTokens(int n) {
        return new RunnerSettings(convMode, imagePolicy, n);
    }
}

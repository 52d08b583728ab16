package io.share4v.train.config;

import static io.share4v.common.config.ConfigChecks.require;

import java.util.regex.Pattern;

/**
 * Where the run's weights come from ({@code model.*}); paths may be relative to the working directory.
 *
 * @param llm                  the reference's {@code model_name_or_path}: the base LLM directory (Vicuna v1.5) in
 *                             stage 1, the stage-1 checkpoint (LLM + projector) in stage 2
 * @param visionTower          the CLIP vision tower directory: OpenAI's in stage 1, the stage-1 checkpoint's
 *                             {@code vision_tower/} in stage 2
 * @param pretrainMmMlpAdapter stage 1 only: LLaVA-1.5's {@code mm_projector.bin} the projector starts from; null
 *                             takes the projector from {@code llm} when that directory holds one
 * @param mmProjectorType      {@code linear} or {@code mlp{N}x_gelu}
 * @param mmVisionSelectLayer  the tower's hidden state fed to the projector ({@code -2}: the second to last)
 * @param tuneVitFromLayer     stage 1: encoder layers with index {@code >=} this train; null (stage 2): tower frozen
 */
public record ModelInputs(
        String llm,
        String visionTower,
        String pretrainMmMlpAdapter,
        String mmProjectorType,
        int mmVisionSelectLayer,
        Integer tuneVitFromLayer) {
    private static final Pattern PROJECTOR = Pattern.compile("linear|mlp[1-9][0-9]*x_gelu");

    public ModelInputs {
        require(
                mmProjectorType != null && PROJECTOR.matcher(mmProjectorType).matches(),
                "model.mm_projector_type",
                mmProjectorType,
                "linear or mlp{N}x_gelu (e.g. mlp2x_gelu)");
        require(
                tuneVitFromLayer == null || tuneVitFromLayer >= 0,
                "model.tune_vit_from_layer",
                tuneVitFromLayer,
                ">= 0, or null for a frozen tower");
    }
}

package io.share4v.model.llava;

import io.share4v.data.image.AspectMode;
import io.share4v.model.config.ClipVisionConfig;
import io.share4v.model.config.LlamaConfig;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.config.ProjectorConfig;
import io.share4v.model.config.VisionSelectFeature;
import io.share4v.tensor.ops.Activation;

/** The configuration of the golden tiny LLaVA (golden/tiny/manifest.json; fixtures in {@code GoldenTiny}). */
final class TinyLlava {
    private TinyLlava() {}

    /** vision 32/64, 3 layers, 4 heads, image 42, patch 14 (9 patches); LLM V=512, C=64, F=172, 2 layers, 8/2 heads. */
    static LlavaConfig config() {
        LlamaConfig llm = new LlamaConfig(512, 64, 172, 2, 8, 2, 1e-5, 10000.0, 256, Activation.SILU, false, 1, 2, 0);
        ClipVisionConfig vision = new ClipVisionConfig(32, 64, 3, 4, 42, 14, 3, Activation.QUICK_GELU, 1e-5);
        return new LlavaConfig("share4v", llm, vision, ProjectorConfig.of("mlp2x_gelu", 32, 64), -2,
                VisionSelectFeature.PATCH, AspectMode.PAD, false, false, "tiny-tower");
    }
}

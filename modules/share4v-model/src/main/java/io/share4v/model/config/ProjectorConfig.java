package io.share4v.model.config;

import static io.share4v.common.config.ConfigChecks.positive;
import static io.share4v.common.config.ConfigChecks.require;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The multimodal projector ({@code mm_projector_type}): {@code linear}, or {@code mlp{N}x_gelu} = N Linear
 * layers with exact GELU between them (Sequential indices 0, 2, 4, ...: weight names
 * {@code model.mm_projector.{2i}.weight}).
 */
public record ProjectorConfig(String type, int inFeatures, int outFeatures, int depth) {
    private static final Pattern MLP = Pattern.compile("^mlp(\\d+)x_gelu$");

    public ProjectorConfig {
        positive("mm_hidden_size", inFeatures);
        positive("hidden_size", outFeatures);
        positive("mm_projector depth", depth);
        require(depth == parseDepth(type), "mm_projector_type", type, "linear or mlp{N}x_gelu");
    }

    public static ProjectorConfig of(String type, int inFeatures, int outFeatures) {
        return new ProjectorConfig(type, inFeatures, outFeatures, parseDepth(type));
    }

    static int parseDepth(String type) {
        if ("linear".equals(type)) {
            return 1;
        }
        Matcher m = type == null ? null : MLP.matcher(type);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException(
                    "mm_projector_type = " + type + " is invalid: expected linear or mlp{N}x_gelu (e.g. mlp2x_gelu)");
        }
        return Integer.parseInt(m.group(1));
    }
}

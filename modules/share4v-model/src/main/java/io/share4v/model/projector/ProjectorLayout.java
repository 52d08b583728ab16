package io.share4v.model.projector;

import io.share4v.model.config.ProjectorConfig;
import io.share4v.tensor.ParamLayout;

/**
 * The projector's tensors with the LLaVA checkpoint names: Linear {@code i} of the chain is
 * {@code nn.Sequential} index {@code 2i} (GELUs sit at the odd indices), so {@code model.mm_projector.{2i}.weight}
 * {@code [O, in_i]} and {@code .bias [O]}, in chain order; {@code in_0} = mm_hidden_size, later ones O. The
 * {@code linear} type is a bare nn.Linear without the Sequential index.
 */
public final class ProjectorLayout {
    public static final String PREFIX = "model.mm_projector.";

    private ProjectorLayout() {}

    /** Linear {@code linear}'s weight; a {@code linear} projector is a bare nn.Linear: {@code model.mm_projector.weight}. */
    public static String weight(ProjectorConfig cfg, int linear) {
        return name(cfg, linear, "weight");
    }

    public static String bias(ProjectorConfig cfg, int linear) {
        return name(cfg, linear, "bias");
    }

    private static String name(ProjectorConfig cfg, int linear, String what) {
        return "linear".equals(cfg.type()) ? PREFIX + what : PREFIX + (2 * linear) + "." + what;
    }

    public static ParamLayout.Builder add(ParamLayout.Builder b, ProjectorConfig cfg) {
        for (int i = 0; i < cfg.depth(); i++) {
            b.add(weight(cfg, i), cfg.outFeatures(), i == 0 ? cfg.inFeatures() : cfg.outFeatures()); // [O, in_i]
            b.add(bias(cfg, i), cfg.outFeatures()); // [O]
        }
        return b;
    }

    public static boolean isProjector(String name) {
        return name.startsWith(PREFIX);
    }
}

package io.share4v.model.projector;

import io.share4v.model.config.ProjectorConfig;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.Tensor;
import java.util.function.Predicate;

/**
 * Named views of the projector's tensors in one flat buffer (parameters or, over the gradient buffer, gradients).
 * For gradients, a frozen tensor's view is {@code null}, which the kernels read as "skip this parameter's
 * gradient work".
 */
public final class ProjectorParams {
    public final ProjectorConfig config;
    public final Tensor[] weight; // [depth] x [O, in_i]
    public final Tensor[] bias; // [depth] x [O]

    private ProjectorParams(ParamLayout layout, ProjectorConfig cfg, Tensor flat, Predicate<String> present) {
        config = cfg;
        weight = new Tensor[cfg.depth()];
        bias = new Tensor[cfg.depth()];
        for (int i = 0; i < cfg.depth(); i++) {
            weight[i] = layout.view(flat, ProjectorLayout.weight(cfg, i), present);
            bias[i] = layout.view(flat, ProjectorLayout.bias(cfg, i), present);
        }
    }

    /** Views of every projector tensor in {@code flat} (the parameters). */
    public static ProjectorParams of(ParamLayout layout, ProjectorConfig cfg, Tensor flat) {
        return new ProjectorParams(layout, cfg, flat, name -> true);
    }

    /**
     * Views of the tensors {@code trains} accepts (e.g. {@code Trainable::trains}); the others are null: the
     * gradients of a frozen projector.
     */
    public static ProjectorParams of(ParamLayout layout, ProjectorConfig cfg, Tensor flat, Predicate<String> trains) {
        return new ProjectorParams(layout, cfg, flat, trains);
    }

    /** True when some tensor is present (for gradients: the projector trains). */
    public boolean any() {
        for (int i = 0; i < weight.length; i++) {
            if (weight[i] != null || bias[i] != null) {
                return true;
            }
        }
        return false;
    }
}

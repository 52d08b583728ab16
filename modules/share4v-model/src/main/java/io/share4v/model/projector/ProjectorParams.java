package io.share4v.model.projector;

import io.share4v.model.config.ProjectorConfig;
import io.share4v.tensor.ParamLayout;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Named views of the projector's tensors in one flat buffer (parameters or, over the gradient buffer, gradients). */
public final class ProjectorParams {
    public final ProjectorConfig config;
    public final INDArray[] weight; // [depth] x [O, in_i]
    public final INDArray[] bias;   // [depth] x [O]

    private ProjectorParams(ParamLayout layout, ProjectorConfig cfg, INDArray flat) {
        config = cfg;
        weight = new INDArray[cfg.depth()];
        bias = new INDArray[cfg.depth()];
        for (int i = 0; i < cfg.depth(); i++) {
            weight[i] = layout.view(flat, ProjectorLayout.weight(i));
            bias[i] = layout.view(flat, ProjectorLayout.bias(i));
        }
    }

    public static ProjectorParams view(ParamLayout layout, ProjectorConfig cfg, INDArray flat) {
        return new ProjectorParams(layout, cfg, flat);
    }
}

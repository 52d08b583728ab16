package io.share4v.model.clip;

import io.share4v.model.projector.Projector;
import io.share4v.model.projector.ProjectorActivations;
import io.share4v.model.projector.ProjectorParams;
import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.ops.Kernels;
import java.util.IdentityHashMap;
import java.util.Map;

/** Vision tower + projector over one flat parameter buffer, the way the composition chains them. */
final class TinyRun {
    final TinyClip tiny;
    final ClipVisionPlan plan;
    final ClipActivations va;
    final ProjectorActivations pa;
    final Tensor dFeatures; // [capacity feature rows, C]
    private Tensor dFeat; // leading-row view for the current batch
    Tensor features;
    // views are built once per flat buffer, as the composition does (building them costs heap)
    private final Map<Tensor, ClipVisionParams> visionViews = new IdentityHashMap<>();
    private final Map<Tensor, ProjectorParams> projectorViews = new IdentityHashMap<>();

    TinyRun(TinyClip tiny, ClipVisionPlan plan, int capacityImages, Backend backend, DType dt) {
        this.tiny = tiny;
        this.plan = plan;
        va = new ClipActivations(plan, capacityImages, backend, dt);
        int rows = capacityImages * plan.featureRows();
        pa = new ProjectorActivations(tiny.projector, rows, backend, dt);
        dFeatures = backend.allocate(dt, rows, tiny.vision.hiddenSize());
    }

    /** Projected features [B*featureRows, O]. */
    Tensor forward(Tensor params, Tensor images, Kernels k) {
        features = ClipVision.forward(va, vision(params), images, k);
        return Projector.forward(pa, projector(params), features, k);
    }

    /** Accumulates into grads; writes dimages when not null. */
    void backward(Tensor grads, Tensor dimages, Tensor dy, Tensor params, Kernels k) {
        if (dFeat == null || dFeat.size(0) != features.size(0)) {
            dFeat = dFeatures.rows(0, features.size(0));
        }
        Tensor dfeat = plan.hasBackward() ? dFeat : null;
        Projector.backward(projector(grads), dfeat, pa, dy, features, projector(params), k);
        ClipVision.backward(vision(grads), dimages, va, dfeat, vision(params), k);
    }

    ClipVisionParams vision(Tensor flat) {
        return visionViews.computeIfAbsent(flat, f -> ClipVisionParams.of(tiny.layout, tiny.vision, f));
    }

    ProjectorParams projector(Tensor flat) {
        return projectorViews.computeIfAbsent(flat, f -> ProjectorParams.of(tiny.layout, tiny.projector, f));
    }
}

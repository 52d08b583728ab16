package io.share4v.model.clip;

import io.share4v.model.projector.Projector;
import io.share4v.model.projector.ProjectorActivations;
import io.share4v.model.projector.ProjectorParams;
import io.share4v.tensor.ops.Kernels;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Vision tower + projector over one flat parameter buffer, the way the composition chains them. */
final class TinyRun {
    final TinyClip tiny;
    final ClipVisionPlan plan;
    final ClipActivations va;
    final ProjectorActivations pa;
    final INDArray dFeatures; // [capacity feature rows, C]
    private INDArray dFeat; // leading-row view for the current batch
    INDArray features;
    // views are built once per flat buffer, as the composition does (building them costs heap)
    private final java.util.Map<INDArray, ClipVisionParams> visionViews = new java.util.IdentityHashMap<>();
    private final java.util.Map<INDArray, ProjectorParams> projectorViews = new java.util.IdentityHashMap<>();

    TinyRun(TinyClip tiny, ClipVisionPlan plan, int capacityImages, DataType dt) {
        this.tiny = tiny;
        this.plan = plan;
        va = new ClipActivations(plan, capacityImages, dt);
        int rows = capacityImages * plan.featureRows();
        pa = new ProjectorActivations(tiny.projector, rows, dt);
        dFeatures = Nd4j.create(dt, rows, tiny.vision.hiddenSize());
    }

    /** Projected features [B*featureRows, O]. */
    INDArray forward(INDArray params, INDArray images, Kernels k) {
        features = ClipVision.forward(va, vision(params), images, k);
        return Projector.forward(pa, projector(params), features, k);
    }

    /** Accumulates into grads; writes dimages when not null. */
    void backward(INDArray grads, INDArray dimages, INDArray dy, INDArray params, Kernels k) {
        if (dFeat == null || dFeat.size(0) != features.size(0)) {
            dFeat = dFeatures.get(NDArrayIndex.interval(0, features.size(0)), NDArrayIndex.all());
        }
        INDArray dfeat = plan.hasBackward() ? dFeat : null;
        Projector.backward(projector(grads), dfeat, pa, dy, features, projector(params), k);
        ClipVision.backward(vision(grads), dimages, va, dfeat, vision(params), k);
    }

    ClipVisionParams vision(INDArray flat) {
        return visionViews.computeIfAbsent(flat, f -> ClipVisionParams.of(tiny.layout, tiny.vision, f));
    }

    ProjectorParams projector(INDArray flat) {
        return projectorViews.computeIfAbsent(flat, f -> ProjectorParams.of(tiny.layout, tiny.projector, f));
    }
}

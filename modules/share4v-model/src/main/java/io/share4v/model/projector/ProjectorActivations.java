package io.share4v.model.projector;

import static io.share4v.tensor.Views.leading;

import io.share4v.model.config.ProjectorConfig;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The projector's buffers for a capacity of rows (image feature rows, B*P), allocated once; smaller batches use
 * leading-row views cached per row count, so steps allocate nothing.
 *
 * <p>N = rows, O = output features (the LLM hidden size).
 */
public final class ProjectorActivations {
    final ProjectorConfig config;
    final int rows;
    final INDArray[] linear; // [depth] x [N, O] Linear outputs (the last one is the projector output)
    final INDArray[] gelu; // [depth - 1] x [N, O] GELU outputs (inputs of the next Linear)
    final INDArray dA, dB; // [N, O] ping-pong gradient buffers (null when depth == 1)
    private final ProjectorActivations[] views;

    public ProjectorActivations(ProjectorConfig cfg, int capacityRows, DataType dt) {
        if (capacityRows < 1) {
            throw new IllegalArgumentException(
                    "projector activation capacity = " + capacityRows + " rows; expected >= 1");
        }
        config = cfg;
        rows = capacityRows;
        linear = new INDArray[cfg.depth()];
        gelu = new INDArray[cfg.depth() - 1];
        for (int i = 0; i < linear.length; i++) {
            linear[i] = Nd4j.create(dt, capacityRows, cfg.outFeatures());
        }
        for (int i = 0; i < gelu.length; i++) {
            gelu[i] = Nd4j.create(dt, capacityRows, cfg.outFeatures());
        }
        dA = cfg.depth() > 1 ? Nd4j.create(dt, capacityRows, cfg.outFeatures()) : null;
        dB = cfg.depth() > 2 ? Nd4j.create(dt, capacityRows, cfg.outFeatures()) : null;
        views = new ProjectorActivations[capacityRows + 1];
        views[capacityRows] = this;
    }

    private ProjectorActivations(ProjectorActivations full, int n) {
        config = full.config;
        rows = n;
        linear = Arrays.stream(full.linear).map(a -> leading(a, n)).toArray(INDArray[]::new);
        gelu = Arrays.stream(full.gelu).map(a -> leading(a, n)).toArray(INDArray[]::new);
        dA = full.dA == null ? null : leading(full.dA, n);
        dB = full.dB == null ? null : leading(full.dB, n);
        views = null;
    }

    /** The buffers for {@code n <= capacity} rows. */
    ProjectorActivations forRows(int n) {
        if (views == null) {
            throw new IllegalStateException("forRows on a view; pass the allocated projector activations");
        }
        if (n < 1 || n > rows) {
            throw new IllegalArgumentException(n + " feature rows exceed the projector activation capacity of " + rows);
        }
        if (views[n] == null) {
            views[n] = new ProjectorActivations(this, n);
        }
        return views[n];
    }

    public int capacityRows() {
        return rows;
    }

    /** Bytes held by these buffers. */
    public long bytes() {
        long total = 0;
        for (INDArray a : linear) {
            total += a.length() * a.dataType().width();
        }
        for (INDArray a : gelu) {
            total += a.length() * a.dataType().width();
        }
        for (INDArray a : new INDArray[] {dA, dB}) {
            total += a == null ? 0 : a.length() * a.dataType().width();
        }
        return total;
    }
}

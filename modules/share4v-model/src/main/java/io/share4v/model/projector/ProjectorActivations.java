package io.share4v.model.projector;

import io.share4v.model.config.ProjectorConfig;
import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import java.util.Arrays;

/**
 * The projector's buffers for a capacity of rows (image feature rows, B*P), allocated once; smaller batches use
 * leading-row views cached per row count, so steps allocate nothing.
 *
 * <p>N = rows, O = output features (the LLM hidden size).
 */
public final class ProjectorActivations {
    final ProjectorConfig config;
    final int rows;
    final Tensor[] linear; // [depth] x [N, O] Linear outputs (the last one is the projector output)
    final Tensor[] gelu; // [depth - 1] x [N, O] GELU outputs (inputs of the next Linear)
    final Tensor dA, dB; // [N, O] ping-pong gradient buffers (null when depth == 1)
    private final ProjectorActivations[] views;

    public ProjectorActivations(ProjectorConfig cfg, int capacityRows, Backend backend, DType dt) {
        if (capacityRows < 1) {
            throw new IllegalArgumentException(
                    "projector activation capacity = " + capacityRows + " rows; expected >= 1");
        }
        config = cfg;
        rows = capacityRows;
        linear = new Tensor[cfg.depth()];
        gelu = new Tensor[cfg.depth() - 1];
        for (int i = 0; i < linear.length; i++) {
            linear[i] = backend.allocate(dt, capacityRows, cfg.outFeatures());
        }
        for (int i = 0; i < gelu.length; i++) {
            gelu[i] = backend.allocate(dt, capacityRows, cfg.outFeatures());
        }
        dA = cfg.depth() > 1 ? backend.allocate(dt, capacityRows, cfg.outFeatures()) : null;
        dB = cfg.depth() > 2 ? backend.allocate(dt, capacityRows, cfg.outFeatures()) : null;
        views = new ProjectorActivations[capacityRows + 1];
        views[capacityRows] = this;
    }

    private ProjectorActivations(ProjectorActivations full, int n) {
        config = full.config;
        rows = n;
        linear = Arrays.stream(full.linear).map(a -> a.rows(0, n)).toArray(Tensor[]::new);
        gelu = Arrays.stream(full.gelu).map(a -> a.rows(0, n)).toArray(Tensor[]::new);
        dA = full.dA == null ? null : full.dA.rows(0, n);
        dB = full.dB == null ? null : full.dB.rows(0, n);
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
        for (Tensor a : linear) {
            total += a.length() * a.dtype().bytes();
        }
        for (Tensor a : gelu) {
            total += a.length() * a.dtype().bytes();
        }
        for (Tensor a : new Tensor[] {dA, dB}) {
            total += a == null ? 0 : a.length() * a.dtype().bytes();
        }
        return total;
    }
}

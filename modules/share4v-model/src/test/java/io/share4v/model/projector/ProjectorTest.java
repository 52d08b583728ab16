package io.share4v.model.projector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.model.config.ProjectorConfig;
import io.share4v.model.llava.Trainable;
import io.share4v.tensor.DType;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.backend.Backends;
import io.share4v.tensor.ops.Kernels;
import io.share4v.tensor.testing.CountingBackend;
import io.share4v.tensor.testing.HostBackends;
import io.share4v.tensor.testing.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The projector's frozen paths (its gradients are checked against finite differences and PyTorch in the clip
 * package's tests, which run the tower and the projector together): no input gradient when the tower below is
 * frozen, no work at all when both are frozen, and the same parameter gradients either way.
 */
class ProjectorTest {
    private static final ProjectorConfig CFG = ProjectorConfig.of("mlp3x_gelu", 5, 7);
    private static final ParamLayout LAYOUT =
            ProjectorLayout.add(ParamLayout.builder(), CFG).build();

    @Test
    void layoutNamesFollowTheSequentialIndices() {
        assertEquals(
                java.util.List.of(
                        "model.mm_projector.0.weight",
                        "model.mm_projector.0.bias",
                        "model.mm_projector.2.weight",
                        "model.mm_projector.2.bias",
                        "model.mm_projector.4.weight",
                        "model.mm_projector.4.bias"),
                LAYOUT.entries().stream().map(ParamLayout.Entry::name).toList());
        assertArrayEquals(
                new long[] {7, 5}, LAYOUT.entry("model.mm_projector.0.weight").shape());
        assertArrayEquals(
                new long[] {7, 7}, LAYOUT.entry("model.mm_projector.4.weight").shape());
    }

    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void frozenTowerGetsNoInputGradientButTheSameParameterGradients(String name) {
        Backend backend = Backends.create(name);
        Kernels k = backend.kernels();
        Tensor params = random(backend, LAYOUT.totalSize(), 1, 1);
        ProjectorParams p = ProjectorParams.of(LAYOUT, CFG, params);
        ProjectorActivations acts = new ProjectorActivations(CFG, 6, backend, DType.DOUBLE);
        Tensor x = random(backend, 4, 5, 2);
        Tensor dy = random(backend, 4, 7, 3);
        Projector.forward(acts, p, x, k);

        Tensor gradsWithDx = LAYOUT.allocate(backend, DType.DOUBLE);
        Tensor dx = backend.allocate(DType.DOUBLE, 4, 5);
        Projector.backward(ProjectorParams.of(LAYOUT, CFG, gradsWithDx), dx, acts, dy, x, p, k);
        assertTrue(maxAbs(dx) > 0);

        Tensor grads = LAYOUT.allocate(backend, DType.DOUBLE);
        Projector.backward(ProjectorParams.of(LAYOUT, CFG, grads), null, acts, dy, x, p, k);
        assertArrayEquals(Tensors.doubles(gradsWithDx), Tensors.doubles(grads), 0.0);

        // frozen projector, trainable tower: the input gradient alone, identical
        Tensor dxOnly = backend.allocate(DType.DOUBLE, 4, 5);
        ProjectorParams frozen =
                ProjectorParams.of(LAYOUT, CFG, LAYOUT.allocate(backend, DType.DOUBLE), Trainable.none()::trains);
        Projector.backward(frozen, dxOnly, acts, dy, x, p, k);
        assertArrayEquals(Tensors.doubles(dx), Tensors.doubles(dxOnly), 0.0);
    }

    @Test
    void everythingFrozenDoesNoWork() {
        CountingBackend counting = new CountingBackend(Backends.create("java"));
        Kernels k = counting.kernels();
        Tensor params = random(counting, LAYOUT.totalSize(), 1, 1);
        ProjectorParams p = ProjectorParams.of(LAYOUT, CFG, params);
        ProjectorActivations acts = new ProjectorActivations(CFG, 6, counting, DType.DOUBLE);
        Tensor x = random(counting, 4, 5, 2);
        Projector.forward(acts, p, x, k);
        counting.reset();
        ProjectorParams frozen =
                ProjectorParams.of(LAYOUT, CFG, LAYOUT.allocate(counting, DType.DOUBLE), Trainable.none()::trains);
        Projector.backward(frozen, null, acts, random(counting, 4, 7, 3), x, p, k);
        assertEquals(0, counting.total());
    }

    @Test
    void wrongInputWidthNamesTheKey() {
        Backend backend = Backends.create("java");
        ProjectorActivations acts = new ProjectorActivations(CFG, 6, backend, DType.DOUBLE);
        ProjectorParams p = ProjectorParams.of(LAYOUT, CFG, random(backend, LAYOUT.totalSize(), 1, 1));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Projector.forward(acts, p, random(backend, 4, 6, 2), backend.kernels()));
        assertTrue(e.getMessage().contains("mm_hidden_size"), e.getMessage());
    }

    /** DOUBLE normal values times 0.5: a vector of {@code rows} when {@code cols == 1}, else {@code [rows, cols]}. */
    private static Tensor random(Backend backend, long rows, long cols, long seed) {
        return cols == 1
                ? Tensors.gaussian(backend, DType.DOUBLE, seed, 0.5, rows)
                : Tensors.gaussian(backend, DType.DOUBLE, seed, 0.5, rows, cols);
    }

    private static double maxAbs(Tensor x) {
        double m = 0;
        for (double v : Tensors.doubles(x)) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}

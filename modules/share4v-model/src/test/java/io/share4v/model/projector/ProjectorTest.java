package io.share4v.model.projector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.model.CountingKernels;
import io.share4v.model.config.ProjectorConfig;
import io.share4v.model.llava.Trainable;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.ops.Kernels;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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

    @Test
    void frozenTowerGetsNoInputGradientButTheSameParameterGradients() {
        Kernels k = Kernels.create("scalar");
        INDArray params = random(LAYOUT.totalSize(), 1, 1);
        ProjectorParams p = ProjectorParams.of(LAYOUT, CFG, params);
        ProjectorActivations acts = new ProjectorActivations(CFG, 6, DataType.DOUBLE);
        INDArray x = random(4, 5, 2);
        INDArray dy = random(4, 7, 3);
        Projector.forward(acts, p, x, k);

        INDArray gradsWithDx = Nd4j.zeros(DataType.DOUBLE, LAYOUT.totalSize());
        INDArray dx = Nd4j.create(DataType.DOUBLE, 4, 5);
        Projector.backward(ProjectorParams.of(LAYOUT, CFG, gradsWithDx), dx, acts, dy, x, p, k);
        assertTrue(dx.amaxNumber().doubleValue() > 0);

        INDArray grads = Nd4j.zeros(DataType.DOUBLE, LAYOUT.totalSize());
        Projector.backward(ProjectorParams.of(LAYOUT, CFG, grads), null, acts, dy, x, p, k);
        assertArrayEquals(gradsWithDx.toDoubleVector(), grads.toDoubleVector(), 0.0);

        // frozen projector, trainable tower: the input gradient alone, identical
        INDArray dxOnly = Nd4j.create(DataType.DOUBLE, 4, 5);
        ProjectorParams frozen = ProjectorParams.of(
                LAYOUT, CFG, Nd4j.zeros(DataType.DOUBLE, LAYOUT.totalSize()), Trainable.none()::trains);
        Projector.backward(frozen, dxOnly, acts, dy, x, p, k);
        assertArrayEquals(dx.data().asDouble(), dxOnly.data().asDouble(), 0.0);
    }

    @Test
    void everythingFrozenDoesNoWork() {
        CountingKernels counting = new CountingKernels(Kernels.create("scalar"));
        INDArray params = random(LAYOUT.totalSize(), 1, 1);
        ProjectorParams p = ProjectorParams.of(LAYOUT, CFG, params);
        ProjectorActivations acts = new ProjectorActivations(CFG, 6, DataType.DOUBLE);
        INDArray x = random(4, 5, 2);
        Projector.forward(acts, p, x, counting.kernels);
        counting.reset();
        ProjectorParams frozen = ProjectorParams.of(
                LAYOUT, CFG, Nd4j.zeros(DataType.DOUBLE, LAYOUT.totalSize()), Trainable.none()::trains);
        Projector.backward(frozen, null, acts, random(4, 7, 3), x, p, counting.kernels);
        assertEquals(0, counting.total());
    }

    @Test
    void wrongInputWidthNamesTheKey() {
        ProjectorActivations acts = new ProjectorActivations(CFG, 6, DataType.DOUBLE);
        ProjectorParams p = ProjectorParams.of(LAYOUT, CFG, random(LAYOUT.totalSize(), 1, 1));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Projector.forward(acts, p, random(4, 6, 2), Kernels.create("scalar")));
        assertTrue(e.getMessage().contains("mm_hidden_size"), e.getMessage());
    }

    private static INDArray random(long rows, long cols, long seed) {
        Random r = new Random(seed);
        double[] v = new double[(int) (rows * cols)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian() * 0.5;
        }
        INDArray a = Nd4j.createFromArray(v);
        return cols == 1 ? a : a.reshape('c', rows, cols);
    }
}

package io.share4v.train.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.testing.Tensors;
import io.share4v.train.collective.LocalCluster;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class ParameterCheckTest {
    private static final int SIZE = 1001;

    @Test
    void identicalParametersPass() throws Exception {
        assertEquals(
                List.of(true, true, true),
                check(3, rank -> Tensors.gaussian(RunFixture.BACKEND, DType.FLOAT, 5, 1.0, SIZE)));
    }

    @Test
    void oneDifferingBitFailsEveryRank() throws Exception {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> check(3, rank -> {
                    Tensor t = Tensors.gaussian(RunFixture.BACKEND, DType.FLOAT, 5, 1.0, SIZE);
                    if (rank == 2) {
                        float v = t.floats().get(500);
                        t.floats().put(500, Float.intBitsToFloat(Float.floatToRawIntBits(v) ^ 1));
                    }
                    return t;
                }));
        assertTrue(e.getMessage().contains("the ranks start from different parameters (rank 0 of 3"), e.getMessage());
        assertEquals(2, e.getSuppressed().length, "ranks 1 and 2 fail too");
    }

    private static List<Boolean> check(int world, IntFunction<Tensor> params) throws Exception {
        try (LocalCluster cluster = LocalCluster.start(world, RunFixture.settings())) {
            return cluster.run(c -> {
                ParameterCheck.requireIdentical(params.apply(c.rank()), RunFixture.BACKEND, c);
                return true;
            });
        }
    }
}

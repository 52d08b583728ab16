package io.share4v.model.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.share4v.tensor.ops.Kernels;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.AllocationsTracker;
import org.nd4j.linalg.api.memory.enums.AllocationKind;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Repeated forward/backward steps allocate no new array memory: every buffer is preallocated, batches smaller
 * than the capacity use cached views. Measured with ND4J's allocation tracker (bytes of live data buffers,
 * which only ever grows unless arrays are released), with the scalar kernels so only this code is measured.
 */
class ClipAllocationTest {
    @Test
    void stepsAllocateNoArrays() {
        Kernels k = TestKernels.create("scalar");
        TinyClip tiny = TinyClip.standard();
        DataType dt = DataType.FLOAT;
        for (boolean recompute : new boolean[] {false, true}) {
            TinyRun run = new TinyRun(tiny, new ClipVisionPlan(tiny.vision, 2, false, ClipTrainable.all(), recompute), 3, dt);
            INDArray params = tiny.randomParams(dt, 1);
            INDArray grads = tiny.zeros(dt);
            INDArray[] images = {tiny.randomImages(dt, 3, 2), tiny.randomImages(dt, 1, 3), tiny.randomImages(dt, 2, 4)};
            INDArray[] dimages = {images[0].like(), images[1].like(), images[2].like()};
            INDArray[] dy = new INDArray[3];
            for (int i = 0; i < 3; i++) {
                dy[i] = TinyClip.random(dt, images[i].size(0) * 4, 6, 5 + i);
            }
            // warm-up: every batch size once (creates the cached views)
            for (int i = 0; i < 3; i++) {
                run.forward(params, images[i], k);
                run.backward(grads, dimages[i], dy[i], params, k);
            }
            long before = allocated();
            for (int step = 0; step < 100; step++) {
                int i = step % 3;
                run.forward(params, images[i], k);
                run.backward(grads, dimages[i], dy[i], params, k);
            }
            long after = allocated();
            System.out.printf("allocation tracker (recompute=%s): %d bytes before 100 steps, %d after%n", recompute,
                    before, after);
            assertEquals(before, after, "array bytes allocated during 100 steps (recompute=" + recompute + ")");
        }
    }

    private static long allocated() {
        long total = 0;
        for (AllocationKind kind : AllocationKind.values()) {
            total += AllocationsTracker.getInstance().bytesOnDevice(kind, 0);
        }
        return total;
    }
}

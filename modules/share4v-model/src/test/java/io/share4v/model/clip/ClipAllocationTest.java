package io.share4v.model.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.tensor.ops.Kernels;
import io.share4v.tensor.testing.HostKernels;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Repeated forward/backward steps allocate no array memory: every buffer is preallocated and batches smaller than
 * the capacity use cached views. The probe: after a warm-up (every batch size once), 100 steps run inside an ND4J
 * workspace, which captures every array the calling thread creates; its allocation counters must stay at zero.
 */
class ClipAllocationTest {
    private static final WorkspaceConfiguration PROBE = WorkspaceConfiguration.builder()
            .initialSize(8L << 20)
            .policyAllocation(AllocationPolicy.STRICT)
            .policyLearning(LearningPolicy.NONE)
            .build();

    @Test
    void theProbeSeesAnAllocation() {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(PROBE, "probe-self-check")) {
            Nd4j.create(DataType.FLOAT, 1000);
            assertTrue(ws.getPrimaryOffset() >= 4000, "offset " + ws.getPrimaryOffset());
        }
    }

    /** Java heap the model code itself allocates per step (view objects), with kernels that do nothing. */
    @Test
    void modelCodeHeapPerStep() {
        Kernels noop = (Kernels) java.lang.reflect.Proxy.newProxyInstance(
                Kernels.class.getClassLoader(),
                new Class<?>[] {Kernels.class},
                (proxy, method, args) -> method.getReturnType() == double.class ? 0.0 : null);
        TinyClip tiny = TinyClip.standard();
        DataType dt = DataType.FLOAT;
        TinyRun run = new TinyRun(tiny, new ClipVisionPlan(tiny.vision, 2, false, ClipTrainable.all(), false), 3, dt);
        INDArray params = tiny.randomParams(dt, 1);
        INDArray grads = tiny.zeros(dt);
        INDArray images = tiny.randomImages(dt, 2, 2);
        INDArray dimages = images.like();
        INDArray dy = TinyClip.random(dt, 8, 6, 5);
        for (int step = 0; step < 10; step++) {
            run.forward(params, images, noop);
            run.backward(grads, dimages, dy, params, noop);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int step = 0; step < 100; step++) {
            run.forward(params, images, noop);
            run.backward(grads, dimages, dy, params, noop);
        }
        long perStep = (threads.getCurrentThreadAllocatedBytes() - before) / 100;
        System.out.printf(
                "model code alone (no-op kernels): %d bytes of Java heap per step, 2 images, 2 layers%n", perStep);
        assertTrue(perStep < 1 << 20, "per-step heap " + perStep);
    }

    @ParameterizedTest
    @MethodSource(HostKernels.ALL)
    void stepsAllocateNoArrays(String name) {
        Kernels k = Kernels.create(name);
        TinyClip tiny = TinyClip.standard();
        DataType dt = DataType.FLOAT;
        for (boolean recompute : new boolean[] {false, true}) {
            TinyRun run =
                    new TinyRun(tiny, new ClipVisionPlan(tiny.vision, 2, false, ClipTrainable.all(), recompute), 3, dt);
            INDArray params = tiny.randomParams(dt, 1);
            INDArray grads = tiny.zeros(dt);
            INDArray[] images = {tiny.randomImages(dt, 3, 2), tiny.randomImages(dt, 1, 3), tiny.randomImages(dt, 2, 4)};
            INDArray[] dimages = {images[0].like(), images[1].like(), images[2].like()};
            INDArray[] dy = new INDArray[3];
            for (int i = 0; i < 3; i++) {
                dy[i] = TinyClip.random(dt, images[i].size(0) * 4, 6, 5 + i);
            }
            for (int i = 0; i < 3; i++) { // warm-up: every batch size once (creates the cached views)
                run.forward(params, images[i], k);
                run.backward(grads, dimages[i], dy[i], params, k);
            }
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long heapBefore = threads.getCurrentThreadAllocatedBytes();
            long arrays;
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(PROBE, "vision-probe")) {
                for (int step = 0; step < 100; step++) {
                    int i = step % 3;
                    run.forward(params, images[i], k);
                    run.backward(grads, dimages[i], dy[i], params, k);
                }
                arrays = ws.getPrimaryOffset() + ws.getThisCycleAllocations();
            }
            long heapPerStep = (threads.getCurrentThreadAllocatedBytes() - heapBefore) / 100;
            System.out.printf(
                    "%s recompute=%s: %d bytes of arrays allocated in 100 steps; %d bytes of Java heap "
                            + "(view objects) per step%n",
                    name, recompute, arrays, heapPerStep);
            assertEquals(0, arrays, name + " recompute=" + recompute + ": arrays allocated during 100 steps");
        }
    }
}

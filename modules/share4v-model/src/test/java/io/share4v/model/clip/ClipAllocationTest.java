package io.share4v.model.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.backend.Backends;
import io.share4v.tensor.ops.Kernels;
import io.share4v.tensor.testing.CountingBackend;
import io.share4v.tensor.testing.HostBackends;
import io.share4v.tensor.testing.Tensors;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Repeated forward/backward steps allocate no tensors: every buffer is preallocated and batches smaller than the
 * capacity use cached views. The probe: the run is built on a {@link CountingBackend}, which counts every tensor
 * allocated through it; after a warm-up (every batch size once) the count must not move over 100 steps.
 */
class ClipAllocationTest {
    @Test
    void theProbeSeesAnAllocation() {
        CountingBackend probe = new CountingBackend(Backends.create("java"));
        probe.allocate(DType.FLOAT, 1000);
        assertEquals(1, probe.allocations());
        assertTrue(probe.allocatedBytes() >= 4000, "bytes " + probe.allocatedBytes());
    }

    /** Java heap the model code itself allocates per step (view objects), with kernels that do nothing. */
    @Test
    void modelCodeHeapPerStep() {
        Kernels noop = (Kernels) java.lang.reflect.Proxy.newProxyInstance(
                Kernels.class.getClassLoader(),
                new Class<?>[] {Kernels.class},
                (proxy, method, args) -> method.getReturnType() == double.class ? 0.0 : null);
        Backend backend = Backends.create("java");
        TinyClip tiny = TinyClip.standard();
        DType dt = DType.FLOAT;
        TinyRun run = new TinyRun(
                tiny, new ClipVisionPlan(tiny.vision, 2, false, ClipTrainable.all(), false), 3, backend, dt);
        Tensor params = tiny.randomParams(backend, dt, 1);
        Tensor grads = tiny.zeros(backend, dt);
        Tensor images = tiny.randomImages(backend, dt, 2, 2);
        Tensor dimages = Tensors.zerosLike(backend, images);
        Tensor dy = TinyClip.random(backend, dt, 8, 6, 5);
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
    @MethodSource(HostBackends.ALL)
    void stepsAllocateNoTensors(String name) {
        Backend host = Backends.create(name);
        CountingBackend backend = new CountingBackend(host);
        // the kernels unwrapped: the counting proxy would add its own heap to the per-step figure
        Kernels k = host.kernels();
        TinyClip tiny = TinyClip.standard();
        DType dt = DType.FLOAT;
        for (boolean recompute : new boolean[] {false, true}) {
            TinyRun run = new TinyRun(
                    tiny, new ClipVisionPlan(tiny.vision, 2, false, ClipTrainable.all(), recompute), 3, backend, dt);
            Tensor params = tiny.randomParams(backend, dt, 1);
            Tensor grads = tiny.zeros(backend, dt);
            Tensor[] images = {
                tiny.randomImages(backend, dt, 3, 2),
                tiny.randomImages(backend, dt, 1, 3),
                tiny.randomImages(backend, dt, 2, 4)
            };
            Tensor[] dimages = new Tensor[3];
            Tensor[] dy = new Tensor[3];
            for (int i = 0; i < 3; i++) {
                dimages[i] = Tensors.zerosLike(backend, images[i]);
                dy[i] = TinyClip.random(backend, dt, images[i].size(0) * 4, 6, 5 + i);
            }
            for (int i = 0; i < 3; i++) { // warm-up: every batch size once (creates the cached views)
                run.forward(params, images[i], k);
                run.backward(grads, dimages[i], dy[i], params, k);
            }
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long heapBefore = threads.getCurrentThreadAllocatedBytes();
            long tensorsBefore = backend.allocations();
            long bytesBefore = backend.allocatedBytes();
            for (int step = 0; step < 100; step++) {
                int i = step % 3;
                run.forward(params, images[i], k);
                run.backward(grads, dimages[i], dy[i], params, k);
            }
            long tensors = backend.allocations() - tensorsBefore;
            long bytes = backend.allocatedBytes() - bytesBefore;
            long heapPerStep = (threads.getCurrentThreadAllocatedBytes() - heapBefore) / 100;
            System.out.printf(
                    "%s recompute=%s: %d tensors (%d bytes) allocated in 100 steps; %d bytes of Java heap "
                            + "(view objects) per step%n",
                    name, recompute, tensors, bytes, heapPerStep);
            assertEquals(0, tensors, name + " recompute=" + recompute + ": tensors allocated during 100 steps");
        }
    }
}

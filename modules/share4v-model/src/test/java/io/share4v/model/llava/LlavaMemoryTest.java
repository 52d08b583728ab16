package io.share4v.model.llava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.model.config.ClipVisionConfig;
import io.share4v.model.config.LlamaConfig;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.config.ProjectorConfig;
import io.share4v.model.llama.TinyLlama;
import io.share4v.tensor.DType;
import io.share4v.tensor.backend.Backends;
import io.share4v.tensor.testing.CountingBackend;
import io.share4v.tensor.testing.HostBackends;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Training steps allocate no tensors, so off-heap memory after 100 steps equals memory after 10 (tensor memory is
 * off-heap and freed only by GC, which heap pressure never triggers, so any per-step allocation grows without
 * bound). Two probes:
 * <ol>
 *   <li>exact: the model on a backend that counts every tensor it allocates; after a warm-up that runs every batch
 *       shape once, 100 more steps must allocate none (both host backends, with and without recomputation);</li>
 *   <li>coarse: the process's physical memory (JavaCPP's RSS reading) after step 10 and after step 100 of a model
 *       whose logits alone are 4 MB per step, so a leaked activation would add hundreds of MB while the JVM heap's
 *       page noise stays within the allowance.</li>
 * </ol>
 */
class LlavaMemoryTest {
    @ParameterizedTest
    @MethodSource(HostBackends.ALL)
    void stepsAllocateNoTensors(String backendName) {
        for (boolean recompute : new boolean[] {false, true}) {
            CountingBackend counting = new CountingBackend(Backends.create(backendName));
            LlavaModel m = LlavaModelTest.model(counting, DType.FLOAT, Trainable.all(), recompute);
            Batch[] batches = {
                LlavaModelTest.batch(m),
                Batch.text(
                        new int[][] {{1, 5, 6, 7, 2}, {1, 9, 2, 0, 0}},
                        new int[][] {{-100, 5, 6, 7, 2}, {-100, 9, 2, -100, -100}}),
                Batch.of(
                        new int[][] {{1, -200, 4, 2}}, new int[][] {{-100, -100, 4, 2}}, LlavaModelTest.images(m, 1, 9))
            };
            for (int step = 0; step < 10; step++) {
                step(m, batches[step % batches.length]);
            }
            long tensors = counting.allocations();
            long bytes = counting.allocatedBytes();
            long heap = threadHeap();
            for (int step = 0; step < 100; step++) {
                step(m, batches[step % batches.length]);
            }
            long heapPerStep = (threadHeap() - heap) / 100;
            tensors = counting.allocations() - tensors;
            bytes = counting.allocatedBytes() - bytes;
            System.out.printf(
                    "memory %s recompute=%s: %d tensors (%d bytes) allocated in 100 steps (3 batch shapes);"
                            + " %d bytes of Java heap per step, counting proxy included%n",
                    backendName, recompute, tensors, bytes, heapPerStep);
            assertEquals(0, tensors, backendName + " recompute=" + recompute + ": tensors allocated during 100 steps");
        }
    }

    @Test
    void physicalMemoryAfter100StepsEqualsMemoryAfter10() {
        // vision 64 wide, 2 layers, 16 patches; LLM V=4096, C=128, 2 layers, GQA 4/2; batch 4 x 64 tokens
        LlamaConfig llm = LlamaConfig.builder()
                .vocabSize(4096)
                .hiddenSize(128)
                .intermediateSize(256)
                .numLayers(2)
                .numHeads(4)
                .numKvHeads(2)
                .rmsNormEps(1e-5)
                .maxPositionEmbeddings(256)
                .padTokenId(0)
                .build();
        ClipVisionConfig vision = ClipVisionConfig.builder()
                .hiddenSize(64)
                .intermediateSize(128)
                .numLayers(2)
                .numHeads(4)
                .imageSize(56)
                .patchSize(14)
                .build();
        LlavaConfig cfg = LlavaConfig.builder()
                .llm(llm)
                .vision(vision)
                .projector(ProjectorConfig.of("mlp2x_gelu", 64, 128))
                .visionTower("tower")
                .build();
        LlavaModel m =
                new LlavaModel(cfg, LlavaModel.Options.of(4, 64, 4, Trainable.stage1(1)), Backends.create("nd4j"));
        TinyLlama.fill(m.layout(), m.params(), 3, 0.05);
        Random r = new Random(1);
        int[][] ids = new int[4][49];
        int[][] labels = new int[4][49];
        for (int b = 0; b < 4; b++) {
            for (int t = 0; t < 49; t++) {
                ids[b][t] = t == 1 ? -200 : 3 + r.nextInt(4000);
                labels[b][t] = t < 2 ? -100 : ids[b][t];
            }
        }
        Batch batch = Batch.of(ids, labels, LlavaModelTest.images(m, 4, 56, 2));
        for (int step = 0; step < 10; step++) {
            step(m, batch);
        }
        long rss10 = rssAfterGc();
        for (int step = 10; step < 100; step++) {
            step(m, batch);
        }
        long rss100 = rssAfterGc();
        long logitsBytes = 4L * 64 * 4096 * 4;
        System.out.printf(
                "memory nd4j (V=4096, 4x64 tokens, 4 images): physical %.1f MB after 10 steps, %.1f MB after"
                        + " 100 (%+.1f MB; one step's logits are %.1f MB, activations %.1f MB)%n",
                rss10 / 1e6, rss100 / 1e6, (rss100 - rss10) / 1e6, logitsBytes / 1e6, m.activationBytes() / 1e6);
        assertTrue(rss100 - rss10 < 32L << 20, "physical memory grew by " + (rss100 - rss10) + " bytes in 90 steps");
    }

    /** Java heap this thread has allocated so far (the model's view and scratch objects, for the printout). */
    private static long threadHeap() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static long rssAfterGc() {
        System.gc();
        System.gc();
        return Pointer.physicalBytes();
    }

    private static void step(LlavaModel m, Batch b) {
        LlavaModel.Output out = m.forward(b);
        assertTrue(Double.isFinite(out.loss().mean()));
        m.zeroGrad();
        m.backward();
    }
}

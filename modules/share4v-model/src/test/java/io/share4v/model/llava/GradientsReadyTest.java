package io.share4v.model.llava;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.model.clip.ClipLayout;
import io.share4v.model.llama.LlamaLayout;
import io.share4v.tensor.DType;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.testing.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The backward's readiness marks ({@link GradientsReady}): non-increasing, ending at 0, and true: after each mark
 * every gradient at or above it already holds its value at the end of the backward, in the training scopes of
 * both stages, with and without recomputation. A listener changes no gradient bit.
 */
class GradientsReadyTest {
    static Stream<Arguments> scopes() {
        List<Arguments> out = new ArrayList<>();
        for (boolean recompute : new boolean[] {false, true}) {
            out.add(Arguments.of("stage 1 (tower from layer 1)", Trainable.stage1(1), recompute));
            out.add(Arguments.of("stage 2 (tower frozen)", Trainable.stage2(), recompute));
        }
        return out.stream();
    }

    /** A mark and the whole gradient buffer when it was given. */
    private record Mark(long offset, float[] grads) {}

    @ParameterizedTest(name = "{0}, recompute {2}")
    @MethodSource("scopes")
    void marksAreMonotoneEndAtZeroAndEveryGradientAboveAMarkIsFinal(
            String scope, Trainable trainable, boolean recompute) {
        LlavaModel plain = LlavaModelTest.model("java", DType.FLOAT, trainable, recompute);
        LlavaModel hooked = LlavaModelTest.model("java", DType.FLOAT, trainable, recompute);
        Batch batch = LlavaModelTest.batch(plain);
        // a first micro-batch accumulated without a listener: the marks speak of the sum, not of one backward
        for (LlavaModel m : List.of(plain, hooked)) {
            m.zeroGrad();
            m.trainStep(batch, 0.5, Double.NaN);
        }
        plain.trainStep(batch, 0.5, Double.NaN);
        List<Mark> marks = new ArrayList<>();
        hooked.trainStep(batch, 0.5, Double.NaN, offset -> marks.add(new Mark(offset, Tensors.floats(hooked.grads()))));
        float[] end = Tensors.floats(hooked.grads());
        assertArrayEquals(Tensors.floats(plain.grads()), end, 0f, "a listener changes no gradient bit");

        ParamLayout layout = hooked.layout();
        int llmLayers = hooked.config().llm().numLayers();
        // head + norm, each decoder layer, embed_tokens, projector, the trained tower layers (stage 1), 0
        int towerMarks = trainable.vision().isFrozen() ? 0 : 1; // layer 1 trains; layer 2 feeds no feature
        assertEquals(1 + llmLayers + 1 + 1 + towerMarks + 1, marks.size(), scope + ": " + offsets(marks));
        assertEquals(layout.entry(LlamaLayout.NORM).offset(), marks.get(0).offset(), "first: head and norm done");
        assertEquals(0, marks.get(marks.size() - 1).offset(), "last mark is 0");
        if (towerMarks == 1) {
            assertEquals(
                    layout.entry(ClipLayout.layer(1, "self_attn.k_proj.weight")).offset(),
                    marks.get(marks.size() - 2).offset());
        }
        long previous = Long.MAX_VALUE;
        for (Mark mark : marks) {
            assertTrue(mark.offset() <= previous, "non-increasing: " + offsets(marks));
            previous = mark.offset();
            for (int e = (int) mark.offset(); e < end.length; e++) {
                if (mark.grads()[e] != end[e]) {
                    throw new AssertionError(scope + ": gradient element " + e + " changed after mark " + mark.offset()
                            + " (" + mark.grads()[e] + " -> " + end[e] + ")");
                }
            }
        }
        // and the marks say something: below the first one the backward still had work to do
        long first = marks.get(0).offset();
        boolean laterWork = false;
        for (int e = 0; e < first; e++) {
            laterWork |= marks.get(0).grads()[e] != end[e];
        }
        assertTrue(laterWork, "gradients below the first mark change after it");
    }

    @Test
    void aBatchWithoutSupervisedTokensMarksEverythingFinalAtOnce() {
        LlavaModel m = LlavaModelTest.model("java", DType.FLOAT, Trainable.stage2(), false);
        int[][] unsupervised = new int[LlavaModelTest.LABELS.length][];
        for (int i = 0; i < unsupervised.length; i++) {
            unsupervised[i] = new int[LlavaModelTest.LABELS[i].length];
            java.util.Arrays.fill(unsupervised[i], -100);
        }
        List<Long> marks = new ArrayList<>();
        m.zeroGrad();
        m.trainStep(
                Batch.of(LlavaModelTest.IDS, unsupervised, LlavaModelTest.images(m, 3, 5)), 1, Double.NaN, marks::add);
        assertEquals(List.of(0L), marks);
    }

    private static List<Long> offsets(List<Mark> marks) {
        return marks.stream().map(Mark::offset).toList();
    }
}

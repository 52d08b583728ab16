package io.share4v.model.llava;

import io.share4v.model.clip.ClipLayout;
import io.share4v.model.clip.ClipTrainable;
import io.share4v.model.llama.LlamaLayout;
import io.share4v.model.projector.ProjectorLayout;
import io.share4v.tensor.ParamLayout;
import java.util.List;

/**
 * Which parameter ranges get gradients, and so which backward work is done: the whole LLM or none of it,
 * the projector or not, and the vision tower's scope ({@link ClipTrainable}). Frozen parts cost nothing in the
 * backward beyond the chain rule that a trainable part below them needs.
 *
 * <p>ShareGPT4V stage 1 ({@link #stage1}): LLM + projector + vision encoder layers {@code >= 12}; stage 2
 * ({@link #stage2}): LLM + projector; {@link #none()} for inference.
 */
public record Trainable(boolean llm, boolean projector, ClipTrainable vision) {
    public Trainable {
        if (vision == null) {
            throw new IllegalArgumentException("trainable vision scope is null; use ClipTrainable.frozen()");
        }
    }

    /** Stage 1 ({@code --tune_entire_model --tune_vit_from_layer k}): everything but the tower below layer k. */
    public static Trainable stage1(int tuneVitFromLayer) {
        return new Trainable(true, true, ClipTrainable.fromLayer(tuneVitFromLayer));
    }

    /** Stage 2: LLM and projector; the tower is frozen. */
    public static Trainable stage2() {
        return new Trainable(true, true, ClipTrainable.frozen());
    }

    /** Everything, the tower's embeddings included (the finite-difference and golden checks). */
    public static Trainable all() {
        return new Trainable(true, true, ClipTrainable.all());
    }

    /** Inference: no gradients at all. */
    public static Trainable none() {
        return new Trainable(false, false, ClipTrainable.frozen());
    }

    /** Whether the tensor {@code name} of the full model trains. */
    public boolean trains(String name) {
        if (LlamaLayout.isLlm(name)) {
            return llm;
        }
        if (ProjectorLayout.isProjector(name)) {
            return projector;
        }
        if (ClipLayout.isVision(name)) {
            return vision.trains(name);
        }
        throw new IllegalArgumentException("parameter " + name + " belongs to no known part of the model");
    }

    /** The trainable ranges of {@code layout} (for the optimizer, the all-reduce and zeroing). */
    public List<ParamLayout.Range> ranges(ParamLayout layout) {
        return layout.ranges(this::trains);
    }

    public boolean any() {
        return llm || projector || !vision.isFrozen();
    }

    @Override
    public String toString() {
        return "Trainable[llm=" + llm + ", projector=" + projector + ", vision=" + vision + "]";
    }
}

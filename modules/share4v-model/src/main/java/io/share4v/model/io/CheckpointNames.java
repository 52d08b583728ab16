package io.share4v.model.io;

import io.share4v.model.clip.ClipLayout;
import io.share4v.model.projector.ProjectorLayout;
import java.util.regex.Pattern;

/**
 * The name table: checkpoint tensor name -> full-LLaVA {@link io.share4v.tensor.ParamLayout} name, per kind
 * of source, plus the names every source may carry but the model does not use (null result = ignored).
 * The one place where checkpoint naming conventions live.
 */
public final class CheckpointNames {
    /** What kind of directory or file the names come from. */
    public enum Role {
        /** An LLM or full LLaVA checkpoint: names are already the full names. */
        MODEL,
        /** A {@code CLIPVisionModel} / {@code CLIPModel} directory: {@code vision_model.*}. */
        VISION_TOWER,
        /** LLaVA-1.5's stage-1 {@code mm_projector.bin}: {@code ...mm_projector.*}. */
        PROJECTOR
    }

    /** Buffers saved beside parameters (recomputed by the model, never trained). */
    private static final Pattern BUFFERS = Pattern.compile("(.*\\.rotary_emb\\.inv_freq|.*embeddings\\.position_ids)");
    /** The text half of a CLIPModel: present in {@code openai/clip-*} directories, unused by LLaVA. */
    private static final Pattern CLIP_TEXT =
            Pattern.compile("(text_model\\..*|visual_projection\\..*|text_projection\\..*|logit_scale)");

    private CheckpointNames() {}

    /** A marker for names that are known and deliberately not loaded. */
    public static final String IGNORED = "\0ignored";

    /**
     * The layout name for checkpoint name {@code name} from a source of {@code role}: the full name,
     * {@link #IGNORED} for known unused tensors, or null for a name this table does not know (unexpected).
     */
    public static String toLayout(Role role, String name) {
        if (BUFFERS.matcher(name).matches()) {
            return IGNORED;
        }
        switch (role) {
            case MODEL:
                return name;
            case VISION_TOWER:
                if (name.startsWith(ClipLayout.VISION_MODEL_PREFIX)) {
                    return ClipLayout.TOWER_PREFIX + name;
                }
                return CLIP_TEXT.matcher(name).matches() ? IGNORED : null;
            case PROJECTOR:
                // builder.py's get_w keeps what follows "mm_projector." whatever the prefix before it
                int at = name.indexOf("mm_projector.");
                return at < 0 ? null : ProjectorLayout.PREFIX + name.substring(at + "mm_projector.".length());
            default:
                throw new IllegalStateException(role.toString());
        }
    }
}

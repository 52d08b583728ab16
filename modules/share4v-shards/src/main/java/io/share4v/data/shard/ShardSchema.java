package io.share4v.data.shard;

import java.util.List;

/**
 * Column names of a shard file and the format version recorded in {@code _manifest.json}. Bump
 * {@link #VERSION} on any change a reader would notice (renamed, removed or re-typed column).
 */
public final class ShardSchema {
    public static final int VERSION = 1;

    public static final String ID = "id";
    public static final String DATASET = "dataset";
    public static final String RECORD_INDEX = "record_index";
    /** Global 0-based position in training order; shards hold contiguous, ascending ranges of it. */
    public static final String ORDER = "order";

    public static final String TEMPLATE = "template";
    public static final String ASPECT = "aspect";
    public static final String INPUT_IDS = "input_ids";
    public static final String LABELS = "labels";
    /** Sequence length after the image placeholder is expanded to its patch tokens. */
    public static final String N_TOKENS = "n_tokens";

    public static final String HAS_IMAGE = "has_image";
    /** Encoded image file bytes as read from disk; null for text-only rows and in path mode. */
    public static final String IMAGE = "image";
    /** The record's image path relative to its dataset's image root; null for text-only rows. */
    public static final String IMAGE_PATH = "image_path";

    public static final String WIDTH = "width";
    public static final String HEIGHT = "height";
    /** True when the masking arithmetic disagreed and all labels were set to IGNORE_INDEX (kept, zero loss). */
    public static final String MISMATCH = "mismatch";

    public static final List<String> COLUMNS = List.of(
            ID,
            DATASET,
            RECORD_INDEX,
            ORDER,
            TEMPLATE,
            ASPECT,
            INPUT_IDS,
            LABELS,
            N_TOKENS,
            HAS_IMAGE,
            IMAGE,
            IMAGE_PATH,
            WIDTH,
            HEIGHT,
            MISMATCH);

    /** Sub-directory of a sharding output that holds the Parquet shards. */
    public static final String SHARDS_DIR = "shards";
    /** Sub-directory of a sharding output that holds the rejects ledger (JSON lines). */
    public static final String REJECTS_DIR = "rejects";

    public static final String MANIFEST_FILE = "_manifest.json";

    private ShardSchema() {}
}

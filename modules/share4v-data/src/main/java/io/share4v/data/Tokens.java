package io.share4v.data;

/** The reference's token constants (share4v/constants.py); one place so every stage agrees. */
public final class Tokens {
    /** Label value the loss ignores (PyTorch CrossEntropyLoss ignore_index). */
    public static final int IGNORE_INDEX = -100;
    /** Placeholder id standing for one image in input_ids; replaced by the image's patch features. */
    public static final int IMAGE_TOKEN_INDEX = -200;

    public static final String IMAGE_TOKEN = "<image>";
    public static final String IMAGE_PATCH_TOKEN = "<im_patch>";
    public static final String IM_START_TOKEN = "<im_start>";
    public static final String IM_END_TOKEN = "<im_end>";

    private Tokens() {}
}

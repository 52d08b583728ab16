package io.share4v.model.llava;

import io.share4v.data.Tokens;
import io.share4v.tensor.ops.AttentionMask;
import java.util.Arrays;

/**
 * Where every row of the spliced token stream comes from, computed once per batch from the ids alone
 * (ShareGPT4V {@code share4v_arch.py prepare_inputs_labels_for_multimodal}).
 *
 * <p>Sample b's spliced stream is its ids with every {@value Tokens#IMAGE_TOKEN_INDEX} replaced by the
 * {@code P} feature rows of the next image of the batch (images are numbered over the batch in order), labels
 * {@value Tokens#IGNORE_INDEX} there. Its pad ids are kept (embedded with {@code embed_tokens[pad]}, as the
 * reference embeds them) but masked as keys; the batch is then right-padded with zero embeddings to the longest
 * stream. The reference's new attention mask is {@code [True x image rows] ++ (input_ids != pad) ++ [False x
 * right pad]}: its trailing pad ids and the right padding are the suffix past {@link #validLength}
 * ({@code splicedLength - trailingPads}); a pad id followed by a non-pad id (a literal {@code <unk>} in a text,
 * pad = unk = 0 in ShareGPT4V) is masked as a key in the middle of the stream, which {@link #keyValid} carries.
 * Such a position keeps its query, its embedding and its position id. Positions are {@code 0..T-1}.
 *
 * <p>A text-only sample consumes a dummy image in the reference only for bookkeeping; its features are
 * discarded, so here a batch carries exactly one image per {@value Tokens#IMAGE_TOKEN_INDEX} and nothing is
 * computed for the dummy.
 *
 * <p>B = batch, T = spliced (padded) sequence, P = image feature rows per image.
 */
public final class SplicePlan {
    /** One image's placement: feature rows {@code [image*P, image*P + P)} go to stream rows {@code [row, row + P)}. */
    public record Placement(int image, int row) {}

    public final int batch; // B
    public final int seq; // T
    public final int imageRows; // P
    /** Per stream row b*T+t: the token id whose embedding it holds, or -1 (image row or zero padding). */
    public final int[] tokenIds; // [B*T]
    /** Per stream row b*T+t: the next-token target (spliced label at t+1) or -100. */
    public final int[] targets; // [B*T]

    public final int[] validLength; // [B]
    /**
     * Per stream row b*T+t: attendable as a key (the reference's spliced attention mask), or null when no pad id
     * sits inside a text, so that validLength alone is the mask.
     */
    public final boolean[] keyValid; // [B*T] or null

    public final int[] splicedLength; // [B]
    public final Placement[] placements; // one per image, in batch order
    public final long supervisedTokens;

    /** The batch's padding for the decoder's attention: right padding past validLength and any inner pad ids. */
    public AttentionMask attentionMask() {
        AttentionMask rightPadding = AttentionMask.validLength(validLength);
        return keyValid == null ? rightPadding : rightPadding.andKeyValid(keyValid);
    }

    private SplicePlan(
            int batch,
            int seq,
            int imageRows,
            int[] tokenIds,
            int[] targets,
            int[] validLength,
            boolean[] keyValid,
            int[] splicedLength,
            Placement[] placements) {
        this.batch = batch;
        this.seq = seq;
        this.imageRows = imageRows;
        this.tokenIds = tokenIds;
        this.targets = targets;
        this.validLength = validLength;
        this.keyValid = keyValid;
        this.splicedLength = splicedLength;
        this.placements = placements;
        long n = 0;
        for (int t : targets) {
            if (t != Tokens.IGNORE_INDEX) {
                n++;
            }
        }
        this.supervisedTokens = n;
    }

    public int images() {
        return placements.length;
    }

    /**
     * Plans the splice of {@code inputIds} (right-padded with {@code padId}, or ragged) and optional
     * {@code labels} (same shape; null: no targets) with {@code imageRows} feature rows per image.
     */
    public static SplicePlan of(int[][] inputIds, int[][] labels, int imageRows, int padId, int vocabSize) {
        int B = inputIds.length;
        if (B == 0) {
            throw new IllegalArgumentException("batch has no samples");
        }
        if (labels != null && labels.length != B) {
            throw new IllegalArgumentException("labels has " + labels.length + " rows for " + B + " input_ids rows");
        }
        int[] spliced = new int[B];
        int[] valid = new int[B];
        int T = 0;
        int images = 0;
        boolean innerPads = false;
        for (int b = 0; b < B; b++) {
            int[] ids = inputIds[b];
            if (ids == null || ids.length == 0) {
                throw new IllegalArgumentException("sample " + b + " has no input_ids");
            }
            if (labels != null && (labels[b] == null || labels[b].length != ids.length)) {
                throw new IllegalArgumentException("sample " + b + ": labels length "
                        + (labels[b] == null ? "null" : labels[b].length) + " != input_ids length " + ids.length);
            }
            int pads = 0; // trailing pad ids so far
            int imgs = 0;
            for (int t = 0; t < ids.length; t++) {
                int id = ids[t];
                if (id == Tokens.IMAGE_TOKEN_INDEX) {
                    imgs++;
                } else if (id < 0 || id >= vocabSize) {
                    throw new IllegalArgumentException("sample " + b + " position " + t + ": input id " + id
                            + " is outside [0, " + vocabSize + ") and is not the image token "
                            + Tokens.IMAGE_TOKEN_INDEX);
                }
                if (id == padId) {
                    pads++;
                } else if (pads > 0) {
                    innerPads = true; // the pads seen so far are inside the text, not padding
                    pads = 0;
                }
                if (labels != null) {
                    int lab = labels[b][t];
                    if (lab != Tokens.IGNORE_INDEX && (lab < 0 || lab >= vocabSize)) {
                        throw new IllegalArgumentException("sample " + b + " position " + t + ": label " + lab
                                + " is outside [0, " + vocabSize + ") and is not " + Tokens.IGNORE_INDEX);
                    }
                }
            }
            spliced[b] = ids.length + imgs * (imageRows - 1);
            valid[b] = spliced[b] - pads;
            if (pads == ids.length) {
                throw new IllegalArgumentException("sample " + b + " has only pad ids (" + padId + ")");
            }
            T = Math.max(T, spliced[b]);
            images += imgs;
        }
        int[] tokenIds = new int[B * T];
        int[] targets = new int[B * T];
        Arrays.fill(tokenIds, -1);
        Arrays.fill(targets, Tokens.IGNORE_INDEX);
        boolean[] keyValid = innerPads ? new boolean[B * T] : null;
        int[] streamLabels = new int[T];
        Placement[] placements = new Placement[images];
        int image = 0;
        for (int b = 0; b < B; b++) {
            Arrays.fill(streamLabels, Tokens.IGNORE_INDEX);
            int[] ids = inputIds[b];
            int pos = 0;
            for (int t = 0; t < ids.length; t++) {
                if (ids[t] == Tokens.IMAGE_TOKEN_INDEX) {
                    placements[image] = new Placement(image, b * T + pos);
                    image++;
                    if (keyValid != null) {
                        Arrays.fill(keyValid, b * T + pos, b * T + pos + imageRows, true);
                    }
                    pos += imageRows;
                } else {
                    if (keyValid != null) {
                        keyValid[b * T + pos] = ids[t] != padId;
                    }
                    tokenIds[b * T + pos] = ids[t];
                    if (labels != null) {
                        streamLabels[pos] = labels[b][t];
                    }
                    pos++;
                }
            }
            for (int t = 0; t + 1 < T; t++) {
                targets[b * T + t] = streamLabels[t + 1];
            }
        }
        return new SplicePlan(B, T, imageRows, tokenIds, targets, valid, keyValid, spliced, placements);
    }
}

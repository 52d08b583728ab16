package io.share4v.data.text;

import io.share4v.data.Tokens;
import java.util.List;

/**
 * The reference's {@code tokenizer_image_token} ({@code share4v/mm_utils.py}): the prompt is split on the
 * literal {@code <image>}, every chunk is tokenized on its own (each with its own BOS and dummy prefix), and
 * the chunks are joined with one {@link Tokens#IMAGE_TOKEN_INDEX} (-200) each, keeping only the first BOS.
 * No truncation is applied, as in the reference. {@code <image>} is never a vocabulary entry.
 */
public final class ImagePromptTokenizer {
    private ImagePromptTokenizer() {}

    public static int[] encode(LlamaTokenizer tok, String prompt) {
        List<String> chunks = PyStr.split(prompt, Tokens.IMAGE_TOKEN);
        if (chunks.size() == 1) {
            return tok.encode(prompt);
        }
        int[][] ids = new int[chunks.size()][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = tok.encode(chunks.get(i));
        }
        // The reference keeps each chunk's BOS unless chunk 0 starts with one; then it emits that BOS once and
        // drops the first id of every chunk (the separator carries the same offset, leaving one -200).
        int offset = ids[0].length > 0 && ids[0][0] == tok.bosId() ? 1 : 0;
        int total = offset + (ids.length - 1);
        for (int[] c : ids) {
            total += Math.max(0, c.length - offset);
        }
        int[] out = new int[total];
        int n = 0;
        if (offset == 1) {
            out[n++] = ids[0][0];
        }
        for (int i = 0; i < ids.length; i++) {
            if (i > 0) {
                out[n++] = Tokens.IMAGE_TOKEN_INDEX;
            }
            int len = Math.max(0, ids[i].length - offset);
            System.arraycopy(ids[i], Math.min(offset, ids[i].length), out, n, len);
            n += len;
        }
        return out;
    }

    /** {@code len(tokenizer_image_token(prompt))}, for the masking arithmetic. */
    public static int length(LlamaTokenizer tok, String prompt) {
        return encode(tok, prompt).length;
    }
}

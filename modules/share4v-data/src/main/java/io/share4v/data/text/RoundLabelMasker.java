package io.share4v.data.text;

import io.share4v.data.Tokens;
import java.util.Arrays;
import java.util.List;

/**
 * The one label masker for round-structured templates: the reference's {@code preprocess_v1} and
 * {@code preprocess_llama_2}, which differ only in the instruction separator. The arithmetic is reproduced
 * as written, including its known quirks, because they decide which samples the released model learned from:
 *
 * <ul>
 *   <li>the prompt is split on {@code sep2} ({@code "</s>"}) into rounds; an empty round ends the loop, and a
 *       round that does not split into exactly 2 parts on the instruction separator ends it too;</li>
 *   <li>{@code round_len} is the round's standalone token count, whose BOS stands in for the {@code </s>}
 *       removed by the split; {@code instruction_len} is the standalone count of the instruction including the
 *       separator, minus 2 (BOS, and the lone {@code ▁} of the separator's trailing space);</li>
 *   <li>{@code cur_len} starts at 1 (BOS masked); everything from {@code cur_len} on is masked after the loop;</li>
 *   <li>if {@code cur_len < model_max_length} and {@code cur_len} differs from the number of non-pad ids
 *       ({@code pad = unk = 0}), the sample is a mismatch and every label is masked. Truncated text-only
 *       samples ({@code cur_len >= model_max_length}) are never checked.</li>
 * </ul>
 *
 * Round lengths are counted with {@code tokenizer_image_token} for image records and the plain tokenizer
 * (BOS added, no truncation) otherwise, as in the reference.
 */
final class RoundLabelMasker {
    /** Outcome of masking one sample; {@code curLen}/{@code totalLen} are the reference's numbers. */
    record Result(int curLen, int totalLen, boolean mismatch) {}

    private final LlamaTokenizer tok;
    private final String instructionSep;
    private final String roundSep;
    private final int modelMaxLength;

    private RoundLabelMasker(LlamaTokenizer tok, String instructionSep, String roundSep, int modelMaxLength) {
        this.tok = tok;
        this.instructionSep = instructionSep;
        this.roundSep = roundSep;
        this.modelMaxLength = modelMaxLength;
    }

    static RoundLabelMasker forTemplate(ConversationTemplate t, LlamaTokenizer tok, int modelMaxLength) {
        if (t.sep2() == null) {
            throw new IllegalArgumentException("round masking needs a template with sep2; version " + t.version() + " ("
                    + t.sepStyle() + ") has none");
        }
        String instructionSep = switch (t.sepStyle()) {
            case LLAMA_2 -> "[/INST] ";
            case TWO -> t.sep() + t.assistantRole() + ": ";
            default -> throw new IllegalArgumentException("round masking does not apply to " + t.sepStyle());
        };
        return new RoundLabelMasker(tok, instructionSep, t.sep2(), modelMaxLength);
    }

    /** Masks {@code labels} (a copy of {@code ids}) in place. */
    Result mask(String prompt, int[] ids, int[] labels, boolean hasImage) {
        int padId = tok.padId();
        int totalLen = 0;
        for (int id : ids) {
            if (id != padId) {
                totalLen++;
            }
        }
        int curLen = 1;
        fill(labels, 0, curLen);
        List<String> rounds = PyStr.split(prompt, roundSep);
        for (String rou : rounds) {
            if (rou.isEmpty()) {
                break;
            }
            List<String> parts = PyStr.split(rou, instructionSep);
            if (parts.size() != 2) {
                break;
            }
            int roundLen = count(rou, hasImage);
            int instructionLen = count(parts.get(0) + instructionSep, hasImage) - 2;
            fill(labels, curLen, curLen + instructionLen);
            curLen += roundLen;
        }
        fill(labels, curLen, labels.length);
        boolean mismatch = curLen < modelMaxLength && curLen != totalLen;
        if (mismatch) {
            Arrays.fill(labels, Tokens.IGNORE_INDEX);
        }
        return new Result(curLen, totalLen, mismatch);
    }

    private int count(String text, boolean hasImage) {
        return hasImage ? ImagePromptTokenizer.length(tok, text) : tok.encode(text).length;
    }

    /** {@code target[from:to] = IGNORE_INDEX} with Python's clipping of out-of-range slice bounds. */
    private static void fill(int[] labels, int from, int to) {
        int a = Math.min(Math.max(from, 0), labels.length);
        int b = Math.min(Math.max(to, 0), labels.length);
        if (a < b) {
            Arrays.fill(labels, a, b, Tokens.IGNORE_INDEX);
        }
    }
}

package io.share4v.data.text;

import io.share4v.data.Tokens;
import io.share4v.data.record.LlavaRecord;
import io.share4v.data.record.RecordRejectedException;
import io.share4v.data.record.RejectReason;
import io.share4v.data.record.Turn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Turns one LLaVA record into the (input_ids, labels) pair the reference's training loop sees, exactly as
 * ShareGPT4V's {@code LazySupervisedDataset.__getitem__} + {@code DataCollatorForSupervisedDataset} do with
 * transformers 4.31: {@code preprocess_multimodal} for image records, then {@code preprocess_plain}
 * (PLAIN templates) or {@code preprocess_v1}/{@code preprocess_llama_2} (round masking, see
 * {@link RoundLabelMasker}), then the collator's truncation to {@code model_max_length}.
 *
 * <p>Where the reference would crash (KeyError, AssertionError, IndexError) the record is rejected with a
 * reason instead. Where it silently does something odd but trains, this does the same odd thing, so that
 * the ids match; those cases are listed in the package notes of {@code TokenizeJson} and the report.
 *
 * <p>Thread-safe: holds only the (thread-safe) tokenizer, the config and a mismatch counter.
 */
public final class SamplePreprocessor {
    private static final Set<String> SUPPORTED =
            Set.of("v1", "vicuna_v1", "share4v_v1", "v1_mmtag", "plain", "v0_plain", "llama_2", "share4v_llama_2");

    private final LlamaTokenizer tok;
    private final PreprocessConfig cfg;
    private final ConversationTemplate template;
    private final RoundLabelMasker roundMasker;
    private final LongAdder mismatches = new LongAdder();

    public SamplePreprocessor(LlamaTokenizer tok, PreprocessConfig cfg) {
        this.tok = Objects.requireNonNull(tok, "tokenizer");
        this.cfg = Objects.requireNonNull(cfg, "config");
        this.template = ConversationTemplates.get(cfg.template());
        this.roundMasker = template.sepStyle() == SeparatorStyle.PLAIN
                ? null
                : RoundLabelMasker.forTemplate(template, tok, cfg.modelMaxLength());
    }

    /** Whether {@link PreprocessConfig#template()} may name this template. */
    public static boolean supports(String template) {
        return SUPPORTED.contains(template);
    }

    public static Set<String> supportedTemplates() {
        return new java.util.TreeSet<>(SUPPORTED);
    }

    public PreprocessConfig config() {
        return cfg;
    }

    /** Samples kept with all labels ignored because of a tokenization mismatch (KEEP_IGNORED policy). */
    public long mismatchCount() {
        return mismatches.sum();
    }

    public TokenizedSample process(LlavaRecord r) throws RecordRejectedException {
        List<Turn> turns = r.conversations();
        if (turns.isEmpty()) {
            throw new RecordRejectedException(RejectReason.EMPTY_CONVERSATION, "\"conversations\" is empty");
        }
        List<String> values = new ArrayList<>(turns.size());
        for (Turn t : turns) {
            values.add(r.hasImage() ? moveImageToFront(t.value()) : t.value());
        }
        int[] ids;
        int[] labels;
        RoundLabelMasker.Result masked = null;
        if (template.sepStyle() == SeparatorStyle.PLAIN) {
            ids = plainIds(r, values);
            labels = ids.clone();
            int promptLen = ImagePromptTokenizer.length(tok, Tokens.IMAGE_TOKEN);
            Arrays.fill(labels, 0, Math.min(promptLen, labels.length), Tokens.IGNORE_INDEX);
        } else {
            String prompt = template.withMessages(roundMessages(turns, values)).prompt();
            ids = r.hasImage()
                    ? ImagePromptTokenizer.encode(tok, prompt)
                    : truncate(tok.encode(prompt), cfg.modelMaxLength());
            labels = ids.clone();
            masked = roundMasker.mask(prompt, ids, labels, r.hasImage());
        }
        // The collator truncates ids and labels to model_max_length before the image is expanded.
        ids = truncate(ids, cfg.modelMaxLength());
        labels = truncate(labels, cfg.modelMaxLength());
        int images = 0;
        for (int id : ids) {
            if (id == Tokens.IMAGE_TOKEN_INDEX) {
                images++;
            }
        }
        if (images > 1) {
            // One image tensor per sample: the reference's splice would consume the next samples' images and
            // then fail with an IndexError on the batch's last one.
            throw new RecordRejectedException(
                    RejectReason.IMAGE_PLACEHOLDER_MISMATCH,
                    "<image> appears in " + images + " turns; a record carries exactly one image");
        }
        boolean mismatch = masked != null && masked.mismatch();
        if (mismatch) {
            if (cfg.mismatchPolicy() == MismatchPolicy.REJECT) {
                throw new RecordRejectedException(
                        RejectReason.TOKENIZATION_MISMATCH,
                        "tokenization mismatch: " + masked.curLen() + " vs. " + masked.totalLen());
            }
            mismatches.increment();
        }
        int expanded = ids.length - images + images * cfg.imageTokens();
        return new TokenizedSample(r.id(), ids, labels, mismatch, images, expanded);
    }

    /** {@code preprocess_multimodal} on one turn: every {@code <image>} becomes one, at the very front. */
    private String moveImageToFront(String value) {
        if (!value.contains(Tokens.IMAGE_TOKEN)) {
            return value;
        }
        String v = PyStr.strip(value.replace(Tokens.IMAGE_TOKEN, ""));
        v = PyStr.strip(Tokens.IMAGE_TOKEN + "\n" + v);
        if (template.version().contains("mmtag")) {
            v = v.replace(Tokens.IMAGE_TOKEN, "<Image>" + Tokens.IMAGE_TOKEN + "</Image>");
        }
        return v;
    }

    /** {@code preprocess_plain}: the instruction is replaced by the bare image, the caption ends in {@code sep}. */
    private int[] plainIds(LlavaRecord r, List<String> values) throws RecordRejectedException {
        if (!r.hasImage()) {
            // The reference would splice the all-zero stand-in image into a caption; never a real sample.
            throw new RecordRejectedException(
                    RejectReason.PLAIN_NOT_CAPTION_PAIR,
                    "the plain template needs an image record, this one has no \"image\"");
        }
        if (values.size() != 2) {
            throw new RecordRejectedException(
                    RejectReason.PLAIN_NOT_CAPTION_PAIR,
                    "the plain template needs exactly 2 turns, got " + values.size());
        }
        if (!values.get(0).contains(Tokens.IMAGE_TOKEN)) {
            throw new RecordRejectedException(
                    RejectReason.PLAIN_NOT_CAPTION_PAIR, "the plain template needs <image> in turn 0");
        }
        return ImagePromptTokenizer.encode(tok, Tokens.IMAGE_TOKEN + values.get(1) + template.sep());
    }

    /**
     * The role checks of {@code preprocess_v1}: a leading turn that is not the user's is dropped, then roles
     * must alternate user/assistant. The reference raises KeyError/AssertionError otherwise.
     */
    private List<Message> roundMessages(List<Turn> turns, List<String> values) throws RecordRejectedException {
        int start = roleOf(turns.get(0), 0).equals(template.userRole()) ? 0 : 1;
        List<Message> msgs = new ArrayList<>(turns.size() - start);
        for (int j = start; j < turns.size(); j++) {
            String role = roleOf(turns.get(j), j);
            String expected = template.roles().get((j - start) % 2);
            if (!role.equals(expected)) {
                throw new RecordRejectedException(
                        RejectReason.BAD_ROLES,
                        "turn " + j + " is from '" + turns.get(j).from()
                                + "' but the roles must alternate human/gpt starting with human");
            }
            msgs.add(Message.of(role, values.get(j)));
        }
        if (msgs.isEmpty()) {
            // The reference would render a bare system prompt whose labels are all -100 (a mismatch).
            throw new RecordRejectedException(
                    RejectReason.EMPTY_CONVERSATION,
                    "nothing is left after dropping the leading '"
                            + turns.get(0).from() + "' turn");
        }
        if (template.sepStyle() == SeparatorStyle.LLAMA_2 && !msgs.get(0).present()) {
            throw new RecordRejectedException(
                    RejectReason.EMPTY_CONVERSATION,
                    "the first human turn is empty (the llama_2 prompt asserts it is not)");
        }
        return msgs;
    }

    private String roleOf(Turn t, int index) throws RecordRejectedException {
        if (t.isHuman()) {
            return template.userRole();
        }
        if (t.isGpt()) {
            return template.assistantRole();
        }
        throw new RecordRejectedException(
                RejectReason.BAD_ROLES,
                "turn " + index + " has unknown role '" + t.from() + "' (expected human or gpt)");
    }

    private static int[] truncate(int[] a, int max) {
        return a.length <= max ? a : Arrays.copyOf(a, max);
    }
}

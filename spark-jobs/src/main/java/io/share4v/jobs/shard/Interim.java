package io.share4v.jobs.shard;

import io.share4v.data.Tokens;
import io.share4v.data.record.LlavaRecord;
import io.share4v.data.record.RecordRejectedException;
import io.share4v.data.record.RejectReason;
import io.share4v.data.record.Turn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * TEMPORARY stand-in for the tokenizer and masking classes being built on other branches
 * (LlamaTokenizer, SamplePreprocessor). Token ids here are NOT real; delete this class when
 * those branches are merged and call them instead.
 */
final class Interim {
    record Tokenized(int[] inputIds, int[] labels, boolean mismatch, int expandedLength) {}

    private Interim() {}

    static String fingerprint(Path tokenizerDir) throws IOException {
        byte[] model = Files.readAllBytes(tokenizerDir.resolve("tokenizer.model"));
        return HexFormat.of().formatHex(PrePass.sha256().digest(model));
    }

    static Tokenized tokenize(LlavaRecord r, String template, int maxLen, boolean rejectMismatch, int imageTokens)
            throws RecordRejectedException {
        List<Turn> turns = r.conversations();
        if (turns.isEmpty()) {
            throw new RecordRejectedException(RejectReason.EMPTY_CONVERSATION, "no turns");
        }
        if ("plain".equals(template) && (turns.size() != 2 || !turns.get(0).value().contains(Tokens.IMAGE_TOKEN))) {
            throw new RecordRejectedException(RejectReason.PLAIN_NOT_CAPTION_PAIR, turns.size() + " turns");
        }
        for (int i = 0; i < turns.size(); i++) {
            if (!(i % 2 == 0 ? turns.get(i).isHuman() : turns.get(i).isGpt())) {
                throw new RecordRejectedException(RejectReason.BAD_ROLES, "turn " + i + " is " + turns.get(i).from());
            }
        }
        boolean mismatch = turns.stream().anyMatch(t -> t.value().contains("</s>"));
        if (mismatch && rejectMismatch) {
            throw new RecordRejectedException(RejectReason.TOKENIZATION_MISMATCH, "literal </s>");
        }
        List<Integer> ids = new ArrayList<>();
        ids.add(1);
        for (Turn t : turns) {
            for (String w : t.value().split("\\s+")) {
                ids.add(w.equals(Tokens.IMAGE_TOKEN) ? Tokens.IMAGE_TOKEN_INDEX : 3 + Math.floorMod(w.hashCode(), 31000));
            }
        }
        int[] in = ids.stream().limit(maxLen).mapToInt(Integer::intValue).toArray();
        int[] labels = in.clone();
        labels[0] = Tokens.IGNORE_INDEX;
        if (mismatch) {
            java.util.Arrays.fill(labels, Tokens.IGNORE_INDEX);
        }
        int images = (int) ids.stream().filter(x -> x == Tokens.IMAGE_TOKEN_INDEX).count();
        return new Tokenized(in, labels, mismatch, in.length + images * (imageTokens - 1));
    }
}

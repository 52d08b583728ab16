package io.share4v.eval.score.mme;

import io.share4v.eval.EvalInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MME's ground truth as the eval tool's {@code Your_Results} templates hold it: one {@code <subtask>.txt} per
 * subtask, lines {@code image \t question \t Yes|No}, the two questions of an image on adjacent lines. All 14 files
 * are required.
 */
public final class MmeGroundTruth {
    static final String FORMAT = "MME ground truth: image \\t question \\t Yes|No";

    /** One question: {@link #key} identifies it across the answer forms. */
    public record Question(MmeSubtask subtask, String image, String question, boolean truthYes) {
        public String key() {
            return key(subtask, image, question);
        }

        static String key(MmeSubtask subtask, String image, String question) {
            return subtask.label() + "/" + image + ": " + question;
        }
    }

    private final Path dir;
    private final Map<String, Question> byKey;

    private MmeGroundTruth(Path dir, Map<String, Question> byKey) {
        this.dir = dir;
        this.byKey = byKey;
    }

    public static MmeGroundTruth read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new EvalInputException(dir + ": not a directory (MME's ground truth is a directory of"
                    + " <subtask>.txt files, as the eval tool's Your_Results)");
        }
        Map<String, Question> byKey = new LinkedHashMap<>();
        for (MmeSubtask s : MmeSubtask.values()) {
            for (MmeTsv.Line line : MmeTsv.read(dir.resolve(s.resultsFile()), 3, FORMAT)) {
                Question q = new Question(s, line.fields()[0], line.fields()[1], line.truthYes(2));
                if (byKey.putIfAbsent(q.key(), q) != null) {
                    throw new EvalInputException(line.where() + ": repeats the question " + q.key());
                }
            }
        }
        return new MmeGroundTruth(dir, Collections.unmodifiableMap(byKey));
    }

    public Path dir() {
        return dir;
    }

    /** The question {@code key} ({@link Question#key}), or null. */
    public Question get(String key) {
        return byKey.get(key);
    }

    /** Every question's key, in file order. */
    public List<String> keys() {
        return new ArrayList<>(byKey.keySet());
    }
}

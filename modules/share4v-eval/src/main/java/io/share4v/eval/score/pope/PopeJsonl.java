package io.share4v.eval.score.pope;

import io.share4v.eval.EvalInputException;
import io.share4v.eval.score.GroundTruthJson;
import java.nio.file.Path;
import java.util.List;

/** POPE's JSONL files (question and label files): one object a line, {@code question_id} and the named strings. */
final class PopeJsonl {
    private PopeJsonl() {}

    /** The non-blank lines of {@code file}, each an object with a question_id and string values for {@code keys}. */
    static List<GroundTruthJson.Line> read(Path file, String what, String... keys) {
        List<GroundTruthJson.Line> out = GroundTruthJson.readNumberedLines(file, what);
        for (GroundTruthJson.Line line : out) {
            if (!line.node().hasNonNull("question_id")) {
                throw new EvalInputException(line.where() + ": no question_id (" + what + ")");
            }
            for (String key : keys) {
                if (!line.node().path(key).isTextual()) {
                    throw new EvalInputException(line.where() + ": no string \"" + key + "\" (" + what + ")");
                }
            }
        }
        if (out.isEmpty()) {
            throw new EvalInputException(file + ": empty (" + what + ")");
        }
        return out;
    }
}

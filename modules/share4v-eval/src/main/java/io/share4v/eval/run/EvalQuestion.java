package io.share4v.eval.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One question as a runner asks it.
 *
 * @param index    0-based position in the question file's order (answers are written in this order; resuming
 *                 and chunking count positions, since some benchmarks repeat {@code question_id})
 * @param message  the user message exactly as the reference builds it: {@code "<image>\n"} (when there is an image)
 *                 + question + the benchmark's suffix; the runner's conversation template wraps it
 * @param image    the image, or null for a text-only question (ScienceQA's)
 * @param identity the fields of the answer line that identify the question (e.g. {@code {"question_id": 12}});
 *                 a resumed run checks that an answer line already written carries them
 * @param record   what the runner needs to write the answer line (the parsed question, computed fields)
 */
public record EvalQuestion(int index, String message, ImageSource image, ObjectNode identity, ObjectNode record) {
    public EvalQuestion {
        if (index < 0) {
            throw new IllegalArgumentException("question index " + index + " < 0");
        }
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(record, "record");
    }

    public boolean hasImage() {
        return image != null;
    }
}

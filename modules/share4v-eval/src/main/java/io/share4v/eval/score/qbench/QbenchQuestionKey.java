package io.share4v.eval.score.qbench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * Q-Bench records carry no question id, and the runner copies the whole question record into its answer: a question
 * is identified by its image path and question text, the JSON array {@code [img_path, question]}.
 */
public final class QbenchQuestionKey {
    private QbenchQuestionKey() {}

    public static ArrayNode id(String imgPath, String question) {
        ArrayNode id = JsonNodeFactory.instance.arrayNode();
        id.add(imgPath);
        id.add(question);
        return id;
    }
}

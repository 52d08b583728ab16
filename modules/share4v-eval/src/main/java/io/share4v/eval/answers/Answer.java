package io.share4v.eval.answers;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One line of a LLaVA answer file, as {@code model_vqa_loader}, {@code model_vqa} and {@code model_vqa_science}
 * write it: {@code {"question_id", "prompt", "text", "answer_id", "model_id", "metadata"}} (the MMBench runner adds
 * {@code round_id}, {@code options}, {@code option_char}).
 *
 * @param questionId the question id as the question file has it (a number or a string)
 * @param prompt     the question text the model saw (without {@code <image>} for the loader runners)
 * @param text       the decoded, stripped answer
 * @param line       the whole line, for runner-specific keys
 * @param lineNumber 1-based line in its file, for messages
 */
public record Answer(JsonNode questionId, String prompt, String text, JsonNode line, int lineNumber) {
    /** The id as a map key: ids are compared by their JSON text ({@code 12} and {@code "12"} are different ids). */
    public String key() {
        return questionId.toString();
    }
}

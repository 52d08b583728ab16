package io.share4v.eval.score.textvqa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.share4v.eval.score.vqa.PythonStrings;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How TextVQA answers are matched to the ground truth. The LLaVA question id is the <em>image</em> id, shared by the
 * questions about one image, so {@code eval_textvqa.py} keys by (image id, lowercased question) and recovers the
 * question from the answer's prompt. The key is the JSON array {@code [question_id, question]}.
 */
public final class TextVqaQuestionKey {
    private static final Pattern OCR_TOKENS_PROMPT = Pattern.compile("Question: (.*?) Short answer:", Pattern.DOTALL);

    private TextVqaQuestionKey() {}

    /** The id of a question about an image (the image id as the answer file has it): used as the answer's id. */
    public static ArrayNode id(JsonNode imageId, String question) {
        ArrayNode id = JsonNodeFactory.instance.arrayNode();
        id.add(imageId);
        id.add(PythonStrings.lower(question));
        return id;
    }

    /** The key ({@link io.share4v.eval.answers.Answer#key} form) of {@link #id}. */
    public static String of(JsonNode imageId, String question) {
        return id(imageId, question).toString();
    }

    /**
     * The question in a prompt, as {@code eval_textvqa.py}'s prompt processor recovers it: from a prompt starting
     * {@code OCR tokens: } the text between {@code Question: } and {@code  Short answer:}; from a three-line prompt with
     * a {@code Reference OCR token: } line, line 0 (line 1 when the prompt starts with the OCR line); from a two-line
     * prompt, line 0. Anything else fails (the reference asserts).
     */
    public static String question(String prompt) {
        String[] lines = prompt.split("\n", -1);
        if (prompt.startsWith("OCR tokens: ")) {
            Matcher m = OCR_TOKENS_PROMPT.matcher(prompt);
            if (!m.find()) {
                throw new IllegalArgumentException(
                        "prompt starts \"OCR tokens: \" but has no \"Question: ... Short" + " answer:\"");
            }
            return m.group(1);
        }
        if (prompt.contains("Reference OCR token: ") && lines.length == 3) {
            return prompt.startsWith("Reference OCR token:") ? lines[1] : lines[0];
        }
        if (lines.length == 2) {
            return lines[0];
        }
        throw new IllegalArgumentException("the question cannot be recovered from the prompt (expected the question"
                + " and a \"Reference OCR token: \" line and the instruction, or the question and the instruction)");
    }
}

package io.share4v.eval.score.mme;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.answers.Answer;
import io.share4v.eval.answers.AnswerFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * LLaVA's MME answers matched to the ground truth as LLaVA's {@code convert_answer_to_mme.py} does: the subtask is
 * the first path component of {@code question_id} (which is the image path, shared by the image's two questions),
 * the image its last; the MME question is the answer's {@code prompt} with LLaVA's suffix "Answer the question using
 * a single word or phrase." removed, stripped, and " Please answer yes or no." appended (with two spaces before
 * "Please" where the ground truth has them, as it does for a few questions).
 */
final class LlavaMmeAnswers {
    static final String LLAVA_SUFFIX = "Answer the question using a single word or phrase.";
    static final String MME_SUFFIX = "Please answer yes or no.";

    private final MmeGroundTruth truth;

    LlavaMmeAnswers(MmeGroundTruth truth) {
        this.truth = truth;
    }

    /**
     * LLaVA's MME answer lines, each identified by its {@code question_id} and prompt (an image's two questions share
     * the id; {@link Answer#key} is then {@code [question_id, prompt]}). Without a prompt the question cannot be found,
     * as in the reference.
     */
    static final AnswerFile.LineFormat FORMAT = (line, number) -> {
        Answer a = AnswerFile.LLAVA.answer(line, number);
        if (a.prompt() == null) {
            throw new IllegalArgumentException("question_id " + a.key() + " has no string \"prompt\" (MME finds an"
                    + " answer's question by its prompt, as LLaVA's convert_answer_to_mme.py does)");
        }
        ArrayNode id = JsonNodeFactory.instance.arrayNode().add(a.questionId()).add(a.prompt());
        return new Answer(id, a.prompt(), a.text(), a.line(), a.lineNumber());
    };

    /** The answer's {@code question_id} as its line has it (the image path). */
    static JsonNode questionId(Answer a) {
        return a.line().get("question_id");
    }

    /** The ground-truth key ({@link MmeGroundTruth.Question#key} form) of the question {@code a} answers. */
    String key(Path file, Answer a) {
        JsonNode id = questionId(a);
        if (!id.isTextual()) {
            throw new EvalInputException(file + " line " + a.lineNumber() + ": question_id " + id
                    + " is not an MME image path (<subtask>/.../<image>)");
        }
        String[] path = id.textValue().split("/", -1);
        String prefix = path[0] + "/" + path[path.length - 1] + ": ";
        String question = a.prompt().replace(LLAVA_SUFFIX, "").strip();
        if (!question.contains(MME_SUFFIX)) {
            question = question + " " + MME_SUFFIX;
            if (truth.get(prefix + question) == null) {
                question = question.replace(" " + MME_SUFFIX, "  " + MME_SUFFIX);
            }
        }
        return prefix + question;
    }

    /** The scored rows, in answer order; every key must be in the ground truth (coverage checked before). */
    List<MmeRow> rows(AnswerFile answers) {
        List<MmeRow> rows = new ArrayList<>();
        for (Answer a : answers.answers()) {
            MmeGroundTruth.Question q = truth.get(key(answers.file(), a));
            rows.add(new MmeRow(q.subtask(), q.image(), q.question(), q.truthYes(), a.text()));
        }
        return rows;
    }
}

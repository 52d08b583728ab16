package io.share4v.eval.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.answers.Answer;
import io.share4v.eval.answers.AnswerFile;
import io.share4v.eval.score.Coverage;
import io.share4v.eval.score.GroundTruthJson;
import io.share4v.eval.score.vqa.EvalAiAnswerProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The VQAv2 upload for the EvalAI server, as LLaVA's {@code convert_vqav2_for_submission.py} writes it: a JSON array
 * of {@code {"question_id": int, "answer": str}} with one entry for <em>every</em> question of the full test2015
 * question file ({@code llava_vqav2_mscoco_test2015.jsonl}), in its order; questions that were not run (test-standard
 * beyond test-dev) get {@code ""}; every answer is put through the EvalAI answer processor.
 *
 * <p>Stricter than the script, which silently drops answers to unknown questions: those are an error, and when the
 * test-dev question file is given, every test-dev question must be answered unless partial output is allowed.
 *
 * @param upload    the array to write
 * @param questions test2015 questions (entries written)
 * @param answered  of those, the ones with a model answer
 * @param testDev   the coverage of the test-dev questions, or null when no test-dev file was given
 */
public record VqaV2Submission(ArrayNode upload, int questions, int answered, Coverage testDev) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Builds the upload from {@code answers}; {@code testDevQuestions} (may be null) is the test-dev question file
     * that was run, whose questions must all be answered unless {@code allowPartial}.
     */
    public static VqaV2Submission build(
            AnswerFile answers, Path test2015Questions, Path testDevQuestions, boolean allowPartial) {
        List<JsonNode> all = GroundTruthJson.readLines(test2015Questions, "the VQAv2 test2015 question file");
        List<String> allKeys = keys(all, test2015Questions);
        Coverage testDev = null;
        if (testDevQuestions != null) {
            List<String> devKeys = keys(
                    GroundTruthJson.readLines(testDevQuestions, "the VQAv2 test-dev question file"), testDevQuestions);
            Set<String> inAll = new LinkedHashSet<>(allKeys);
            List<String> outside =
                    devKeys.stream().filter(k -> !inAll.contains(k)).toList();
            if (!outside.isEmpty()) {
                throw new EvalInputException(testDevQuestions + ": " + outside.size()
                        + " test-dev questions are not in " + test2015Questions + ", e.g. " + outside.get(0));
            }
            testDev = Coverage.check(answers, devKeys, testDevQuestions.toString(), allowPartial);
        } else {
            // Questions outside test-dev are expected to be unanswered: only unknown answers are checked.
            Coverage.check(answers, allKeys, test2015Questions.toString(), true);
        }
        ArrayNode upload = JSON.createArrayNode();
        int answered = 0;
        for (int i = 0; i < all.size(); i++) {
            Answer a = answers.get(allKeys.get(i));
            ObjectNode entry = upload.addObject();
            entry.set("question_id", all.get(i).get("question_id"));
            entry.put("answer", a == null ? "" : EvalAiAnswerProcessor.process(a.text()));
            if (a != null) {
                answered++;
            }
        }
        return new VqaV2Submission(upload, all.size(), answered, testDev);
    }

    /** Writes the upload JSON to {@code file} (creating its directory). */
    public void write(Path file) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            JSON.writeValue(file.toFile(), upload);
        } catch (IOException e) {
            throw new EvalInputException(file + ": cannot write the VQAv2 upload (" + e.getMessage() + ")", e);
        }
    }

    private static List<String> keys(List<JsonNode> questions, Path file) {
        List<String> keys = new ArrayList<>(questions.size());
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < questions.size(); i++) {
            JsonNode id = questions.get(i).get("question_id");
            if (id == null || !id.isIntegralNumber()) {
                throw new EvalInputException(file + ": question " + (i + 1) + ": no integer question_id");
            }
            if (!seen.add(id.toString())) {
                throw new EvalInputException(file + ": question_id " + id + " repeated");
            }
            keys.add(id.toString());
        }
        return keys;
    }
}

package io.share4v.eval.submit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.answers.AnswerFile;
import io.share4v.eval.score.Coverage;
import io.share4v.eval.score.vizwiz.VizWizQuestions;
import io.share4v.eval.score.vqa.EvalAiAnswerProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The VizWiz test upload for the EvalAI server, as LLaVA's {@code convert_vizwiz_for_submission.py} writes it: a JSON
 * array of {@code {"image": str, "answer": str}} in question-file order ({@code llava_test.jsonl}, 8,000 questions),
 * each answer put through the EvalAI answer processor. Like the script (which asserts it), every question must have
 * an answer.
 *
 * @param upload the array to write
 */
public record VizWizSubmission(ArrayNode upload) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Builds the upload from {@code answers} to the questions of {@code questionFile}. */
    public static VizWizSubmission build(AnswerFile answers, Path questionFile) {
        Map<String, String> images = VizWizQuestions.imagesById(questionFile);
        Coverage.check(answers, images.keySet(), questionFile.toString(), false);
        ArrayNode upload = JSON.createArrayNode();
        images.forEach((id, image) -> {
            ObjectNode entry = upload.addObject();
            entry.put("image", image);
            entry.put("answer", EvalAiAnswerProcessor.process(answers.get(id).text()));
        });
        return new VizWizSubmission(upload);
    }

    /** Writes the upload JSON to {@code file} (creating its directory). */
    public void write(Path file) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            JSON.writeValue(file.toFile(), upload);
        } catch (IOException e) {
            throw new EvalInputException(file + ": cannot write the VizWiz upload (" + e.getMessage() + ")", e);
        }
    }
}

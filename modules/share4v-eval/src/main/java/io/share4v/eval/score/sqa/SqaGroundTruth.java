package io.share4v.eval.score.sqa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.share4v.eval.EvalInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The ScienceQA test problems and their answer letters, in test-split order, from one of two sources:
 *
 * <ul>
 *   <li>the official data {@code eval_science_qa.py} reads: {@code problems.json} (each problem's {@code answer}, a
 *       0-based index into {@code choices}) and, beside it, {@code pid_splits.json} (its {@code "test"} list gives
 *       the problems and their order);
 *   <li>LLaVA's question file {@code llava_test_CQM-A.json}: the 4,241 test problems in split order, each with the
 *       answer letter as its {@code "gpt"} turn (the same letters {@code problems.json} gives: LLaVA-1.5's
 *       {@code _output.jsonl} ground truth agrees on every problem).
 * </ul>
 *
 * @param problems the test problems in order
 * @param source   the file(s) read, for messages
 */
public record SqaGroundTruth(List<Problem> problems, String source) {
    private static final JsonMapper JSON = new JsonMapper();
    private static final String OPTIONS = "ABCDE";

    /** @param pid the problem id, as the answers' {@code question_id} string @param answer its letter */
    public record Problem(String pid, String answer) {}

    /** From {@code problems.json} (the file, or the directory holding it) and the {@code pid_splits.json} beside it. */
    public static SqaGroundTruth fromProblems(Path problemsFileOrDir) {
        Path problemsFile =
                Files.isDirectory(problemsFileOrDir) ? problemsFileOrDir.resolve("problems.json") : problemsFileOrDir;
        Path splitsFile = problemsFile.resolveSibling("pid_splits.json");
        JsonNode problems = read(problemsFile);
        JsonNode test = read(splitsFile).path("test");
        if (!test.isArray()) {
            throw new EvalInputException(splitsFile + ": no \"test\" list of problem ids");
        }
        List<Problem> out = new ArrayList<>();
        for (JsonNode pidNode : test) {
            String pid = pidNode.asText();
            JsonNode answer = problems.path(pid).path("answer");
            int choices = problems.path(pid).path("choices").size();
            if (!answer.canConvertToInt() || answer.intValue() < 0 || answer.intValue() >= choices) {
                throw new EvalInputException(problemsFile + ": problem " + pid + " (in " + splitsFile
                        + " \"test\") is missing or has no answer index within its choices");
            }
            out.add(new Problem(pid, String.valueOf(OPTIONS.charAt(answer.intValue()))));
        }
        return new SqaGroundTruth(out, problemsFile + " + " + splitsFile);
    }

    /** From LLaVA's {@code llava_test_CQM-A.json}. */
    public static SqaGroundTruth fromLlavaQuestions(Path file) {
        JsonNode items = read(file);
        if (!items.isArray()) {
            throw new EvalInputException(file + ": not a JSON array of questions (llava_test_CQM-A.json)");
        }
        List<Problem> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            JsonNode turns = item.path("conversations");
            String letter = turns.path(1).path("value").asText("");
            if (!item.path("id").isTextual()
                    || !"gpt".equals(turns.path(1).path("from").asText())
                    || letter.length() != 1
                    || OPTIONS.indexOf(letter.charAt(0)) < 0) {
                throw new EvalInputException(file + ": item " + i + " has no string \"id\" or no answer letter A-E"
                        + " as its second (\"gpt\") conversation turn");
            }
            out.add(new Problem(item.get("id").textValue(), letter));
        }
        return new SqaGroundTruth(out, file.toString());
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new EvalInputException(file + ": cannot be read as JSON (" + e.getMessage() + ")", e);
        }
    }
}

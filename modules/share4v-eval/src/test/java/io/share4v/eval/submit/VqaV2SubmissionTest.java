package io.share4v.eval.submit;

import static io.share4v.eval.score.ScorerHarness.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.answers.AnswerFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The VQAv2 upload on the synthetic excerpt: every test2015 question, in order, answers processed. */
class VqaV2SubmissionTest {
    private static final Path ALL = resource("vqav2/llava_vqav2_mscoco_test2015.jsonl");
    private static final Path DEV = resource("vqav2/llava_vqav2_mscoco_test-dev2015.jsonl");

    @TempDir
    Path dir;

    @Test
    void everyTest2015QuestionInOrderWithEmptyAnswersForTheOnesNotRun() throws IOException {
        VqaV2Submission s = VqaV2Submission.build(AnswerFile.read(resource("vqav2/answers.jsonl")), ALL, DEV, false);
        assertEquals(6, s.questions());
        assertEquals(4, s.answered());
        assertEquals(4, s.testDev().answered());
        Path out = dir.resolve("answers_upload/test-dev/model.json");
        s.write(out);
        assertEquals(
                "[{\"question_id\":262144000,\"answer\":\"yes\"},{\"question_id\":262144001,\"answer\":\"2\"},"
                        + "{\"question_id\":262144002,\"answer\":\"red white and blue flag\"},"
                        + "{\"question_id\":262144003,\"answer\":\"\"},{\"question_id\":262144004,\"answer\":\"3\"},"
                        + "{\"question_id\":262144005,\"answer\":\"\"}]",
                new ObjectMapper().readTree(out.toFile()).toString());
    }

    @Test
    void withoutTheTestDevFileOnlyUnknownAnswersAreChecked() {
        VqaV2Submission s = VqaV2Submission.build(AnswerFile.read(resource("vqav2/answers.jsonl")), ALL, null, false);
        assertNull(s.testDev());
        assertEquals(4, s.answered());
    }

    @Test
    void unansweredTestDevQuestionsFailUnlessPartial() throws IOException {
        Path answers = dir.resolve("a.jsonl");
        Files.write(answers, Files.readAllLines(resource("vqav2/answers.jsonl")).subList(0, 3));
        EvalInputException e = assertThrows(
                EvalInputException.class, () -> VqaV2Submission.build(AnswerFile.read(answers), ALL, DEV, false));
        assertTrue(e.getMessage().contains("1 of 4 questions") && e.getMessage().contains("262144004"), e.getMessage());
        assertEquals(
                3,
                VqaV2Submission.build(AnswerFile.read(answers), ALL, DEV, true).answered());
    }

    @Test
    void answersToQuestionsOutsideTest2015Fail() throws IOException {
        Path answers = Files.writeString(dir.resolve("a.jsonl"), "{\"question_id\": 7, \"text\": \"yes\"}\n");
        EvalInputException e = assertThrows(
                EvalInputException.class, () -> VqaV2Submission.build(AnswerFile.read(answers), ALL, null, true));
        assertTrue(e.getMessage().contains("does not have: 7"), e.getMessage());
    }
}

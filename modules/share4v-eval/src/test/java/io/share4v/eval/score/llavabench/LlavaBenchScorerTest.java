package io.share4v.eval.score.llavabench;

import static io.share4v.eval.score.ScorerHarness.resource;
import static io.share4v.eval.score.ScorerHarness.score;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.eval.EvalData;
import io.share4v.eval.EvalInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** LLaVA-Bench aggregation of stored GPT-4 reviews, as summarize_gpt_review.py. */
class LlavaBenchScorerTest {
    private static final String DIR = "llava-v1.5-eval/llava-bench-in-the-wild/";

    @TempDir
    Path dir;

    @Test
    void excerpt() {
        ObjectNode out = score(
                new LlavaBenchScorer(),
                resource("llava-bench/answers.jsonl"),
                null,
                resource("llava-bench/reviews-eval1.jsonl"),
                false);
        assertEquals(LlavaBenchScorer.JUDGE, out.get("judge").textValue());
        // By hand, the 12 review tuples: GPT-4 sum 104 -> mean 8.667, model sum 83.5 -> 6.958 (rounded to 3
        // decimals first); 6.958 / 8.667 = 80.28 % -> 80.3; 86.7 / 69.6 on the x10 scale.
        assertEquals(80.3, out.get("relative_score").doubleValue());
        assertEquals(86.7, out.get("gpt4_score").doubleValue());
        assertEquals(69.6, out.get("model_score").doubleValue());
        JsonNode c = out.get("categories");
        // complex (5): 41 / 40 -> 8.0 / 8.2; conv (4): 36 / 24 -> 6 / 9; detail (3): 27 / 19.5 -> 6.5 / 9.
        assertEquals(97.6, c.get("complex").get("relative_score").doubleValue());
        assertEquals(5, c.get("complex").get("reviews").intValue());
        assertEquals(66.7, c.get("conv").get("relative_score").doubleValue());
        assertEquals(72.2, c.get("detail").get("relative_score").doubleValue());
        assertEquals(65.0, c.get("detail").get("model_score").doubleValue());
    }

    /** The spec's table of stored reviews of LLaVA-1.5 (LLaVA's eval.zip). */
    @ParameterizedTest
    @CsvSource({
        "13b, 1, 72.8",
        "13b, 2, 72.7",
        "13b, 3, 72.1",
        "7b, 1, 64.7",
        "7b, 2, 65.3",
        "7b, 3, 66.3",
    })
    void fullFilesReproduceThePublishedAggregates(String size, int eval, double relative) {
        ObjectNode out = score(
                new LlavaBenchScorer(),
                EvalData.require(DIR + "answers/llava-v1.5-" + size + ".jsonl"),
                null,
                EvalData.require(DIR + "reviews/llava-v1.5-" + size + "-eval" + eval + ".jsonl"),
                false);
        assertEquals(relative, out.get("relative_score").doubleValue());
        if (size.equals("13b") && eval == 1) {
            assertEquals(86.5, out.get("gpt4_score").doubleValue());
            assertEquals(63.0, out.get("model_score").doubleValue());
            JsonNode c = out.get("categories");
            assertEquals(82.8, c.get("complex").get("relative_score").doubleValue());
            assertEquals(74.7, c.get("conv").get("relative_score").doubleValue());
            assertEquals(52.6, c.get("detail").get("relative_score").doubleValue());
            assertEquals(28, c.get("complex").get("reviews").intValue());
            assertEquals(17, c.get("conv").get("reviews").intValue());
            assertEquals(15, c.get("detail").get("reviews").intValue());
        }
    }

    @Test
    void reviewsOfAnotherAnswersFileAreRefused() throws IOException {
        Path answers = Files.writeString(
                dir.resolve("a.jsonl"),
                Files.readString(resource("llava-bench/answers.jsonl"))
                        .replace("YK9AqebJjMGEaJz3yzESAh", "someOtherAnswer"));
        EvalInputException e = assertThrows(
                EvalInputException.class,
                () -> score(new LlavaBenchScorer(), answers, null, resource("llava-bench/reviews-eval1.jsonl"), false));
        assertTrue(e.getMessage().contains("judged answer YK9AqebJjMGEaJz3yzESAh"), e.getMessage());
    }

    @Test
    void missingAnswersFailUnlessPartial() throws IOException {
        Path answers = dir.resolve("a.jsonl");
        Files.write(
                answers,
                Files.readAllLines(resource("llava-bench/answers.jsonl")).subList(0, 1));
        Path reviews = resource("llava-bench/reviews-eval1.jsonl");
        EvalInputException e = assertThrows(
                EvalInputException.class, () -> score(new LlavaBenchScorer(), answers, null, reviews, false));
        assertTrue(e.getMessage().contains("11 of 12 questions"), e.getMessage());
        // Question 0 alone: 10 / 8 -> 125.0
        assertEquals(
                125.0,
                score(new LlavaBenchScorer(), answers, null, reviews, true)
                        .get("relative_score")
                        .doubleValue());
    }

    @Test
    void reviewsWithoutATupleAreNamed() throws IOException {
        Path bad = Files.writeString(
                dir.resolve("r.jsonl"), "{\"question_id\": 0, \"category\": \"llava_bench_conv\", \"tuple\": [8]}\n");
        EvalInputException e = assertThrows(
                EvalInputException.class,
                () -> score(new LlavaBenchScorer(), resource("llava-bench/answers.jsonl"), null, bad, true));
        assertTrue(
                e.getMessage().contains(bad + ": review of question_id 0: \"tuple\" is not two numbers"),
                e.getMessage());
    }
}

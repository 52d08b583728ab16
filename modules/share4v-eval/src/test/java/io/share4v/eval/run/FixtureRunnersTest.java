package io.share4v.eval.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.data.image.ImageDecoder;
import io.share4v.data.image.RgbImage;
import io.share4v.eval.fixtures.BenchmarkFixture;
import io.share4v.eval.fixtures.BenchmarkLayout;
import io.share4v.eval.run.qbench.QbenchRunner;
import io.share4v.eval.score.ScorerHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every runner on its fixture (a fresh clone: test resources only). */
class FixtureRunnersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    @Test
    void everyRunnerReadsItsFixtureAndEveryImageDecodes() {
        ImageDecoder decoder = new ImageDecoder();
        assertEquals(
                Runners.names(), BenchmarkLayout.benchmarks().stream().sorted().toList());
        for (BenchmarkFixture f : BenchmarkLayout.layOutAll(root)) {
            BenchmarkRunner runner = Runners.named(f.benchmark());
            List<EvalQuestion> qs = runner.readQuestions(f.questions());
            assertEquals(f.questionCount(), qs.size(), f.benchmark());
            // a few questions each; MME's 28 are one image of each of its 14 subtasks (its scorer needs them all)
            int most = f.benchmark().equals("mme") ? 28 : 8;
            assertTrue(qs.size() >= 5 && qs.size() <= most, f.benchmark() + ": " + qs.size());
            for (int i = 0; i < qs.size(); i++) {
                EvalQuestion q = qs.get(i);
                assertEquals(i, q.index());
                if (q.hasImage()) {
                    RgbImage img = q.image().decode(decoder, f.imageFolder());
                    assertTrue(img.width() > 100 && img.height() > 100, f.benchmark() + " " + q.identity());
                    assertTrue(q.message().startsWith("<image>\n"), q.message());
                } else {
                    assertEquals("sqa", f.benchmark(), "only ScienceQA has text-only questions");
                    assertTrue(!q.message().contains("<image>"), q.message());
                }
                ObjectNode line = runner.answerLine(q, "an answer", "id" + i, "tiny");
                q.identity()
                        .fieldNames()
                        .forEachRemaining(k -> assertEquals(q.identity().get(k), line.get(k), k));
            }
        }
    }

    @Test
    void loaderLinesAreTheReferenceFormat() {
        BenchmarkFixture f = BenchmarkLayout.layOut("pope", root);
        BenchmarkRunner runner = Runners.named("pope");
        EvalQuestion q = runner.readQuestions(f.questions()).get(0);
        assertEquals(
                "{\"question_id\":1,\"prompt\":\"Is there a snowboard in the image?\\nAnswer the question using a single"
                        + " word or phrase.\",\"text\":\"Yes\",\"answer_id\":\"abc\",\"model_id\":\"m\",\"metadata\":{}}",
                runner.answerLine(q, "Yes", "abc", "m").toString());
    }

    /** The MMBench rows' answer lines against LLaVA-1.5-13B's (options, option_char, round_id, prompt, key order). */
    @Test
    void mmbenchLinesMatchLlavasAnswerFile() throws Exception {
        Map<Long, JsonNode> reference = new HashMap<>();
        for (String l : Files.readAllLines(ScorerHarness.resource("mmbench/llava-v1.5-13b.excerpt.jsonl"))) {
            JsonNode n = JSON.readTree(l);
            reference.put(n.get("question_id").longValue(), n);
        }
        BenchmarkFixture f = BenchmarkLayout.layOut("mmbench", root);
        assertNull(f.imageFolder());
        BenchmarkRunner runner = Runners.named("mmbench");
        for (EvalQuestion q : runner.readQuestions(f.questions())) {
            JsonNode ref = reference.get(q.identity().get("question_id").longValue());
            assertNotNull(ref, q.identity().toString());
            ObjectNode line = runner.answerLine(
                    q,
                    ref.get("text").textValue(),
                    ref.get("answer_id").textValue(),
                    ref.get("model_id").textValue());
            assertEquals(ref.toString(), line.toString(), "the whole line, keys in the reference's order");
        }
    }

    @Test
    void qbenchLineIsTheRecordPlusResponse() {
        BenchmarkFixture f = BenchmarkLayout.layOut("qbench", root);
        EvalQuestion q = Runners.named("qbench").readQuestions(f.questions()).get(0);
        assertEquals(
                "{\"img_path\":\"00001.jpg\",\"question\":\"Is this image clear?\",\"candidates\":[\"Yes\",\"No\"],"
                        + "\"correct_ans\":\"No\",\"type\":0,\"concern\":0,\"response\":\"B\"}",
                Runners.named("qbench").answerLine(q, "B", "x", "m").toString());
        assertEquals("[\"00001.jpg\",\"Is this image clear?\"]", QbenchRunner.answerKey(q));
    }

    @Test
    void qbenchListsAtMostFourCandidatesAsTheReferenceZipsThemWithAToD() throws Exception {
        Path file = root.resolve("q.json");
        Files.writeString(
                file,
                "[{\"img_path\": \"a.jpg\", \"question\": \"Q?\", \"candidates\": [\"1\", \"2\", \"3\","
                        + " \"4\", \"5\"]}]");
        assertEquals(
                "<image>\nQ?\nChoose between one of the options as follows:\nA. 1\nB. 2\nC. 3\nD. 4\n",
                Runners.named("qbench").readQuestions(file).get(0).message());
    }

    /** The option walk stops at the first missing option (NaN, "nan", "none" in any case): later ones are lost. */
    @Test
    void mmbenchOptionWalkStopsAtTheFirstMissingOption() throws Exception {
        Path file = root.resolve("t.tsv");
        Files.writeString(
                file,
                "index\tquestion\thint\tA\tB\tC\tD\timage\n"
                        + "1\tQ?\tnan\ta\tb\t\td\tAAAA\n"
                        + "2\tQ?\tH\ta\tNONE\tc\td\tAAAA\n"
                        + "3\tQ?\tNone\ta\tb\tc\td\tAAAA\n");
        List<String> prompts = new ArrayList<>();
        List<String> chars = new ArrayList<>();
        for (EvalQuestion q : Runners.named("mmbench").readQuestions(file)) {
            prompts.add(q.record().get("prompt").textValue());
            chars.add(q.record().get("option_char").toString());
        }
        assertEquals(List.of("Q?\nA. a\nB. b", "H\nQ?\nA. a", "Q?\nA. a\nB. b\nC. c\nD. d"), prompts);
        assertEquals(List.of("[\"A\",\"B\"]", "[\"A\"]", "[\"A\",\"B\",\"C\",\"D\"]"), chars);
    }
}

package io.share4v.eval.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.data.image.AspectMode;
import io.share4v.eval.answers.AnswerFile;
import io.share4v.eval.fixtures.BenchmarkFixture;
import io.share4v.eval.fixtures.BenchmarkLayout;
import io.share4v.eval.fixtures.TinyModels;
import io.share4v.eval.score.Scorer;
import io.share4v.eval.score.Scorers;
import io.share4v.model.io.LlavaDirectory;
import io.share4v.tensor.backend.Backend;
import io.share4v.tensor.backend.Backends;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every benchmark end to end on its fixture: questions → a tiny random model (batches of 2) → an answer file written
 * line by line with the runner's {@code answerLine} → read back by the benchmark's scorer and, where ground truth is
 * laid out, scored. The numbers are meaningless; the path (and the keys and counts) is the point.
 */
class EndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Enough to exercise decoding; the default budgets (128/1024) would only slow the random model down. */
    private static final int MAX_NEW_TOKENS = 6;
    /** Each scorer's headline key. */
    private static final Map<String, List<String>> HEADLINES = Map.of(
            "pope", List.of("f1"),
            "mme", List.of("perception", "cognition"),
            "sqa", List.of("img_accuracy"),
            "mmbench", List.of("circular_accuracy"),
            "mmbench_cn", List.of("circular_accuracy"),
            "gqa", List.of("accuracy"),
            "textvqa", List.of("accuracy"),
            "qbench", List.of("accuracy"));

    @TempDir
    static Path root;

    private static QuestionAnswerer answerer;

    @BeforeAll
    static void loadTinyModel() throws Exception {
        Backend backend = Backends.create("nd4j");
        Path model = TinyModels.write(root.resolve("tiny-llava"), AspectMode.PAD, 11, backend);
        answerer = new QuestionAnswerer(LlavaDirectory.open(model, null), backend, QuestionAnswerer.Options.of(2));
    }

    @AfterAll
    static void close() {
        answerer.close();
    }

    static List<String> benchmarks() {
        return Runners.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("benchmarks")
    void answersAreWrittenReadBackAndScored(String benchmark) throws Exception {
        BenchmarkFixture fixture = BenchmarkLayout.layOut(benchmark, root.resolve("data"));
        BenchmarkRunner runner = Runners.named(benchmark);
        List<EvalQuestion> questions = runner.readQuestions(fixture.questions());
        Path answers = root.resolve("answers").resolve(benchmark + ".jsonl");
        Files.createDirectories(answers.getParent());
        AnswerStats stats;
        try (BufferedWriter out = Files.newBufferedWriter(answers, StandardCharsets.UTF_8)) {
            stats = answerer.answer(
                    runner.settings().withMaxNewTokens(MAX_NEW_TOKENS), questions, fixture.imageFolder(), (q, seq) -> {
                        out.write(JSON.writeValueAsString(
                                runner.answerLine(q, seq.text(), "answer-" + q.index(), "tiny-llava")));
                        out.write('\n');
                    });
        }
        assertEquals(fixture.questionCount(), stats.questions());
        assertTrue(stats.newTokens() >= questions.size() && stats.newTokens() <= MAX_NEW_TOKENS * questions.size());
        List<String> lines = Files.readAllLines(answers, StandardCharsets.UTF_8);
        assertEquals(questions.size(), lines.size());
        for (int i = 0; i < lines.size(); i++) {
            ObjectNode line = (ObjectNode) JSON.readTree(lines.get(i));
            EvalQuestion q = questions.get(i);
            q.identity()
                    .fieldNames()
                    .forEachRemaining(k -> assertEquals(
                            q.identity().get(k).toString(), line.get(k).toString(), k));
        }

        Scorer scorer = Scorers.named(benchmark);
        AnswerFile read = scorer.readAnswers(answers);
        assertEquals(questions.size(), read.size());
        if (fixture.scorable()) {
            ObjectNode score = scorer.score(answers, fixture.questions(), fixture.annotations(), false);
            System.out.println(benchmark + ": " + score);
            assertEquals(questions.size(), score.get("answered").intValue(), score.toString());
            for (String key : HEADLINES.getOrDefault(benchmark, List.of())) {
                assertTrue(score.get(key).isNumber(), key + " in " + score);
            }
        }
    }
}

package io.share4v.eval.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.eval.EvalInputException;
import io.share4v.eval.fixtures.BenchmarkFixture;
import io.share4v.eval.fixtures.BenchmarkLayout;
import io.share4v.eval.run.EvalQuestion;
import io.share4v.eval.run.ImageSource;
import io.share4v.eval.run.Runners;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver's checks before any task starts. */
class EvalDriverTest {
    @TempDir
    Path root;

    @Test
    void missingImagesAreCountedAndNamedBeforeAnyTaskStarts() throws Exception {
        BenchmarkFixture pope = BenchmarkLayout.layOut("pope", root);
        EvalConfig cfg = config(pope);
        List<BenchmarkTask> planned = EvalDriver.plan(cfg, EvalLayout.directory(root.resolve("ok")), 2);
        assertEquals(pope.questionCount(), planned.get(0).questionCount());

        List<EvalQuestion> questions = Runners.named("pope").readQuestions(pope.questions());
        String gone =
                ((ImageSource.InFolder) questions.get(questions.size() - 1).image()).relativePath();
        Files.delete(pope.imageFolder().resolve(gone));
        EvalInputException e = assertThrows(
                EvalInputException.class, () -> EvalDriver.plan(cfg, EvalLayout.directory(root.resolve("out")), 2));
        assertTrue(e.getMessage().startsWith("pope: 1 of the "), e.getMessage());
        assertTrue(e.getMessage().contains(gone + " (question "), e.getMessage());
        assertFalse(Files.exists(root.resolve("out").resolve("pope").resolve("parts")), "nothing planned");
    }

    private static EvalConfig config(BenchmarkFixture f) throws Exception {
        return EvalConfig.load(
                        null,
                        Map.of(
                                "model", "/m/tiny",
                                "output_dir", "/tmp/unused",
                                "benchmarks", List.of("pope"),
                                "pope.questions", f.questions().toString(),
                                "pope.image_folder", f.imageFolder().toString()),
                        List.of())
                .validatedForRun();
    }
}

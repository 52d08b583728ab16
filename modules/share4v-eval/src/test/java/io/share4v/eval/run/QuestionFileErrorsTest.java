package io.share4v.eval.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.data.image.ImageDecoder;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.fixtures.BenchmarkFixture;
import io.share4v.eval.fixtures.BenchmarkLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed question files: every bad record counted, the first few named with file, record and reason. */
class QuestionFileErrorsTest {
    @TempDir
    Path dir;

    private static String message(Runnable r) {
        return assertThrows(EvalInputException.class, r::run).getMessage();
    }

    @Test
    void jsonlCountsEveryBadLineAndNamesTheFirstFew() throws Exception {
        Path f = dir.resolve("llava_pope_test.jsonl");
        StringBuilder s = new StringBuilder();
        s.append("{\"question_id\": 1, \"image\": \"a.jpg\", \"text\": \"Q?\"}\n"); // line 1: fine
        s.append("{\"question_id\": 2, \"image\": \"a.jpg\"\n"); // 2: not JSON
        s.append("\n"); // 3: blank, skipped
        s.append("[1, 2]\n"); // 4: not an object
        s.append("{\"image\": \"a.jpg\", \"text\": \"Q?\"}\n"); // 5: no id
        s.append("{\"question_id\": 6, \"image\": \"a.jpg\", \"text\": 7}\n"); // 6: text not a string
        s.append("{\"question_id\": 7, \"image\": \"\", \"text\": \"Q?\"}\n"); // 7: empty image
        s.append("{\"question_id\": 8.5, \"image\": \"a.jpg\", \"text\": \"Q?\"}\n"); // 8: id not an integer
        s.append("{\"question_id\": 9, \"image\": \"a.jpg\", \"text\": \"Q?\"}\n"); // 9: fine
        Files.writeString(f, s);
        String m = message(() -> Runners.named("pope").readQuestions(f));
        assertTrue(m.startsWith(f + ": 6 bad records of 8 in the pope question file"), m);
        for (String line : List.of(
                "line 2: not valid JSON",
                "line 4: not a JSON object",
                "line 5: no question_id",
                "line 6: no string \"text\"",
                "line 7: question_id 7: \"image\" is empty")) {
            assertTrue(m.contains(line), line + " in " + m);
        }
        assertFalse(m.contains("line 8"), "only the first " + BadRecords.SHOWN + " are named: " + m);
        assertTrue(m.endsWith("..."), m);
    }

    @Test
    void missingQuestionFileIsNamed() {
        Path f = dir.resolve("nope.jsonl");
        assertTrue(message(() -> Runners.named("gqa").readQuestions(f)).contains(f + ": not found"));
    }

    @Test
    void scienceQaRecordsAreNumbered() throws Exception {
        Path f = dir.resolve("llava_test_CQM-A.json");
        Files.writeString(
                f,
                "[{\"id\": \"1\", \"conversations\": [{\"from\": \"human\", \"value\": \"Q\"}]},"
                        + " {\"id\": 2, \"conversations\": []},"
                        + " {\"id\": \"3\", \"image\": 5, \"conversations\": [{\"from\": \"human\", \"value\": \"Q\"}]},"
                        + " {\"id\": \"4\"}]");
        String m = message(() -> Runners.named("sqa").readQuestions(f));
        assertTrue(m.startsWith(f + ": 3 bad records of 4"), m);
        assertTrue(m.contains("record 1: no string \"id\""), m);
        assertTrue(m.contains("record 2: id 3: \"image\" is not a non-empty string"), m);
        assertTrue(m.contains("record 3: id 4: no \"conversations\""), m);
        Files.writeString(f, "{\"id\": \"1\"}");
        assertTrue(message(() -> Runners.named("sqa").readQuestions(f)).contains("not a JSON array"));
    }

    @Test
    void qbenchRecordsAreNumbered() throws Exception {
        Path f = dir.resolve("llvisionqa_dev.json");
        Files.writeString(
                f,
                "[{\"img_path\": \"1.jpg\", \"question\": \"Q\", \"candidates\": [\"a\", \"b\"]},"
                        + " {\"img_path\": \"2.jpg\", \"question\": \"Q\"},"
                        + " {\"img_path\": \"3.jpg\", \"question\": \"Q\", \"candidates\": [\"a\", 4]}]");
        String m = message(() -> Runners.named("qbench").readQuestions(f));
        assertTrue(m.startsWith(f + ": 2 bad records of 3"), m);
        assertTrue(m.contains("record 1: 2.jpg: no \"candidates\" array"), m);
        assertTrue(m.contains("record 2: 3.jpg: candidate 1 is not a string"), m);
    }

    @Test
    void mmbenchRowsAreNamed() throws Exception {
        Path f = dir.resolve("mmbench_dev.tsv");
        Files.writeString(
                f,
                "index\tquestion\thint\tA\tB\timage\n"
                        + "1\tQ\t\ta\tb\tAAAA\n"
                        + "x\tQ\t\ta\tb\tAAAA\n"
                        + "3\t\t\ta\tb\tAAAA\n"
                        + "4\tQ\t\ta\tb\t\n");
        String m = message(() -> Runners.named("mmbench").readQuestions(f));
        assertTrue(m.startsWith(f + ": 3 bad records of 4 in the mmbench TSV"), m);
        assertTrue(m.contains("row 2: the index \"x\" is not an integer"), m);
        assertTrue(m.contains("row 3: index 3: the question is empty"), m);
        assertTrue(m.contains("row 4: index 4: the image is empty"), m);
        Files.writeString(f, "index\tquestion\tA\tB\timage\n1\tQ\ta\tb\tAAAA\n");
        assertTrue(message(() -> Runners.named("mmbench").readQuestions(f)).contains("no column \"hint\""));
    }

    @Test
    void missingImageNamesItsPath() {
        BenchmarkFixture f = BenchmarkLayout.layOut("pope", dir);
        EvalQuestion q = Runners.named("pope").readQuestions(f.questions()).get(0);
        Path image = f.imageFolder().resolve("COCO_val2014_000000310196.jpg");
        assertEquals(image.toString(), q.image().describe(f.imageFolder()));
        q.image().decode(new ImageDecoder(), f.imageFolder()); // laid out: decodes
        assertTrue(image.toFile().delete());
        String m = message(() -> q.image().decode(new ImageDecoder(), f.imageFolder()));
        assertEquals("image " + image + " not found", m);
    }

    @Test
    void badBase64NamesTheTsvAndTheIndex() throws Exception {
        Path f = dir.resolve("mmbench_dev.tsv");
        Files.writeString(f, "index\tquestion\thint\tA\tB\timage\n1000017\tQ\t\ta\tb\tnot*base64!\n");
        EvalQuestion q = Runners.named("mmbench").readQuestions(f).get(0);
        String m = message(() -> q.image().decode(new ImageDecoder(), null));
        assertTrue(m.startsWith(f + " index 1000017: the image is not valid base64"), m);
        Files.writeString(f, "index\tquestion\thint\tA\tB\timage\n5\tQ\t\ta\tb\tAAAAAAAA\n");
        EvalQuestion notAnImage = Runners.named("mmbench").readQuestions(f).get(0);
        assertTrue(message(() -> notAnImage.image().decode(new ImageDecoder(), null))
                .startsWith(f + " index 5: "));
    }
}

package io.share4v.eval.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.eval.EvalData;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.Expected;
import io.share4v.eval.answers.AnswerFile;
import io.share4v.eval.score.mmbench.MmbenchTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MmbenchSubmissionTest {
    private static final Path DIR = Expected.RESOURCES.resolve("mmbench");
    private static final List<String> DEV_COLUMNS =
            List.of("index", "question", "A", "B", "C", "D", "prediction", "answer", "split");

    @TempDir
    Path tmp;

    @Test
    void excerptWorkbookHasTheConverterLayout() throws IOException {
        Path out = tmp.resolve("upload.xlsx");
        MmbenchTable tsv = MmbenchTable.read(DIR.resolve("mmbench_dev.excerpt.tsv"));
        AnswerFile answers = AnswerFile.read(DIR.resolve("llava-v1.5-13b.excerpt.jsonl"));
        assertEquals(43, MmbenchSubmission.write(tsv, answers, out, false));
        MmbenchTable written = MmbenchTable.read(out);
        assertEquals(DEV_COLUMNS, written.columns());
        for (int r = 0; r < tsv.rows().size(); r++) {
            Map<String, String> source = tsv.rows().get(r);
            Map<String, String> row = written.rows().get(r);
            assertEquals(answers.get(source.get("index")).text(), row.get("prediction"));
            for (String c : List.of("index", "question", "A", "B", "C", "D", "answer", "split")) {
                assertEquals(source.get(c), row.get(c), c);
            }
        }
    }

    @Test
    void missingAnswersFailUnlessPartialAndThenLeaveTheCellEmpty() throws IOException {
        List<String> lines = Files.readAllLines(DIR.resolve("llava-v1.5-13b.excerpt.jsonl"));
        AnswerFile fewer = AnswerFile.read(Files.write(tmp.resolve("a.jsonl"), lines.subList(1, lines.size())));
        MmbenchTable tsv = MmbenchTable.read(DIR.resolve("mmbench_dev.excerpt.tsv"));
        Path out = tmp.resolve("o.xlsx");
        assertThrows(EvalInputException.class, () -> MmbenchSubmission.write(tsv, fewer, out, false));
        MmbenchSubmission.write(tsv, fewer, out, true);
        assertNull(MmbenchTable.read(out).rows().get(0).get("prediction"));
    }

    @Test
    void aTableWithoutTheTsvColumnsIsRefused() throws IOException {
        Path notTsv = Files.writeString(tmp.resolve("x.tsv"), "index\tquestion\n1\tq\n");
        EvalInputException e = assertThrows(
                EvalInputException.class,
                () -> MmbenchSubmission.write(
                        MmbenchTable.read(notTsv),
                        AnswerFile.read(
                                Files.writeString(tmp.resolve("a.jsonl"), "{\"question_id\": 1, \"text\": \"A\"}")),
                        tmp.resolve("o.xlsx"),
                        false));
        assertTrue(e.getMessage().startsWith(notTsv + ": no \"hint\" column"), e.getMessage());
    }

    /**
     * LLaVA-1.5-13B's dev upload, rewritten: the dev TSV is not in the eval data, so it is rebuilt from the upload's
     * own columns (plus the columns the converter drops); every cell of the rewrite must equal the original.
     */
    @Test
    void rewritesLlavasDevUpload() throws IOException {
        Path upload =
                EvalData.require("llava-v1.5-eval/mmbench/answers_upload/mmbench_dev_20230712/llava-v1.5-13b.xlsx");
        Path answers = EvalData.require("llava-v1.5-eval/mmbench/answers/mmbench_dev_20230712/llava-v1.5-13b.jsonl");
        MmbenchTable original = MmbenchTable.read(upload);
        List<String> tsvColumns = List.of(
                "index",
                "question",
                "hint",
                "A",
                "B",
                "C",
                "D",
                "answer",
                "category",
                "source",
                "l2-category",
                "comment",
                "split",
                "image");
        List<String> lines = new ArrayList<>();
        lines.add(String.join("\t", tsvColumns));
        for (Map<String, String> row : original.rows()) {
            List<String> fields = new ArrayList<>();
            for (String c : tsvColumns) {
                String v = row.get(c);
                fields.add(v == null ? "" : quoted(v));
            }
            lines.add(String.join("\t", fields));
        }
        Path tsv = Files.write(tmp.resolve("mmbench_dev.tsv"), lines);
        Path out = tmp.resolve("upload.xlsx");
        MmbenchSubmission.write(MmbenchTable.read(tsv), AnswerFile.read(answers), out, false);
        MmbenchTable rewritten = MmbenchTable.read(out);
        assertEquals(original.columns(), rewritten.columns());
        assertEquals(original.rows(), rewritten.rows());
    }

    /** A TSV field as pandas writes one: in double quotes (doubled inside) when it holds a tab, newline or quote. */
    private static String quoted(String v) {
        return v.contains("\t") || v.contains("\n") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}

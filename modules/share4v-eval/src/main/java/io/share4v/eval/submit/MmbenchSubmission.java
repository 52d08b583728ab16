package io.share4v.eval.submit;

import io.share4v.eval.EvalInputException;
import io.share4v.eval.answers.Answer;
import io.share4v.eval.answers.AnswerFile;
import io.share4v.eval.score.Coverage;
import io.share4v.eval.score.mmbench.MmbenchTable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * The MMBench / MMBench-CN submission workbook, as LLaVA's {@code convert_mmbench_for_submission.py} writes it for
 * the evaluation server: the TSV's columns without {@code hint, category, source, image, comment, l2-category},
 * with {@code prediction} inserted as the 7th column (for dev: {@code index, question, A, B, C, D, prediction,
 * answer, split}), one row per TSV row in TSV order, the prediction being the text of the answer whose
 * {@code question_id} is the row's {@code index}. {@code index} is written as a number, other cells as text, a
 * missing value as an empty cell (as pandas writes NaN).
 */
public final class MmbenchSubmission {
    private static final List<String> DROPPED =
            List.of("hint", "category", "source", "image", "comment", "l2-category");
    private static final int PREDICTION_COLUMN = 6;

    private MmbenchSubmission() {}

    /**
     * Writes {@code out} from the benchmark TSV and the answers; every row needs an answer unless
     * {@code allowPartial} (then its prediction is empty, as the script leaves it). Returns the number of rows.
     */
    public static int write(MmbenchTable tsv, AnswerFile answers, Path out, boolean allowPartial) {
        List<String> columns = new ArrayList<>(tsv.columns());
        for (String c : DROPPED) {
            if (!columns.remove(c)) {
                throw new EvalInputException(tsv.file() + ": no \"" + c + "\" column (expected the MMBench TSV)");
            }
        }
        if (!columns.contains("index") || columns.size() < PREDICTION_COLUMN) {
            throw new EvalInputException(tsv.file() + ": expected index, question and the options A-D");
        }
        columns.add(PREDICTION_COLUMN, "prediction");
        List<String> ids = tsv.rows().stream().map(r -> r.get("index")).toList();
        Coverage.check(answers, ids, tsv.file().toString(), allowPartial);

        try (XSSFWorkbook book = new XSSFWorkbook();
                OutputStream os = Files.newOutputStream(out)) {
            Sheet sheet = book.createSheet();
            Font bold = book.createFont();
            bold.setBold(true);
            CellStyle header = book.createCellStyle();
            header.setFont(bold);
            Row head = sheet.createRow(0);
            for (int c = 0; c < columns.size(); c++) {
                head.createCell(c).setCellValue(columns.get(c));
                head.getCell(c).setCellStyle(header);
            }
            for (int r = 0; r < tsv.rows().size(); r++) {
                Map<String, String> source = tsv.rows().get(r);
                Row row = sheet.createRow(r + 1);
                for (int c = 0; c < columns.size(); c++) {
                    String column = columns.get(c);
                    if (column.equals("index")) {
                        row.createCell(c).setCellValue(index(tsv, r, source.get("index")));
                    } else {
                        String value = column.equals("prediction") ? prediction(answers, source) : source.get(column);
                        row.createCell(c).setCellValue(value == null ? "" : value);
                    }
                }
            }
            book.write(os);
        } catch (IOException e) {
            throw new EvalInputException(out + ": cannot be written (" + e.getMessage() + ")", e);
        }
        return tsv.rows().size();
    }

    private static String prediction(AnswerFile answers, Map<String, String> row) {
        Answer a = answers.get(row.get("index"));
        return a == null ? null : a.text();
    }

    private static long index(MmbenchTable tsv, int row, String value) {
        try {
            return Long.parseLong(value == null ? "" : value);
        } catch (NumberFormatException e) {
            throw new EvalInputException(tsv.file() + ": row " + (row + 1) + ": index " + value + " is not an integer");
        }
    }
}

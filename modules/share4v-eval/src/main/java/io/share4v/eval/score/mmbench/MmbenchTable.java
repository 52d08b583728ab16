package io.share4v.eval.score.mmbench;

import io.share4v.eval.EvalInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * An MMBench table as pandas reads it: the dev/test TSV ({@code pd.read_table}: tab-separated, a header row, fields
 * optionally in double quotes with {@code ""} for a quote) or an xlsx workbook's first sheet such as LLaVA's upload
 * file (whose dev version keeps the {@code answer} column). A cell pandas reads as NaN (empty, or one of pandas'
 * default missing-value strings such as {@code nan}, {@code None}, {@code N/A}) is null here. The base64
 * {@code image} column is kept only by {@link #readWithImages} (the runner's question table): the scorers do not need
 * it and it is most of the file.
 *
 * @param file    where it was read, for messages
 * @param columns the header, in file order (with {@code image} if the file has it)
 * @param rows    one map per row, column to value or null
 */
public record MmbenchTable(Path file, List<String> columns, List<Map<String, String>> rows) {
    public static final String IMAGE = "image";
    /** pandas' default {@code na_values}, which read_table and read_excel both apply. */
    private static final Set<String> PANDAS_NA = Set.of(
            "",
            "#N/A",
            "#N/A N/A",
            "#NA",
            "-1.#IND",
            "-1.#QNAN",
            "-NaN",
            "-nan",
            "1.#IND",
            "1.#QNAN",
            "<NA>",
            "N/A",
            "NA",
            "NULL",
            "NaN",
            "None",
            "n/a",
            "nan",
            "null");

    /** Reads a {@code .xlsx} workbook or else a TSV. */
    public static MmbenchTable read(Path file) {
        return read(file, false);
    }

    /** The TSV (or xlsx) with its base64 {@code image} column, as {@code model_vqa_mmbench} reads its questions. */
    public static MmbenchTable readWithImages(Path file) {
        return read(file, true);
    }

    private static MmbenchTable read(Path file, boolean keepImage) {
        try {
            return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".xlsx")
                    ? readXlsx(file, keepImage)
                    : readTsv(file, keepImage);
        } catch (IOException e) {
            throw new EvalInputException(file + ": cannot be read as an MMBench table (" + e.getMessage() + ")", e);
        }
    }

    private static MmbenchTable readTsv(Path file, boolean keepImage) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            TsvRecords records = new TsvRecords(in);
            List<String> header = records.next();
            if (header == null) {
                throw new EvalInputException(file + ": empty (expected a header row)");
            }
            List<Map<String, String>> rows = new ArrayList<>();
            for (List<String> fields = records.next(); fields != null; fields = records.next()) {
                if (fields.size() != header.size()) {
                    throw new EvalInputException(file + ": record " + (rows.size() + 1) + " has " + fields.size()
                            + " fields, the header " + header.size());
                }
                rows.add(row(header, fields, keepImage));
            }
            return new MmbenchTable(file, List.copyOf(header), Collections.unmodifiableList(rows));
        }
    }

    private static MmbenchTable readXlsx(Path file, boolean keepImage) throws IOException {
        try (InputStream in = Files.newInputStream(file);
                Workbook book = new XSSFWorkbook(in)) {
            Sheet sheet = book.getSheetAt(0);
            Row head = sheet.getRow(sheet.getFirstRowNum());
            if (head == null) {
                throw new EvalInputException(file + ": the first sheet is empty (expected a header row)");
            }
            List<String> header = new ArrayList<>();
            for (int c = 0; c < head.getLastCellNum(); c++) {
                header.add(text(head.getCell(c)));
            }
            List<Map<String, String>> rows = new ArrayList<>();
            for (int r = head.getRowNum() + 1; r <= sheet.getLastRowNum(); r++) {
                Row row = sheet.getRow(r);
                List<String> fields = new ArrayList<>();
                for (int c = 0; c < header.size(); c++) {
                    fields.add(row == null ? "" : text(row.getCell(c)));
                }
                rows.add(row(header, fields, keepImage));
            }
            return new MmbenchTable(file, List.copyOf(header), Collections.unmodifiableList(rows));
        }
    }

    private static Map<String, String> row(List<String> header, List<String> fields, boolean keepImage) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            if (keepImage || !header.get(i).equals(IMAGE)) {
                String v = fields.get(i);
                row.put(header.get(i), PANDAS_NA.contains(v) ? null : v);
            }
        }
        return row;
    }

    /** A cell as pandas would turn it into text: whole numbers without a fraction (the {@code index} column). */
    private static String text(Cell cell) {
        if (cell == null) {
            return "";
        }
        CellType type = cell.getCellType() == CellType.FORMULA ? cell.getCachedFormulaResultType() : cell.getCellType();
        return switch (type) {
            case NUMERIC -> {
                double d = cell.getNumericCellValue();
                yield d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
            }
            case STRING -> cell.getStringCellValue();
            case BOOLEAN -> cell.getBooleanCellValue() ? "True" : "False";
            default -> "";
        };
    }

    /** Column {@code name} exists. */
    public boolean has(String name) {
        return columns.contains(name);
    }
}

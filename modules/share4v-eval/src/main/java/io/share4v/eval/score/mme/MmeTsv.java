package io.share4v.eval.score.mme;

import io.share4v.eval.EvalInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The MME eval tool's text files: one question a line, fields separated by TAB ({@code image, question, ground truth}
 * in the {@code Your_Results} templates, plus the model's answer in a results directory). Lines end as Python's
 * text mode sees them ({@code \n}, {@code \r\n} or {@code \r}); a line with another number of fields, a ground truth
 * that is not yes/no, or an empty file is an error naming the file and line, where {@code calculation.py} would stop
 * on an exception or an assertion.
 */
final class MmeTsv {
    private MmeTsv() {}

    /** A line of {@code file}, split into its fields. */
    record Line(Path file, int number, String[] fields) {
        String where() {
            return file + " line " + number;
        }

        /** The ground-truth field, which {@code calculation.py} lower-cases and asserts is yes or no. */
        boolean truthYes(int field) {
            String t = fields[field].toLowerCase(Locale.ROOT);
            if (!t.equals("yes") && !t.equals("no")) {
                throw new EvalInputException(
                        where() + ": the ground truth is \"" + fields[field] + "\", not Yes or No");
            }
            return t.equals("yes");
        }
    }

    static List<Line> read(Path file, int columns, String what) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new EvalInputException(file + ": not found (" + what + ")", e);
        } catch (IOException e) {
            throw new EvalInputException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
        String[] raw = text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
        // A final newline ends the last line rather than starting an empty one.
        int count = raw.length > 0 && raw[raw.length - 1].isEmpty() ? raw.length - 1 : raw.length;
        if (count == 0) {
            throw new EvalInputException(file + ": empty (" + what + ")");
        }
        List<Line> lines = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String[] fields = raw[i].split("\t", -1);
            if (fields.length != columns) {
                throw new EvalInputException(file + " line " + (i + 1) + ": " + fields.length + " TAB-separated fields,"
                        + " expected " + columns + " (" + what + ")");
            }
            lines.add(new Line(file, i + 1, fields));
        }
        return lines;
    }
}

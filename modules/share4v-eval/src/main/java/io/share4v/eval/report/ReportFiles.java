package io.share4v.eval.report;

import io.share4v.common.json.JsonFile;
import io.share4v.eval.EvalInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading the run directory's JSON files: every error names the file and what it should have been. */
final class ReportFiles {
    private ReportFiles() {}

    /** {@code file}, one JSON object; missing, unreadable or malformed is an error saying it should be {@code what}. */
    static JsonFile json(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new EvalInputException(file + ": not found (" + what + ")");
        }
        try {
            return JsonFile.read(file, EvalInputException::new);
        } catch (IOException e) {
            throw new EvalInputException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }
}

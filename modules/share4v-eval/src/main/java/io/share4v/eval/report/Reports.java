package io.share4v.eval.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.share4v.eval.EvalInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a run's {@code report.json}, {@code report.md} and {@code report.png} into its output directory. */
public final class Reports {
    public static final String JSON = "report.json";
    public static final String MARKDOWN = "report.md";
    public static final String PNG = "report.png";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Reports() {}

    /** Reads the run directory {@code dir} and (re)writes its three report files; returns the report. */
    public static RunReport write(Path dir) {
        RunReport report = RunReport.read(dir);
        try {
            Files.writeString(
                    dir.resolve(JSON), MAPPER.writeValueAsString(ReportJson.of(report)) + "\n", StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(MARKDOWN), ReportMarkdown.of(report), StandardCharsets.UTF_8);
            ReportChart.write(report, dir.resolve(PNG));
        } catch (IOException e) {
            throw new EvalInputException(dir + ": cannot write the report (" + e.getMessage() + ")", e);
        }
        return report;
    }
}

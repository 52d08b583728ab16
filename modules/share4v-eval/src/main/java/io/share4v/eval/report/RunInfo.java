package io.share4v.eval.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.common.json.JsonFile;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.score.Scorers;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A run's {@code OUTPUT/run.json}, as the evaluation job writes it.
 *
 * @param file        the file read, for messages
 * @param model       the model directory evaluated
 * @param modelId     the model's id (the answers' {@code model_id})
 * @param visionTower the vision tower directory given, or null: the one the model's config names ({@code mm_vision_tower})
 * @param checkpoint  the checkpoint (an optimizer step, a name, or JSON null)
 * @param gitCommit   the commit of the code that ran
 * @param config      the resolved configuration keys
 * @param started     ISO-8601 start time
 * @param finished    ISO-8601 end time
 * @param benchmarks  the benchmarks the run was asked for, each a scorer name, at most once
 */
public record RunInfo(
        Path file,
        String model,
        String modelId,
        String visionTower,
        JsonNode checkpoint,
        String gitCommit,
        ObjectNode config,
        String started,
        String finished,
        List<String> benchmarks) {
    public RunInfo {
        if (!(checkpoint.isNull() || checkpoint.isIntegralNumber() || checkpoint.isTextual())) {
            throw new EvalInputException(
                    file + ": key \"checkpoint\" = " + checkpoint + " is invalid: expected a step, a name or null");
        }
        for (String[] time : new String[][] {{"started", started}, {"finished", finished}}) {
            try {
                DateTimeFormatter.ISO_DATE_TIME.parse(time[1]);
            } catch (DateTimeParseException e) {
                throw new EvalInputException(
                        file + ": key \"" + time[0] + "\" = \"" + time[1] + "\" is invalid: expected ISO-8601", e);
            }
        }
        Set<String> seen = new HashSet<>();
        for (String b : benchmarks) {
            if (!ReportColumn.reports(b)) {
                throw new EvalInputException(file + ": benchmark \"" + b + "\" is unknown: expected one of "
                        + String.join(", ", Scorers.names()));
            }
            if (!seen.add(b)) {
                throw new EvalInputException(file + ": benchmark \"" + b + "\" is listed twice");
            }
        }
        benchmarks = List.copyOf(benchmarks);
        config = config.deepCopy();
    }

    /** Reads {@code file}; a missing or malformed file, or a missing key, is an error naming it. */
    public static RunInfo read(Path file) {
        JsonFile json = ReportFiles.json(file, "the run's summary (the evaluation job writes it)");
        if (!json.node().has("checkpoint")) {
            throw new EvalInputException(file + ": no key \"checkpoint\" (a step, a name or null)");
        }
        List<String> benchmarks = json.strings("benchmarks");
        if (benchmarks == null) {
            throw new EvalInputException(file + ": no key \"benchmarks\" (an array of benchmark names)");
        }
        return new RunInfo(
                file,
                json.string("model"),
                json.string("model_id"),
                json.string("vision_tower", null),
                json.node().get("checkpoint"),
                json.string("git_commit"),
                (ObjectNode) json.object("config").node(),
                json.string("started"),
                json.string("finished"),
                benchmarks);
    }

    /** The checkpoint as text: the step or name, or {@code none}. */
    public String checkpointText() {
        return checkpoint.isNull() ? "none" : checkpoint.asText();
    }
}

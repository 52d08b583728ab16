package io.share4v.train.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * {@code OUTPUT/metrics.jsonl} (appended, so a resumed run continues the file) and {@code OUTPUT/curves.png} on any
 * Hadoop file system. Off the local file system both are kept in a local directory and copied to the output at
 * every {@link #render}.
 */
final class RunFiles implements AutoCloseable {
    private final FileSystem fs;
    private final Path output;
    private final java.nio.file.Path localDir;
    private final boolean local;
    private final MetricsLog log;

    private RunFiles(FileSystem fs, Path output, java.nio.file.Path localDir, boolean local) throws IOException {
        this.fs = fs;
        this.output = output;
        this.localDir = localDir;
        this.local = local;
        this.log = MetricsLog.append(localDir.resolve(RunProgress.METRICS));
    }

    /** Opens the files of the run writing to {@code output}, an existing {@code metrics.jsonl} continued. */
    static RunFiles open(FileSystem fs, Path output) throws IOException {
        boolean local = "file".equals(fs.getUri().getScheme());
        java.nio.file.Path dir = local
                ? java.nio.file.Path.of(fs.makeQualified(output).toUri())
                : Files.createTempDirectory("share4v-run-output");
        Path remoteMetrics = new Path(output, RunProgress.METRICS);
        if (!local && fs.exists(remoteMetrics)) {
            fs.copyToLocalFile(
                    false,
                    remoteMetrics,
                    new Path(dir.resolve(RunProgress.METRICS).toUri()),
                    true);
        }
        return new RunFiles(fs, output, dir, local);
    }

    /**
     * The loss and lr of every step in {@code metrics.jsonl} so far, the last line of a step counting (a step
     * repeated after a failure appears twice); event lines and the torn last line of a crash are skipped.
     */
    TreeMap<Long, TrainingCurves.Point> readPoints() throws IOException {
        TreeMap<Long, TrainingCurves.Point> points = new TreeMap<>();
        for (JsonNode n : lines()) {
            long step = n.path("step").asLong(-1);
            if (step >= 0 && !n.has("event")) {
                points.put(
                        step,
                        new TrainingCurves.Point(
                                step, number(n, "loss"), n.path("lr").asDouble()));
            }
        }
        return points;
    }

    /** The validation losses of the {@code "event": "eval"} lines so far, the last line of a step counting. */
    TreeMap<Long, TrainingCurves.EvalPoint> readEvalPoints() throws IOException {
        TreeMap<Long, TrainingCurves.EvalPoint> evals = new TreeMap<>();
        for (JsonNode n : lines()) {
            long step = n.path("step").asLong(-1);
            if (step >= 0 && RunProgress.EVAL_EVENT.equals(n.path("event").asText())) {
                evals.put(step, new TrainingCurves.EvalPoint(step, number(n, RunProgress.EVAL_LOSS)));
            }
        }
        return evals;
    }

    /** The parsed lines of {@code metrics.jsonl}; the torn last line of a crash is skipped. */
    private List<JsonNode> lines() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(log.file(), StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            try {
                out.add(MetricsLog.JSON.readTree(line));
            } catch (IOException e) {
                // the torn last line of a crash
            }
        }
        return out;
    }

    private static double number(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || !v.isNumber() ? Double.NaN : v.asDouble();
    }

    /** Appends {@code row} as one line. */
    void write(Object row) {
        log.write(row);
    }

    /**
     * Renders the curves of {@code points} and the validation losses {@code evals} (and, off the local file system,
     * copies both files out).
     */
    void render(String title, List<TrainingCurves.Point> points, List<TrainingCurves.EvalPoint> evals, int smoothing)
            throws IOException {
        TrainingCurves.write(localDir.resolve(RunProgress.CURVES), title, points, evals, smoothing);
        if (!local) {
            for (String name : List.of(RunProgress.METRICS, RunProgress.CURVES)) {
                fs.copyFromLocalFile(
                        false, true, new Path(localDir.resolve(name).toUri()), new Path(output, name));
            }
        }
    }

    /** Closes the log; off the local file system also deletes the local copies (the output has them). */
    @Override
    public void close() throws IOException {
        log.close();
        if (!local) {
            for (String name : List.of(RunProgress.METRICS, RunProgress.CURVES)) {
                Files.deleteIfExists(localDir.resolve(name));
            }
            Files.deleteIfExists(localDir);
        }
    }
}

package io.share4v.train.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.train.eval.EvalMetrics;
import io.share4v.train.loop.StepMetrics;
import io.share4v.train.metrics.MetricsLog;
import io.share4v.train.metrics.TrainingCurves;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Rank 0's human-facing output: {@code OUTPUT/metrics.jsonl} (one {@link StepMetrics} line per step and one
 * {@link EvalMetrics} line, marked {@code "kind": "eval"}, per validation pass; appended, so a resumed run continues
 * the file; a step or validation repeated after a failure appears twice, the last line counting) and
 * {@code OUTPUT/curves.png} (loss, validation loss and learning rate, rendered at every checkpoint from every line
 * so far, those before a resume read back from the file). On a non-local file system both are kept in a local directory and
 * copied to the output at every checkpoint.
 */
final class RunOutput implements AutoCloseable {
    static final String METRICS = "metrics.jsonl";
    static final String CURVES = "curves.png";
    /** The {@code kind} of a validation line; step lines have no {@code kind}. */
    static final String EVAL_KIND = "eval";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FileSystem fs;
    private final Path output;
    private final java.nio.file.Path localDir;
    private final boolean local;
    private final String title;
    private final int smoothing;
    private final TreeMap<Long, TrainingCurves.Point> points = new TreeMap<>();
    private final TreeMap<Long, TrainingCurves.EvalPoint> evals = new TreeMap<>();
    private final MetricsLog log;

    private RunOutput(
            FileSystem fs, Path output, java.nio.file.Path localDir, boolean local, String title, int smoothing)
            throws IOException {
        this.fs = fs;
        this.output = output;
        this.localDir = localDir;
        this.local = local;
        this.title = title;
        this.smoothing = smoothing;
        this.log = MetricsLog.append(localDir.resolve(METRICS));
    }

    /**
     * Opens the output of a run that starts at {@code firstStep}: earlier steps' points (and validations after at
     * most {@code firstStep} steps) come from an existing {@code metrics.jsonl}.
     */
    static RunOutput open(FileSystem fs, Path output, long firstStep, String title, long totalSteps)
            throws IOException {
        boolean local = "file".equals(fs.getUri().getScheme());
        java.nio.file.Path dir = local
                ? java.nio.file.Path.of(fs.makeQualified(output).toUri())
                : Files.createTempDirectory("share4v-run-output");
        Path remoteMetrics = new Path(output, METRICS);
        if (!local && fs.exists(remoteMetrics)) {
            fs.copyToLocalFile(
                    false, remoteMetrics, new Path(dir.resolve(METRICS).toUri()), true);
        }
        int smoothing = (int) Math.max(1, Math.min(50, totalSteps / 20));
        RunOutput out = new RunOutput(fs, output, dir, local, title, smoothing);
        out.readEarlierSteps(firstStep);
        return out;
    }

    private void readEarlierSteps(long firstStep) throws IOException {
        java.nio.file.Path file = localDir.resolve(METRICS);
        if (!Files.exists(file)) {
            return;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (IOException e) {
                continue; // the torn last line of a crash
            }
            long step = n.path("step").asLong(-1);
            if (EVAL_KIND.equals(n.path("kind").asText())) {
                if (step >= 0 && step <= firstStep) { // a resumed run repeats validations after firstStep only
                    evals.put(step, new TrainingCurves.EvalPoint(step, number(n, "evalLoss")));
                }
            } else if (step >= 0 && step < firstStep) {
                points.put(
                        step,
                        new TrainingCurves.Point(
                                step, number(n, "loss"), n.path("lr").asDouble()));
            }
        }
    }

    private static double number(JsonNode n, String key) {
        JsonNode l = n.get(key);
        return l == null || !l.isNumber() ? Double.NaN : l.asDouble();
    }

    /** Appends one step's metrics. */
    void record(StepMetrics m) {
        log.write(m);
        points.put(m.step(), new TrainingCurves.Point(m.step(), m.loss(), m.lr()));
    }

    /** Appends one validation pass's line (its {@code kind} first). */
    void record(EvalMetrics e) {
        ObjectNode line = JSON.createObjectNode().put("kind", EVAL_KIND);
        line.setAll((ObjectNode) JSON.valueToTree(e));
        log.write(line);
        evals.put(e.step(), new TrainingCurves.EvalPoint(e.step(), e.evalLoss()));
    }

    /** Renders the curves of every step so far (and, off the local file system, copies both files out). */
    void atCheckpoint() throws IOException {
        List<TrainingCurves.Point> all = new ArrayList<>(points.values());
        TrainingCurves.write(localDir.resolve(CURVES), title, all, new ArrayList<>(evals.values()), smoothing);
        if (!local) {
            for (String name : List.of(METRICS, CURVES)) {
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
            for (String name : List.of(METRICS, CURVES)) {
                Files.deleteIfExists(localDir.resolve(name));
            }
            Files.deleteIfExists(localDir);
        }
    }
}

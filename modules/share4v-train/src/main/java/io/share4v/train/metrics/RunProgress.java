package io.share4v.train.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run's progress as the driver sees it, and the one writer of {@code OUTPUT/metrics.jsonl} and
 * {@code OUTPUT/curves.png}. Every rank reports each step through a {@link RunReporter} ({@link #reporter}: in this
 * process, or through the {@link ProgressServer}); a step's line is written once rank 0's global values and the times
 * of every rank still reporting have arrived ({@link StepLine}: per-rank times as max and mean). A progress line with
 * the ETA ({@link Eta}) goes to the console for the first step of an attempt, the last one, and otherwise at most
 * once per {@code logEvery}; the curves are rendered at every committed checkpoint (once its last step's line is
 * written) and at {@link #close}.
 *
 * <p><b>Attempts.</b> A Spark stage retry starts new ranks under a new attempt id: the first rank of a new attempt
 * ends the previous one (its steps that rank 0 reported are written with the times that arrived, the rest are lost)
 * and reports of an ended attempt are ignored. The steps a resumed attempt repeats are written again: the file keeps
 * both lines and every reader (the curves too) takes the last line of a step. An existing {@code metrics.jsonl}
 * (a {@code --resume} in a new application) is continued.
 *
 * <p>Thread-safe: each connection of the progress server reports from its own thread. Failing to write the files is
 * logged, never thrown to a rank: metrics are not the model.
 */
public final class RunProgress implements AutoCloseable {
    public static final String METRICS = "metrics.jsonl";
    public static final String CURVES = "curves.png";
    /** The event of a validation pass, and its value drawn on the loss chart. */
    public static final String EVAL_EVENT = "eval";

    public static final String EVAL_LOSS = "eval_loss";
    /** Console progress lines at most this often (besides an attempt's first and last step). */
    public static final Duration DEFAULT_LOG_EVERY = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(RunProgress.class);

    private final RunFiles files;
    private final String title;
    private final long logEveryNanos;
    private final Consumer<String> console;
    private final TreeMap<Long, TrainingCurves.Point> points;
    private final TreeMap<Long, TrainingCurves.EvalPoint> evals;
    /** Steps this process wrote a line for, and those of them with times from fewer ranks than the world. */
    private final Set<Long> written = new HashSet<>();

    private final Set<Long> partial = new TreeSet<>();
    private final Set<String> ended = new HashSet<>();
    private final Set<Integer> live = new TreeSet<>();
    private final TreeMap<Long, PendingStep> pending = new TreeMap<>();
    private String attempt;
    private int world;
    private Eta eta;
    private long endStep;
    private long totalSteps;
    private long linesThisAttempt;
    private long lastLineNanos;
    /** Steps completed as of the last line written. */
    private long done = -1;
    /** A committed checkpoint whose curves wait for its last step's line; -1 when none. */
    private long renderAt = -1;

    private boolean unrendered;
    private boolean writeFailed;

    private RunProgress(RunFiles files, String title, Duration logEvery, Consumer<String> console) throws IOException {
        this.files = files;
        this.title = title;
        this.logEveryNanos = logEvery.toNanos();
        this.console = console;
        this.points = files.readPoints();
        this.evals = files.readEvalPoints();
    }

    /** The progress of the run writing to {@code output} (any Hadoop file system), progress lines to the log. */
    public static RunProgress open(URI output, Configuration conf, String title) throws IOException {
        return open(output, conf, title, DEFAULT_LOG_EVERY, log::info);
    }

    /** {@link #open(URI, Configuration, String)} with the progress lines' rate and destination. */
    public static RunProgress open(
            URI output, Configuration conf, String title, Duration logEvery, Consumer<String> console)
            throws IOException {
        FileSystem fs = FileSystem.get(output, conf);
        return new RunProgress(RunFiles.open(fs, fs.makeQualified(new Path(output))), title, logEvery, console);
    }

    /**
     * The reporter of rank {@code rank} of {@code world} in attempt {@code attempt} (an id shared by the attempt's
     * ranks), registered now: until it is closed, no step's line is written without this rank's times. Register
     * every rank before any of them reports a step (the ranks do it before their first collective call).
     */
    public RunReporter reporter(String attempt, int rank, int world) {
        join(attempt, rank, world);
        return new RankReporter(attempt, rank);
    }

    private synchronized void join(String id, int rank, int ranks) {
        if (ended.contains(id)) {
            log.warn("rank {} of attempt {} connected after that attempt ended; its reports are ignored", rank, id);
            return;
        }
        if (!id.equals(attempt)) {
            endAttempt();
            attempt = id;
            world = ranks;
            eta = null;
            linesThisAttempt = 0;
            done = -1;
        }
        if (ranks != world || rank < 0 || rank >= world) {
            throw new IllegalArgumentException(
                    "rank " + rank + " of " + ranks + " does not belong to attempt " + id + " of " + world + " ranks");
        }
        live.add(rank);
    }

    private synchronized void accept(String id, int rank, ProgressEvent event) {
        if (!id.equals(attempt)) {
            return;
        }
        if (event instanceof ProgressEvent.Started s) {
            started(s);
        } else if (event instanceof ProgressEvent.Step s) {
            pending.computeIfAbsent(s.step(), PendingStep::new).add(rank, s);
            writeReady();
        } else if (event instanceof ProgressEvent.CheckpointCommitted c) {
            console.accept("checkpoint after step " + c.step() + " committed");
            if (done >= c.step()) {
                render();
            } else {
                renderAt = c.step();
            }
        } else if (event instanceof ProgressEvent.RunEvent e) {
            runEvent(e);
        }
    }

    private synchronized void leave(String id, int rank) {
        if (id.equals(attempt)) {
            live.remove(rank);
            writeReady();
        }
    }

    private void started(ProgressEvent.Started s) {
        if (eta != null) {
            return; // every rank sends it; the first one counts
        }
        eta = new Eta(s.totalSteps(), Math.min(s.firstStep(), s.totalSteps()), System.nanoTime());
        endStep = s.endStep();
        totalSteps = s.totalSteps();
        points.tailMap(s.firstStep(), true).clear();
        evals.tailMap(s.firstStep(), false).clear(); // the validation after firstStep steps ran before that checkpoint
        console.accept((s.firstStep() == 0 ? "training" : "resumed after step " + s.firstStep() + ": training")
                + " steps " + s.firstStep() + ".." + s.endStep() + " of " + s.totalSteps() + " on " + world
                + " workers (attempt " + attempt + ")");
    }

    private void runEvent(ProgressEvent.RunEvent e) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("event", e.name());
        row.put("step", e.step());
        row.putAll(new TreeMap<>(e.values()));
        write(row);
        if (EVAL_EVENT.equals(e.name()) && e.values().containsKey(EVAL_LOSS)) {
            evals.put(
                    e.step(),
                    new TrainingCurves.EvalPoint(
                            e.step(), e.values().get(EVAL_LOSS).doubleValue()));
            unrendered = true;
        }
        console.accept("step " + e.step() + " " + e.name() + ": "
                + e.values().entrySet().stream()
                        .sorted(Map.Entry.comparingByKey())
                        .map(v -> v.getKey() + " " + format(v.getValue()))
                        .collect(Collectors.joining(", ")));
    }

    private static String format(Number n) {
        return n instanceof Double || n instanceof Float ? String.format("%.4f", n.doubleValue()) : n.toString();
    }

    /** Writes the pending steps that are complete, in step order. */
    private void writeReady() {
        while (!pending.isEmpty()) {
            PendingStep p = pending.firstEntry().getValue();
            if (p.global == null) {
                if (live.contains(0)) {
                    return; // rank 0's report is still to come
                }
                pending.pollFirstEntry(); // rank 0 is gone: the step's values are lost
                continue;
            }
            if (!p.times.keySet().containsAll(live)) {
                return;
            }
            pending.pollFirstEntry();
            writeStep(StepLine.merge(p.step, p.global, p.times.values()));
        }
    }

    private void writeStep(StepLine line) {
        write(line);
        points.put(line.step(), new TrainingCurves.Point(line.step(), line.loss(), line.lr()));
        written.add(line.step());
        if (line.ranks() < world) {
            partial.add(line.step());
        }
        done = line.step() + 1;
        unrendered = true;
        long now = System.nanoTime();
        if (linesThisAttempt++ == 0 || done == endStep || now - lastLineNanos >= logEveryNanos) {
            lastLineNanos = now;
            console.accept(progressLine(line, now));
        }
        if (renderAt >= 0 && done >= renderAt) {
            renderAt = -1;
            render();
        }
    }

    private String progressLine(StepLine l, long now) {
        String position = eta == null ? "step " + done : eta.line(done, now);
        return String.format(
                "%s: loss %.4f, lr %.3g, %.1f samples/s, data stall max %.3f s, comm max %.3f s",
                position, l.loss(), l.lr(), l.samplesPerS(), l.dataStallMaxS(), l.commMaxS());
    }

    /** Ends the current attempt: its steps with rank 0's values are written with the times that arrived. */
    private void endAttempt() {
        if (attempt == null) {
            return;
        }
        live.clear();
        writeReady();
        pending.clear();
        renderAt = -1;
        ended.add(attempt);
    }

    private void write(Object row) {
        try {
            files.write(row);
        } catch (UncheckedIOException e) {
            if (!writeFailed) {
                writeFailed = true;
                log.warn("cannot write {}; training continues: {}", METRICS, e.getMessage(), e);
            }
        }
    }

    private void render() {
        unrendered = false;
        int smoothing = (int) Math.max(1, Math.min(50, Math.max(totalSteps, points.size()) / 20));
        try {
            files.render(title, new ArrayList<>(points.values()), new ArrayList<>(evals.values()), smoothing);
        } catch (IOException | RuntimeException e) {
            log.warn("cannot render {}; training continues: {}", CURVES, e.getMessage(), e);
        }
    }

    /**
     * The steps in {@code [from, to)} without a line written by this process (their reports never reached it), logged
     * as a warning together with the count of lines that have times from fewer ranks than the world.
     */
    public synchronized List<Long> missingSteps(long from, long to) {
        List<Long> missing = new ArrayList<>();
        for (long s = from; s < to; s++) {
            if (!written.contains(s)) {
                missing.add(s);
            }
        }
        if (!missing.isEmpty()) {
            log.warn(
                    "{} has no line for {} of steps {}..{} (their reports did not reach the driver): {}",
                    METRICS,
                    missing.size(),
                    from,
                    to,
                    ranges(missing));
        }
        if (!partial.isEmpty()) {
            log.warn(
                    "{} lines of {} have the times of fewer than {} ranks (see their \"ranks\"): steps {}",
                    partial.size(),
                    METRICS,
                    world,
                    ranges(new ArrayList<>(partial)));
        }
        return missing;
    }

    private static String ranges(List<Long> steps) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < steps.size()) {
            int j = i;
            while (j + 1 < steps.size() && steps.get(j + 1) == steps.get(j) + 1) {
                j++;
            }
            out.add(i == j ? String.valueOf(steps.get(i)) : steps.get(i) + "-" + steps.get(j));
            i = j + 1;
        }
        return String.join(", ", out);
    }

    /** Writes what the current attempt's ranks reported, renders the curves if lines came since, closes the files. */
    @Override
    public synchronized void close() throws IOException {
        endAttempt();
        if (unrendered) {
            render();
        }
        files.close();
    }

    /** One step's reports so far. */
    private static final class PendingStep {
        final long step;
        final Map<Integer, ProgressEvent.RankTimes> times = new TreeMap<>();
        ProgressEvent.Global global;

        PendingStep(long step) {
            this.step = step;
        }

        void add(int rank, ProgressEvent.Step s) {
            times.put(rank, s.times());
            if (s.global() != null) {
                global = s.global();
            }
        }
    }

    /** A rank's reporter into this process. */
    private final class RankReporter implements RunReporter {
        private final String attemptId;
        private final int rank;

        RankReporter(String attemptId, int rank) {
            this.attemptId = attemptId;
            this.rank = rank;
        }

        @Override
        public void report(ProgressEvent event) {
            accept(attemptId, rank, event);
        }

        @Override
        public void close() {
            leave(attemptId, rank);
        }
    }
}

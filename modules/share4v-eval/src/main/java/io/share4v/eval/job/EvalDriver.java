package io.share4v.eval.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.common.GitCommit;
import io.share4v.common.json.JsonFile;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.run.AnswerStats;
import io.share4v.eval.run.BenchmarkRunner;
import io.share4v.eval.run.EvalQuestion;
import io.share4v.eval.run.ImageSource;
import io.share4v.eval.run.Runners;
import io.share4v.eval.score.Scorers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's side of an evaluation run, around the tasks ({@link ChunkWorker}) that whatever runs them (Spark)
 * distributes: {@link #plan} before (read every question file, so a bad one fails before any task starts; settle each
 * benchmark's chunking), {@link #finish} after (merge, record, score).
 */
public final class EvalDriver {
    private static final Logger log = LoggerFactory.getLogger(EvalDriver.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Scorers that need no {@code annotations}: ScienceQA's reads the answer letters from the question file. */
    private static final Set<String> SCORED_FROM_QUESTIONS = Set.of("sqa");
    /** Missing images named in the message, at most. */
    private static final int SHOWN_MISSING = 5;

    private EvalDriver() {}

    /**
     * Each selected benchmark as the tasks will run it, in {@code chunks} chunks unless its parts directory already
     * has a plan (a resumed run keeps the recorded chunking).
     */
    public static List<BenchmarkTask> plan(EvalConfig cfg, EvalLayout layout, int chunks) throws IOException {
        List<BenchmarkTask> tasks = new ArrayList<>();
        for (String name : cfg.benchmarks()) {
            BenchmarkRunner runner = Runners.named(name);
            BenchmarkInputs in = cfg.inputs().get(name);
            Path questionFile = cfg.dataPath(in.questions());
            if (!Files.isRegularFile(questionFile)) {
                throw new EvalInputException(name + ".questions = " + in.questions()
                        + resolvedAs(in.questions(), questionFile) + ": no such file");
            }
            List<EvalQuestion> questions = runner.readQuestions(questionFile);
            Path imageFolder = cfg.dataPath(in.imageFolder());
            checkImageFolder(name, in.imageFolder(), imageFolder, questions);
            Path parts = layout.benchmark(name).parts();
            PlanRecord planned = PlanRecord.settle(
                    parts,
                    new PlanRecord(
                            name,
                            questionFile.toAbsolutePath().toString(),
                            questions.size(),
                            Fingerprint.sha256(questionFile),
                            chunks,
                            cfg.resolvedModelId()));
            if (planned.chunks() != chunks) {
                log.info("{}: resuming with the recorded {} chunks (of {})", name, planned.chunks(), parts);
            }
            int maxNewTokens = in.maxNewTokens() != null
                    ? in.maxNewTokens()
                    : runner.settings().maxNewTokens();
            tasks.add(new BenchmarkTask(
                    name,
                    questionFile.toAbsolutePath().toString(),
                    imageFolder == null ? null : imageFolder.toAbsolutePath().toString(),
                    maxNewTokens,
                    parts.toAbsolutePath().toString(),
                    planned.questions(),
                    planned.chunks(),
                    planned.sha256()));
        }
        return tasks;
    }

    private static void checkImageFolder(String name, String folder, Path resolved, List<EvalQuestion> questions) {
        boolean needsFolder = questions.stream().anyMatch(q -> q.image() instanceof ImageSource.InFolder);
        if (folder == null) {
            if (needsFolder) {
                throw new EvalInputException(name + ".image_folder is not set, but " + name
                        + "'s questions name image files (relative to it)");
            }
            return;
        }
        if (!Files.isDirectory(resolved)) {
            throw new EvalInputException(
                    name + ".image_folder = " + folder + resolvedAs(folder, resolved) + ": no such directory");
        }
        checkImagesExist(name, resolved, questions);
    }

    /**
     * Every image file the questions name exists, checked on the driver before any task loads a model: a missing image
     * would otherwise fail a task hours into a run. The message counts them and names the first few with a question.
     */
    private static void checkImagesExist(String name, Path folder, List<EvalQuestion> questions) {
        Map<String, EvalQuestion> missing = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (EvalQuestion q : questions) {
            if (q.image() instanceof ImageSource.InFolder f
                    && seen.add(f.relativePath())
                    && !Files.isRegularFile(f.resolve(folder))) {
                missing.put(f.relativePath(), q);
            }
        }
        if (!missing.isEmpty()) {
            StringBuilder m = new StringBuilder(name + ": " + missing.size() + " of the " + seen.size()
                    + " images its questions name are missing under " + folder + ":");
            missing.entrySet().stream()
                    .limit(SHOWN_MISSING)
                    .forEach(e -> m.append("\n  ")
                            .append(e.getKey())
                            .append(" (question ")
                            .append(e.getValue().index() + 1)
                            .append(", ")
                            .append(e.getValue().identity())
                            .append(')'));
            if (missing.size() > SHOWN_MISSING) {
                m.append("\n  ...");
            }
            throw new EvalInputException(m.toString());
        }
    }

    /** " (PATH)" when {@code data_root} made {@code configured} another path, else nothing. */
    private static String resolvedAs(String configured, Path resolved) {
        return EvalConfig.localPath(configured).equals(resolved) ? "" : " (" + resolved + ")";
    }

    /** How many tasks the plan needs: the most chunks of any benchmark. */
    public static int taskCount(List<BenchmarkTask> tasks) {
        return tasks.stream().mapToInt(BenchmarkTask::chunks).max().orElse(0);
    }

    /**
     * Merges each benchmark's parts into its answer file, writes its {@code run.json}, scores it when it can be scored,
     * and writes the run's {@code run.json}; returns one result per benchmark.
     */
    public static List<BenchmarkResult> finish(
            EvalConfig cfg, EvalLayout layout, List<BenchmarkTask> tasks, List<TaskReport> reports, Instant started)
            throws IOException {
        List<BenchmarkResult> results = new ArrayList<>();
        for (BenchmarkTask t : tasks) {
            results.add(finishBenchmark(cfg, layout.benchmark(t.benchmark()), t, reports));
        }
        if (layout.runFile() != null) {
            writeRun(cfg, layout.runFile(), results, started);
        }
        return results;
    }

    private static BenchmarkResult finishBenchmark(
            EvalConfig cfg, EvalLayout.BenchmarkPaths paths, BenchmarkTask t, List<TaskReport> reports)
            throws IOException {
        AnswerStats stats = AnswerStats.NONE;
        int resumed = 0;
        for (TaskReport r : reports) {
            for (ChunkOutcome o : r.outcomes()) {
                if (o.benchmark().equals(t.benchmark())) {
                    stats = stats.plus(o.stats());
                    resumed += o.resumed();
                }
            }
        }
        AnswerMerge.merge(EvalConfig.localPath(t.partsDir()), t.plan(), paths.answers());
        BenchmarkRunner runner = Runners.named(t.benchmark());
        ObjectNode run = JSON.createObjectNode();
        run.put("benchmark", t.benchmark());
        run.put("questions", t.questionCount());
        run.put("answered", t.questionCount());
        run.put("answered_this_run", stats.questions());
        run.put("resumed", resumed);
        run.put("new_tokens", stats.newTokens());
        run.put("seconds", stats.wallNanos() / 1e9);
        putRate(run, "questions_per_second", stats.questionsPerSecond());
        putRate(run, "tokens_per_second", stats.tokensPerSecond());
        putRate(
                run,
                "image_wait_fraction",
                stats.wallNanos() == 0 ? Double.NaN : (double) stats.imageWaitNanos() / stats.wallNanos());
        run.put("chunks", t.chunks());
        run.put("max_new_tokens", t.maxNewTokens());
        run.put("conv_mode", runner.settings().convMode());
        run.put("image_policy", runner.settings().imagePolicy().name().toLowerCase(java.util.Locale.ROOT));
        run.put("answers", paths.answers().toAbsolutePath().toString());
        ObjectNode score = null;
        String scoreError = null;
        BenchmarkInputs in = cfg.inputs().get(t.benchmark());
        if (in.annotations() != null || SCORED_FROM_QUESTIONS.contains(t.benchmark())) {
            try {
                score = Scorers.named(t.benchmark())
                        .score(paths.answers(), Path.of(t.questions()), cfg.dataPath(in.annotations()), false);
                writeJson(paths.scoreJson(), score);
            } catch (RuntimeException e) {
                // the job scores the whole question file; the scorer's own advice (e.g. --allow-partial) is for
                // `share4v score`, which rescores the kept answers
                scoreError = (e.getMessage() == null ? e.toString() : e.getMessage())
                        + " [the answers are kept; rescore them with: share4v score --benchmark " + t.benchmark()
                        + " --answers " + paths.answers() + " ...]";
                Files.deleteIfExists(paths.scoreJson()); // a score of earlier answers would not be this run's
                log.error(
                        "{}: scoring failed (the answers are kept in {}): {}",
                        t.benchmark(),
                        paths.answers(),
                        scoreError,
                        e);
                run.put("score_error", scoreError);
            }
        } else {
            Files.deleteIfExists(paths.scoreJson()); // a score of earlier answers would not be this run's
        }
        writeJson(paths.runJson(), run);
        return new BenchmarkResult(
                t.benchmark(),
                t.questionCount(),
                t.questionCount(),
                resumed,
                stats,
                paths.answers(),
                score,
                scoreError);
    }

    private static void putRate(ObjectNode n, String key, double v) {
        if (Double.isFinite(v)) {
            n.put(key, v);
        } else {
            n.putNull(key);
        }
    }

    private static void writeRun(EvalConfig cfg, Path file, List<BenchmarkResult> results, Instant started)
            throws IOException {
        ObjectNode run = JSON.createObjectNode();
        run.put("model", EvalConfig.localPath(cfg.model()).toAbsolutePath().toString());
        run.put("model_id", cfg.resolvedModelId());
        run.put("vision_tower", cfg.visionTower());
        Long step = checkpointStep(EvalConfig.localPath(cfg.model()));
        if (step == null) {
            run.putNull("checkpoint");
        } else {
            run.put("checkpoint", step);
        }
        run.put("git_commit", GitCommit.current());
        run.set("config", JSON.valueToTree(cfg.asKeys()));
        run.put("started", started.toString());
        run.put("finished", Instant.now().toString());
        ArrayNode names = run.putArray("benchmarks");
        results.forEach(r -> names.add(r.benchmark()));
        writeJson(file, run);
    }

    /**
     * The optimizer step of a training checkpoint's model ({@code checkpoints/step-N/model/}, whose
     * {@code trainer_state.json} is one folder up), else null.
     */
    static Long checkpointStep(Path model) throws IOException {
        Path abs = model.toAbsolutePath().normalize();
        for (Path state : new Path[] {abs.resolve("trainer_state.json"), abs.resolveSibling("trainer_state.json")}) {
            if (Files.isRegularFile(state)) {
                JsonFile j = JsonFile.read(state, EvalInputException::new);
                return j.has("step") ? j.node().get("step").asLong() : null;
            }
        }
        return null;
    }

    static void writeJson(Path file, Object value) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, JSON.writeValueAsString(value) + "\n");
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

package io.share4v.eval.job;

import io.share4v.eval.EvalInputException;
import io.share4v.eval.answers.PythonJson;
import io.share4v.eval.run.AnswerStats;
import io.share4v.eval.run.BenchmarkRunner;
import io.share4v.eval.run.EvalQuestion;
import io.share4v.eval.run.QuestionAnswerer;
import io.share4v.eval.run.RunnerSettings;
import io.share4v.eval.run.Runners;
import io.share4v.model.io.LlavaDirectory;
import io.share4v.tensor.DType;
import io.share4v.tensor.backend.Backends;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task of the evaluation job: chunk {@code i} of every benchmark, answered with one model load. For each
 * benchmark it re-reads the question file (checking it is the one the driver planned with), keeps what the chunk's
 * part file already answers ({@link PartFile#resume}) and answers the rest, appending each answer line as it comes.
 * The model is loaded only if something is left to answer.
 */
public final class ChunkWorker {
    private static final Logger log = LoggerFactory.getLogger(ChunkWorker.class);

    private ChunkWorker() {}

    /** A benchmark's chunk: its questions, how many are answered already, its part file. */
    private record Pending(
            BenchmarkTask task, BenchmarkRunner runner, List<EvalQuestion> questions, int done, Path part) {
        List<EvalQuestion> rest() {
            return questions.subList(done, questions.size());
        }
    }

    public static TaskReport answer(int chunk, ModelSpec model, List<BenchmarkTask> benchmarks) throws IOException {
        List<Pending> work = new ArrayList<>();
        for (BenchmarkTask b : benchmarks) {
            if (chunk < b.chunks()) {
                work.add(pending(chunk, b));
            }
        }
        List<ChunkOutcome> outcomes = new ArrayList<>();
        if (work.stream().allMatch(p -> p.rest().isEmpty())) {
            for (Pending p : work) {
                outcomes.add(ChunkOutcome.of(p.task.benchmark(), chunk, p.questions.size(), p.done, AnswerStats.NONE));
            }
            return new TaskReport(chunk, 0, outcomes);
        }
        LlavaDirectory dir = LlavaDirectory.open(
                EvalConfig.localPath(model.model()),
                model.visionTower() == null ? null : EvalConfig.localPath(model.visionTower()));
        QuestionAnswerer.Options options =
                new QuestionAnswerer.Options(model.batchSize(), model.decodeThreads(), DType.FLOAT);
        try (QuestionAnswerer answerer = new QuestionAnswerer(dir, Backends.create(model.backend()), options)) {
            for (Pending p : work) {
                AnswerStats stats = p.rest().isEmpty() ? AnswerStats.NONE : answer(answerer, p, model.modelId());
                outcomes.add(ChunkOutcome.of(p.task.benchmark(), chunk, p.questions.size(), p.done, stats));
            }
        }
        return new TaskReport(chunk, 1, outcomes);
    }

    private static Pending pending(int chunk, BenchmarkTask b) throws IOException {
        BenchmarkRunner runner = Runners.named(b.benchmark());
        Path questionFile = EvalConfig.localPath(b.questions());
        String sha = Fingerprint.sha256(questionFile);
        if (!sha.equals(b.sha256())) {
            throw new EvalInputException(questionFile + " changed after the driver planned the run (sha256 "
                    + b.sha256() + ", now " + sha + ")");
        }
        ChunkPlan plan = b.plan();
        List<EvalQuestion> all = runner.readQuestions(questionFile);
        if (all.size() != b.questionCount()) {
            throw new EvalInputException(
                    questionFile + ": " + all.size() + " questions, the plan has " + b.questionCount());
        }
        List<EvalQuestion> mine = all.subList(plan.from(chunk), plan.to(chunk));
        Path partsDir = EvalConfig.localPath(b.partsDir());
        Files.createDirectories(partsDir);
        Path part = PartFile.of(partsDir, chunk);
        int done = PartFile.resume(part, mine);
        if (done > 0) {
            log.info(
                    "{} chunk {}: {} of {} questions already answered in {}",
                    b.benchmark(),
                    chunk,
                    done,
                    mine.size(),
                    part);
        }
        return new Pending(b, runner, mine, done, part);
    }

    private static AnswerStats answer(QuestionAnswerer answerer, Pending p, String modelId) throws IOException {
        BenchmarkTask b = p.task;
        RunnerSettings settings = p.runner.settings().withMaxNewTokens(b.maxNewTokens());
        Path imageFolder = b.imageFolder() == null ? null : EvalConfig.localPath(b.imageFolder());
        // appended and flushed answer by answer: a crash leaves the answered prefix and at most one torn line
        try (Writer w = Files.newBufferedWriter(
                p.part, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            return answerer.answer(settings, p.rest(), imageFolder, (q, answer) -> {
                w.write(PythonJson.dumps(p.runner.answerLine(q, answer.text(), AnswerIds.next(), modelId)));
                w.write('\n');
                w.flush();
            });
        }
    }
}

package io.share4v.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.eval.score.Scorer;
import io.share4v.eval.score.Scorers;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code share4v score --benchmark NAME --answers FILE|DIR [--questions FILE] [--annotations FILE|DIR]
 * [--allow-partial]}: scores a LLaVA answer file with the benchmark's official rules and prints one JSON object
 * with its numbers (keys in the README). Missing, duplicate or unknown question ids are an error naming them
 * (exit code 2) unless {@code --allow-partial} scores the answered ones and says how many were missing.
 */
@Command(
        name = "score",
        mixinStandardHelpOptions = true,
        description = "Score a LLaVA answers file (jsonl: question_id, prompt, text) with a benchmark's official"
                + " rules; prints a JSON object.")
public final class ScoreCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @Option(
            names = "--benchmark",
            required = true,
            paramLabel = "NAME",
            description = "Benchmark: ${COMPLETION-CANDIDATES}.",
            completionCandidates = BenchmarkNames.class)
    String benchmark;

    @Option(
            names = "--answers",
            required = true,
            paramLabel = "FILE",
            description = "The answers (LLaVA answer-file jsonl; for mme also the official results directory).")
    Path answers;

    @Option(
            names = "--questions",
            paramLabel = "FILE",
            description = "The benchmark's question file, where scoring needs it.")
    Path questions;

    @Option(
            names = "--annotations",
            paramLabel = "FILE|DIR",
            description = "The ground truth: a file or directory, as the benchmark needs (see the README).")
    Path annotations;

    @Option(
            names = "--allow-partial",
            description = "Score the answered questions when some have no answer (the output says how many).")
    boolean allowPartial;

    @Override
    public Integer call() throws Exception {
        Scorer scorer = Scorers.named(benchmark);
        ObjectNode out = JSON.createObjectNode().put("benchmark", scorer.name());
        out.setAll(scorer.score(answers, questions, annotations, allowPartial));
        spec.commandLine().getOut().println(JSON.writeValueAsString(out));
        spec.commandLine().getOut().flush();
        return 0;
    }
}

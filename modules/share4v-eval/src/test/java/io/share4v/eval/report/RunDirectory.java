package io.share4v.eval.report;

import static io.share4v.eval.score.ScorerHarness.resource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.eval.score.Scorers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An evaluation run's output directory, made in a test as the evaluation job lays it out: hand-written
 * {@code run.json} files, and {@code score.json} files that are the real scorers' output on the committed excerpts.
 */
final class RunDirectory {
    static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;

    RunDirectory(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /** A model directory whose config.json has {@code hiddenSize} (4096 is 7B). */
    static Path model(Path dir, int hiddenSize) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(
                dir.resolve("config.json"), "{\"hidden_size\": " + hiddenSize + ", \"model_type\": \"llava\"}");
        return dir;
    }

    /** {@code OUTPUT/run.json} for {@code model}, asked for {@code benchmarks}. */
    RunDirectory run(Path model, List<String> benchmarks) throws IOException {
        ObjectNode run = JSON.createObjectNode()
                .put("model", model.toString())
                .put("model_id", "share4v-7b-test")
                .put("vision_tower", "Lin-Chen/ShareGPT4V-7B_Pretrained_vit-large336-l12")
                .put("checkpoint", 5000)
                .put("git_commit", "0431a67aa1b2c3d4e5f60718293a4b5c6d7e8f90")
                .put("started", "2026-12-04T10:00:00Z")
                .put("finished", "2026-12-04T11:30:00Z");
        run.putObject("config")
                .put("conv_mode", "vicuna_v1")
                .put("max_new_tokens", 128)
                .putObject("spark")
                .put("master", "local[2]");
        run.putArray("benchmarks").addAll(benchmarks.stream().map(run::textNode).toList());
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("run.json"), JSON.writeValueAsString(run));
        return this;
    }

    /** {@code OUTPUT/<bench>/run.json}, with {@code scoreError} when not null. */
    RunDirectory benchmarkRun(String bench, int questions, int answered, String scoreError) throws IOException {
        ObjectNode run = JSON.createObjectNode()
                .put("benchmark", bench)
                .put("questions", questions)
                .put("answered", answered)
                .put("new_tokens", answered * 3L)
                .put("seconds", 12.5)
                .put("questions_per_second", answered / 12.5)
                .put("tokens_per_second", answered * 3 / 12.5)
                .put("image_wait_fraction", 0.25)
                .put("chunks", 2)
                .put("max_new_tokens", 128)
                .put("conv_mode", "vicuna_v1")
                .put("image_policy", "model_config");
        if (scoreError != null) {
            run.put("score_error", scoreError);
        }
        Files.createDirectories(dir.resolve(bench));
        Files.writeString(dir.resolve(bench).resolve("run.json"), JSON.writeValueAsString(run));
        return this;
    }

    /**
     * {@code OUTPUT/<bench>/answers.jsonl} (a copy of {@code answers}) and {@code score.json}: what
     * {@code share4v score} prints for it.
     */
    RunDirectory scored(String bench, Path answers, Path questions, Path annotations, boolean partial)
            throws IOException {
        Path benchDir = Files.createDirectories(dir.resolve(bench));
        Files.copy(answers, benchDir.resolve("answers.jsonl"));
        ObjectNode score = JSON.createObjectNode().put("benchmark", bench);
        score.setAll(Scorers.named(bench).score(benchDir.resolve("answers.jsonl"), questions, annotations, partial));
        Files.writeString(benchDir.resolve("score.json"), JSON.writeValueAsString(score));
        return this;
    }

    /** The committed POPE excerpt's answers, scored. */
    RunDirectory pope() throws IOException {
        return scored(
                        "pope",
                        resource("pope/llava-v1.5-13b.jsonl"),
                        resource("pope/llava_pope_test.jsonl"),
                        resource("pope/annotations"),
                        false)
                .benchmarkRun("pope", 36, 36, null);
    }

    /** The committed MME excerpt's answers, scored. */
    RunDirectory mme() throws IOException {
        return scored("mme", resource("mme/llava-v1.5-13b.jsonl"), null, resource("mme/ground-truth"), false)
                .benchmarkRun("mme", 64, 64, null);
    }
}

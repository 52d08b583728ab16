package io.share4v.eval.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.common.json.JsonFile;
import io.share4v.eval.EvalInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code parts/plan.json}: how a benchmark's questions were chunked for its part files, the question count, the
 * question file's SHA-256 and the model id. The part files are only meaningful with this plan, so a re-run reuses the
 * recorded chunking (whatever {@code chunks} now says) and refuses a changed question file or model.
 */
public record PlanRecord(
        String benchmark, String questionsFile, int questions, String sha256, int chunks, String modelId) {
    static final String FILE = "plan.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public ChunkPlan plan() {
        return new ChunkPlan(questions, chunks);
    }

    /**
     * The plan in effect for {@code partsDir}: the recorded one if there is one (checked against {@code proposed}'s
     * question file and model id), else {@code proposed}, written.
     */
    public static PlanRecord settle(Path partsDir, PlanRecord proposed) throws IOException {
        Path file = partsDir.resolve(FILE);
        if (!Files.exists(file)) {
            Files.createDirectories(partsDir);
            proposed.write(file);
            return proposed;
        }
        PlanRecord recorded = read(file);
        String restart = "; to start this benchmark over, remove " + partsDir + " (or choose another output_dir)";
        if (!recorded.sha256.equals(proposed.sha256) || recorded.questions != proposed.questions) {
            throw new EvalInputException(file + ": the question file changed since these answers were started: "
                    + recorded.questionsFile + " had " + recorded.questions + " questions, sha256 " + recorded.sha256
                    + "; " + proposed.questionsFile + " has " + proposed.questions + ", sha256 " + proposed.sha256
                    + restart);
        }
        if (!recorded.modelId.equals(proposed.modelId)) {
            throw new EvalInputException(file + ": these answers are of model_id " + recorded.modelId
                    + ", this run's model_id is " + proposed.modelId + restart);
        }
        return recorded;
    }

    static PlanRecord read(Path file) throws IOException {
        JsonFile j = JsonFile.read(file, EvalInputException::new);
        return j.build(() -> new PlanRecord(
                j.string("benchmark"),
                j.string("questions_file"),
                j.integer("questions"),
                j.string("sha256"),
                j.integer("chunks"),
                j.string("model_id")));
    }

    void write(Path file) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("benchmark", benchmark);
        n.put("questions_file", questionsFile);
        n.put("questions", questions);
        n.put("sha256", sha256);
        n.put("chunks", chunks);
        n.put("chunk_size", plan().chunkSize());
        n.put("model_id", modelId);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, JSON.writeValueAsString(n) + "\n");
        Files.move(
                tmp,
                file,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}

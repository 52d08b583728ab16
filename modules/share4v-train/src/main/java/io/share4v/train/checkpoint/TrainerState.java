package io.share4v.train.checkpoint;

import static io.share4v.common.config.ConfigChecks.require;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.common.json.JsonFile;
import io.share4v.model.io.CheckpointException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a run needs besides weights and optimizer moments to continue exactly where it stopped, as
 * {@code trainer_state.json} of a checkpoint.
 *
 * @param step            optimizer steps completed
 * @param nextRow         the data position: the global row index (shard order) the next step starts at
 * @param seeds           every seed the run drew from, by purpose (e.g. {@code init}, {@code data})
 * @param configYaml      the resolved run configuration (what a resume must match), as YAML text
 * @param gitCommit       the commit of the code that trained, or {@code unknown}
 * @param worldSize       ranks that trained (one optimizer shard each)
 * @param wallTimeSeconds training wall time up to this step, summed over resumed runs
 */
public record TrainerState(
        long step,
        long nextRow,
        Map<String, Long> seeds,
        String configYaml,
        String gitCommit,
        int worldSize,
        double wallTimeSeconds) {
    /** Bumped when a key changes meaning; an unknown version is refused rather than misread. */
    static final int FORMAT_VERSION = 1;

    private static final Set<String> KEYS = Set.of(
            "format_version",
            "step",
            "next_row",
            "seeds",
            "config_yaml",
            "git_commit",
            "world_size",
            "wall_time_seconds");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public TrainerState {
        require(step >= 0, "step", step, ">= 0");
        require(nextRow >= 0, "next_row", nextRow, ">= 0");
        require(worldSize >= 1, "world_size", worldSize, ">= 1");
        require(
                wallTimeSeconds >= 0 && Double.isFinite(wallTimeSeconds),
                "wall_time_seconds",
                wallTimeSeconds,
                "a finite value >= 0");
        require(configYaml != null, "config_yaml", null, "the resolved config as YAML text");
        require(gitCommit != null && !gitCommit.isBlank(), "git_commit", gitCommit, "a commit id or \"unknown\"");
        require(seeds != null, "seeds", null, "a map of seed name to value");
        seeds = Collections.unmodifiableMap(new TreeMap<>(seeds));
    }

    /**
     * What resuming this state in a run of {@code worldSize} ranks with {@code configYaml} (the resolved config
     * without the keys a resume may change) means. A different config is an error naming the first differing line
     * (it would silently change the result); a different world size is not: the optimizer shards are then
     * redistributed over the new ranks, which the result reports.
     */
    public Resume checkResume(String configYaml, int worldSize) {
        require(worldSize >= 1, "world_size", worldSize, ">= 1");
        if (!this.configYaml.equals(configYaml)) {
            throw new IllegalStateException("cannot resume from step " + step + ": the run's config differs from the"
                    + " checkpoint's; " + firstDifference(this.configYaml, configYaml));
        }
        return new Resume(this, worldSize);
    }

    /** A checked resume: the saved state and this run's world size. */
    public record Resume(TrainerState saved, int worldSize) {
        /** True when the optimizer shards must be redistributed (saved world size differs). */
        public boolean reshards() {
            return saved.worldSize() != worldSize;
        }

        /** One line for the log: from which step, and whether (and how) the optimizer is re-sharded. */
        public String describe() {
            return "resuming after step " + saved.step() + " at row " + saved.nextRow()
                    + (reshards()
                            ? ", re-sharding the optimizer state from " + saved.worldSize() + " to " + worldSize
                                    + " ranks"
                            : "");
        }
    }

    /** The JSON text of {@code trainer_state.json}. */
    public String toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("format_version", FORMAT_VERSION);
        n.put("step", step);
        n.put("next_row", nextRow);
        ObjectNode s = n.putObject("seeds");
        seeds.forEach(s::put);
        n.put("world_size", worldSize);
        n.put("wall_time_seconds", wallTimeSeconds);
        n.put("git_commit", gitCommit);
        n.put("config_yaml", configYaml);
        try {
            return JSON.writeValueAsString(n) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the trainer state", e);
        }
    }

    /** Parses {@code trainer_state.json} text; {@code source} names the file in every error. */
    public static TrainerState fromJson(String text, String source) {
        JsonFile j = JsonFile.parse(text, Path.of(source), CheckpointException::new);
        j.requireOnlyKeys(KEYS);
        if (j.integer("format_version") != FORMAT_VERSION) {
            throw j.error("format_version", "this build reads version " + FORMAT_VERSION);
        }
        Map<String, Long> seeds = new TreeMap<>();
        JsonNode sn = j.node().get("seeds");
        if (sn == null || !sn.isObject()) {
            throw j.error("seeds", sn, "an object of integer seeds");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = sn.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isIntegralNumber() || !e.getValue().canConvertToLong()) {
                throw j.error("seeds", "seed \"" + e.getKey() + "\" is not a 64-bit integer");
            }
            seeds.put(e.getKey(), e.getValue().asLong());
        }
        return j.build(() -> new TrainerState(
                longValue(j, "step"),
                longValue(j, "next_row"),
                seeds,
                j.string("config_yaml"),
                j.string("git_commit"),
                j.integer("world_size"),
                j.number("wall_time_seconds")));
    }

    private static long longValue(JsonFile j, String key) {
        JsonNode v = j.node().get(key);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw j.error(key, v, "a 64-bit integer");
        }
        return v.asLong();
    }

    /** {@code line N: checkpoint "a", this run "b"} for the first line where the two texts differ. */
    static String firstDifference(String saved, String now) {
        String[] a = saved.split("\n", -1);
        String[] b = now.split("\n", -1);
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String x = i < a.length ? a[i] : null;
            String y = i < b.length ? b[i] : null;
            if (!Objects.equals(x, y)) {
                return "line " + (i + 1) + ": checkpoint " + quoted(x) + ", this run " + quoted(y);
            }
        }
        return "the texts differ";
    }

    private static String quoted(String line) {
        return line == null ? "(no such line)" : "\"" + line + "\"";
    }
}

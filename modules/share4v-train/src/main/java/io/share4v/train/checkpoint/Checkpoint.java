package io.share4v.train.checkpoint;

import static io.share4v.common.config.ConfigChecks.require;

import io.share4v.model.io.CheckpointException;
import io.share4v.model.io.CheckpointLoader;
import io.share4v.model.llava.LlavaModel;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.fs.Path;

/** A committed checkpoint: its step, its directory, and reading its parts back for a resume. */
public final class Checkpoint {
    static final String META_OPTIMIZER_STEP = "optimizer_step";
    static final String META_RANK = "rank";
    static final String META_WORLD_SIZE = "world_size";

    private final CheckpointStore store;
    private final long step;
    private final Path path;

    Checkpoint(CheckpointStore store, long step, Path path) {
        this.store = store;
        this.step = step;
        this.path = path;
    }

    public long step() {
        return step;
    }

    /** {@code OUTPUT/checkpoints/step-NNNNNN}. */
    public Path path() {
        return path;
    }

    /** The HF model directory. */
    public Path modelDir() {
        return new Path(path, CheckpointStore.MODEL);
    }

    public TrainerState readState() throws IOException {
        Path file = new Path(path, CheckpointStore.STATE);
        return TrainerState.fromJson(store.files().readString(file), file.toString());
    }

    /**
     * Reads the optimizer shard that rank {@code rank} of {@code worldSize} wrote into {@code into} (same names,
     * shapes and element types) and returns the optimizer's step count. With a re-shard the caller reads the
     * shards of the saved world size and redistributes them.
     */
    public long readOptimizerShard(int rank, int worldSize, Map<String, Tensor> into, Backend backend)
            throws IOException {
        require(worldSize >= 1, "world_size", worldSize, ">= 1");
        require(rank >= 0 && rank < worldSize, "rank", rank, "0.." + (worldSize - 1));
        Path file = new Path(new Path(path, CheckpointStore.OPTIMIZER), shardName(rank, worldSize));
        if (!store.files().exists(file)) {
            throw new CheckpointException("checkpoint " + path + " has no optimizer shard " + file.getName()
                    + " (was it written by " + worldSize + " ranks?)");
        }
        Map<String, String> meta =
                store.files().readLocal(file, local -> OptimizerShardFile.read(local, into, backend));
        String written = meta.get(META_RANK) + "/" + meta.get(META_WORLD_SIZE);
        if (!written.equals(rank + "/" + worldSize)) {
            throw new CheckpointException("optimizer shard " + file + " was written by rank " + written
                    + " but its name says " + rank + "/" + worldSize);
        }
        try {
            return Long.parseLong(meta.get(META_OPTIMIZER_STEP));
        } catch (NumberFormatException e) {
            throw new CheckpointException(
                    "optimizer shard " + file + " has metadata " + META_OPTIMIZER_STEP + " = "
                            + meta.get(META_OPTIMIZER_STEP) + "; expected an integer",
                    e);
        }
    }

    /**
     * Loads the model weights into {@code flat} (a flat parameter buffer of {@code layout} in {@code backend}),
     * all or nothing, through the model module's loader. The vision tower comes from the checkpoint's
     * {@code vision_tower/} when it trained, else from {@code mm_vision_tower} or {@code visionTowerOverride}.
     */
    public CheckpointLoader.Report loadModel(
            ParamLayout layout, Backend backend, Tensor flat, java.nio.file.Path visionTowerOverride)
            throws IOException {
        return store.files()
                .readLocal(modelDir(), dir -> CheckpointLoader.load(dir, visionTowerOverride, layout, backend, flat));
    }

    /** {@link #loadModel(ParamLayout, Backend, Tensor, java.nio.file.Path)} into {@code model}'s parameters. */
    public CheckpointLoader.Report loadModel(LlavaModel model, java.nio.file.Path visionTowerOverride)
            throws IOException {
        return loadModel(model.layout(), model.backend(), model.params(), visionTowerOverride);
    }

    static String shardName(int rank, int worldSize) {
        return String.format("rank-%05d-of-%05d.safetensors", rank, worldSize);
    }

    @Override
    public String toString() {
        return path.toString();
    }
}

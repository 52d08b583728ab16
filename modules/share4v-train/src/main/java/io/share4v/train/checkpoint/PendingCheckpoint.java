package io.share4v.train.checkpoint;

import static io.share4v.common.config.ConfigChecks.require;

import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.train.collective.BucketPlan;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;

/**
 * A checkpoint being written into its temporary directory. Rank 0 writes the model and the trainer state, every
 * rank writes the optimizer shard it owns; after a barrier rank 0 calls {@link #commit()}. Until then nothing
 * here is visible to {@link CheckpointStore#latest()}.
 */
public final class PendingCheckpoint {
    private final CheckpointStore store;
    private final long step;
    private final Path dir;

    PendingCheckpoint(CheckpointStore store, long step, Path dir) {
        this.store = store;
        this.step = step;
        this.dir = dir;
    }

    public long step() {
        return step;
    }

    /** The temporary directory (for messages). */
    public Path dir() {
        return dir;
    }

    /** Writes {@code model/} (rank 0). */
    public void writeModel(ModelSnapshot model) throws IOException {
        Path modelDir = new Path(dir, CheckpointStore.MODEL);
        store.files().deleteRecursively(modelDir); // a retry of this call starts from an empty directory
        store.files().writeDirectory(modelDir, model::writeTo);
        store.faults().after(CheckpointStore.Stage.MODEL_WRITTEN);
    }

    /**
     * Writes {@code optimizer/rank-RRRRR-of-WWWWW.safetensors}: the tensors of the optimizer state rank
     * {@code rank} owns (e.g. {@code exp_avg}, {@code exp_avg_sq}, in {@code backend}), each compact over its shard
     * of {@code plan}, with the optimizer's step count and the shard's {@link ShardLayout} (so a resume at another
     * world size knows which elements the file holds).
     */
    public void writeOptimizerShard(
            BucketPlan plan, int rank, long optimizerStep, Map<String, Tensor> tensors, Backend backend)
            throws IOException {
        require(optimizerStep >= 0, "optimizer step", optimizerStep, ">= 0");
        ShardLayout layout = ShardLayout.of(plan, rank);
        tensors.forEach((name, t) -> require(
                t.length() == layout.elements(),
                "optimizer tensor " + name + " length",
                t.length(),
                "rank " + rank + "'s shard of " + layout.elements() + " elements"));
        Path file = new Path(new Path(dir, CheckpointStore.OPTIMIZER), Checkpoint.shardName(rank, plan.world()));
        try (OutputStream out = store.files().create(file)) {
            OptimizerShardFile.write(out, tensors, layout.metadata(optimizerStep), backend);
        }
        store.faults().after(CheckpointStore.Stage.OPTIMIZER_SHARD_WRITTEN);
    }

    /** Writes {@code trainer_state.json} (rank 0); its step must be this checkpoint's. */
    public void writeState(TrainerState state) throws IOException {
        require(state.step() == step, "trainer state step", state.step(), "the checkpoint's step " + step);
        store.files().writeString(new Path(dir, CheckpointStore.STATE), state.toJson());
        store.faults().after(CheckpointStore.Stage.STATE_WRITTEN);
    }

    /**
     * Commits (rank 0, after every rank has written): checks that the model, the state and the optimizer shard
     * of every rank of the state's world size are there, then renames and marks the directory, then prunes.
     */
    public Checkpoint commit() throws IOException {
        StoreFiles f = store.files();
        List<String> missing = new ArrayList<>();
        Path state = new Path(dir, CheckpointStore.STATE);
        if (!f.exists(new Path(new Path(dir, CheckpointStore.MODEL), "config.json"))) {
            missing.add(CheckpointStore.MODEL + "/config.json");
        }
        if (!f.exists(state)) {
            missing.add(CheckpointStore.STATE);
        } else {
            int world =
                    TrainerState.fromJson(f.readString(state), state.toString()).worldSize();
            for (int r = 0; r < world; r++) {
                String shard = CheckpointStore.OPTIMIZER + "/" + Checkpoint.shardName(r, world);
                if (!f.exists(new Path(dir, shard))) {
                    missing.add(shard);
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("cannot commit checkpoint " + dir + ": missing " + missing);
        }
        return store.commit(step, dir);
    }
}

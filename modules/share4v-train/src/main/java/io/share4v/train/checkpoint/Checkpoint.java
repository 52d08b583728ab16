package io.share4v.train.checkpoint;

import static io.share4v.common.config.ConfigChecks.require;

import io.share4v.model.io.CheckpointException;
import io.share4v.model.io.CheckpointLoader;
import io.share4v.model.io.TensorCopier;
import io.share4v.model.llava.LlavaModel;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.ParamLayout.Range;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import io.share4v.train.collective.BucketPlan;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;

/** A committed checkpoint: its step, its directory, and reading its parts back for a resume. */
public final class Checkpoint {
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
     * Fills {@code into} (the moments of rank {@code rank}'s shard of {@code plan}, compact over
     * {@code plan.shard(rank)}) from the saved optimizer shards and returns the optimizer's step count. The saved
     * world size may differ from {@code plan}'s: the same buckets split over the saved ranks say which elements
     * each saved file holds (every file must record exactly that layout), and this rank copies from each file only
     * the slices its new shard needs (memory-mapped; off the local file system each file is staged on local disk
     * first, one at a time), so no rank holds more than its own shard's moments. Every saved file must exist and
     * record the same step count.
     */
    public long readOptimizerShard(BucketPlan plan, int rank, Map<String, Tensor> into, Backend backend)
            throws IOException {
        List<Range> target = plan.shard(rank);
        long elements = target.stream().mapToLong(Range::size).sum();
        into.forEach((name, t) -> require(
                t.length() == elements,
                "optimizer tensor " + name + " length",
                t.length(),
                "rank " + rank + "'s shard of " + elements + " elements"));
        int savedWorld = readState().worldSize();
        BucketPlan saved = plan.withWorld(savedWorld);
        List<List<Range>> sources = new ArrayList<>();
        for (int r = 0; r < savedWorld; r++) {
            sources.add(saved.shard(r));
        }
        List<ShardSlices.Copy> copies = ShardSlices.plan(target, sources);
        TensorCopier copier = new TensorCopier(backend);
        Long step = null;
        Path first = null;
        for (int r = 0; r < savedWorld; r++) {
            Path file = new Path(new Path(path, CheckpointStore.OPTIMIZER), shardName(r, savedWorld));
            if (!store.files().exists(file)) {
                throw new CheckpointException("checkpoint " + path + " has no optimizer shard " + file.getName()
                        + " (its trainer state says " + savedWorld + " ranks wrote one each)");
            }
            int source = r;
            List<ShardSlices.Copy> mine =
                    copies.stream().filter(c -> c.source() == source).toList();
            ShardLayout layout = ShardLayout.of(saved, r);
            long fileStep = store.files()
                    .readLocal(file, local -> OptimizerShardFile.readSlices(local, layout, mine, into, copier));
            if (step == null) {
                step = fileStep;
                first = file;
            } else if (fileStep != step) {
                throw new CheckpointException("optimizer shard " + file + " records optimizer step " + fileStep
                        + " but " + first.getName() + " records " + step
                        + ": the shards of one checkpoint must come from the same step");
            }
        }
        return step;
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

package io.share4v.train.checkpoint;

import static io.share4v.common.config.ConfigChecks.require;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The checkpoints of one training output directory on any Hadoop file system ({@code file://}, {@code hdfs://}):
 * <pre>
 *   OUTPUT/checkpoints/step-000123/model/                      HF model directory (+ vision_tower/ when it trained)
 *                                  optimizer/rank-00000-of-00004.safetensors   one per rank, written by its owner
 *                                  trainer_state.json
 *                                  _COMMITTED                   written last: the checkpoint exists from here on
 *   OUTPUT/checkpoints/step-000124.tmp-NONCE/                   being written (or left by a crash)
 *   OUTPUT/final/                                               the published model (an HF directory)
 * </pre>
 *
 * <p><b>Commit.</b> Every rank writes into {@code step-N.tmp-NONCE/} ({@link #begin}); after a barrier rank 0
 * {@link PendingCheckpoint#commit() commits}: it checks that every part is there, renames the directory to
 * {@code step-N/} and then creates {@code _COMMITTED}. Only a directory with the marker counts. Both steps are
 * needed for atomicity everywhere: a directory rename is atomic on HDFS (one NameNode operation) and on a local
 * file system (rename(2)), so a reader never sees a half-filled {@code step-N/} there; on an object store a
 * directory "rename" is a copy and delete that a crash can interrupt, while a single small object appears
 * atomically, so the marker created after the rename is what makes the commit atomic on all of them. A crash
 * at any point leaves at most an unmarked directory, which {@link #latest()} ignores and {@link #removeStale()}
 * deletes; the previous checkpoint stays committed because pruning (keep the last K) runs only after the marker.
 *
 * <p>The nonce, shared by the ranks of one attempt (e.g. the job's attempt id), keeps a zombie of an earlier
 * attempt that still writes the same step out of the new attempt's directory.
 */
public final class CheckpointStore {
    static final String CHECKPOINTS = "checkpoints";
    static final String FINAL = "final";
    static final String MODEL = "model";
    static final String OPTIMIZER = "optimizer";
    static final String STATE = "trainer_state.json";
    static final String MARKER = "_COMMITTED";

    private static final Pattern COMMITTED_NAME = Pattern.compile("step-(\\d{6,})");
    private static final Pattern STEP_TMP_NAME = Pattern.compile("step-\\d{6,}\\.tmp-.+");
    private static final Pattern FINAL_TMP_NAME = Pattern.compile(FINAL + "\\.tmp-.+");
    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** Where a test makes a commit fail; the product never fails on purpose. */
    enum Stage {
        MODEL_WRITTEN,
        OPTIMIZER_SHARD_WRITTEN,
        STATE_WRITTEN,
        RENAMED,
        MARKED
    }

    /** Called after each stage of writing a checkpoint (tests throw from it to simulate a crash there). */
    interface Faults {
        void after(Stage stage) throws IOException;
    }

    private final StoreFiles files;
    private final Path output;
    private final String nonce;
    private final int keepLast;
    private final Configuration conf;
    private final Faults faults;

    /**
     * @param output   the run's output directory (URI of any Hadoop file system)
     * @param nonce    shared by every rank of this attempt: letters, digits, {@code _} and {@code -}
     * @param keepLast committed checkpoints kept; older ones are deleted after each commit
     * @param scratch  local directory for staging model files when the file system is not local
     */
    public static CheckpointStore open(
            URI output, Configuration conf, String nonce, int keepLast, java.nio.file.Path scratch) throws IOException {
        return new CheckpointStore(
                FileSystem.get(output, conf), new Path(output), conf, nonce, keepLast, scratch, s -> {});
    }

    CheckpointStore(
            FileSystem fs,
            Path output,
            Configuration conf,
            String nonce,
            int keepLast,
            java.nio.file.Path scratch,
            Faults faults) {
        require(nonce != null && NONCE.matcher(nonce).matches(), "checkpoint nonce", nonce, "1-64 of [A-Za-z0-9_-]");
        require(keepLast >= 1, "keep_last_checkpoints", keepLast, ">= 1");
        this.files = new StoreFiles(fs, scratch);
        this.output = fs.makeQualified(output);
        this.conf = conf;
        this.nonce = nonce;
        this.keepLast = keepLast;
        this.faults = faults;
    }

    /** Starts (or, on another rank, joins) writing the checkpoint of optimizer step {@code step}. */
    public PendingCheckpoint begin(long step) throws IOException {
        require(step >= 0, "checkpoint step", step, ">= 0");
        Path dir = new Path(checkpoints(), stepName(step) + ".tmp-" + nonce);
        files.mkdirs(dir);
        return new PendingCheckpoint(this, step, dir);
    }

    /** The newest committed checkpoint, if any (temporary and unmarked directories are not checkpoints). */
    public Optional<Checkpoint> latest() throws IOException {
        List<Checkpoint> all = committed();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** Every committed checkpoint, oldest first. */
    public List<Checkpoint> committed() throws IOException {
        List<Checkpoint> out = new ArrayList<>();
        for (FileStatus s : files.list(checkpoints())) {
            Matcher m = COMMITTED_NAME.matcher(s.getPath().getName());
            if (s.isDirectory() && m.matches() && files.exists(new Path(s.getPath(), MARKER))) {
                out.add(new Checkpoint(this, Long.parseLong(m.group(1)), s.getPath()));
            }
        }
        out.sort(Comparator.comparingLong(Checkpoint::step));
        return out;
    }

    /**
     * Deletes what crashed runs left: temporary directories (of any attempt), step directories without a marker,
     * and committed checkpoints beyond the last K (a crash between a marker and its pruning). Call it once on
     * rank 0 at the start of a run, before the barrier after which ranks write.
     *
     * @return the deleted paths
     */
    public List<Path> removeStale() throws IOException {
        List<Path> stale = new ArrayList<>();
        for (FileStatus s : files.list(checkpoints())) {
            String name = s.getPath().getName();
            boolean unmarked = COMMITTED_NAME.matcher(name).matches() && !files.exists(new Path(s.getPath(), MARKER));
            if (s.isDirectory() && (STEP_TMP_NAME.matcher(name).matches() || unmarked)) {
                stale.add(s.getPath());
            }
        }
        for (FileStatus s : files.list(output)) {
            if (s.isDirectory() && FINAL_TMP_NAME.matcher(s.getPath().getName()).matches()) {
                stale.add(s.getPath());
            }
        }
        for (Path p : stale) {
            files.deleteRecursively(p);
        }
        stale.addAll(prune());
        return stale;
    }

    /**
     * Publishes the model of committed checkpoint {@code step} as {@code OUTPUT/final/} (an HF model directory
     * that {@code bin/share4v forward/generate} load): assembled in {@code final.tmp-NONCE/}, then renamed. A
     * previous {@code final/} is replaced (deleted just before the rename; the checkpoint keeps the model).
     */
    public Path publishFinal(long step) throws IOException {
        Checkpoint c = committed().stream()
                .filter(x -> x.step() == step)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("cannot publish step " + step + ": no committed"
                        + " checkpoint of that step in " + checkpoints()));
        Path tmp = new Path(output, FINAL + ".tmp-" + nonce);
        Path dst = new Path(output, FINAL);
        files.deleteRecursively(tmp);
        files.linkOrCopyTree(c.modelDir(), tmp, conf);
        files.deleteRecursively(dst);
        files.rename(tmp, dst);
        return dst;
    }

    /** {@code OUTPUT/checkpoints}. */
    public Path checkpoints() {
        return new Path(output, CHECKPOINTS);
    }

    /** Called by {@link PendingCheckpoint#commit()} once every part is written: rename, mark, prune. */
    Checkpoint commit(long step, Path tmp) throws IOException {
        Path dst = new Path(checkpoints(), stepName(step));
        if (files.exists(new Path(dst, MARKER))) {
            throw new IllegalStateException("checkpoint " + dst + " is already committed");
        }
        files.deleteRecursively(dst); // an unmarked leftover of a crash between rename and marker
        files.rename(tmp, dst);
        faults.after(Stage.RENAMED);
        files.createNew(new Path(dst, MARKER));
        faults.after(Stage.MARKED);
        prune();
        return new Checkpoint(this, step, dst);
    }

    /** Keeps the newest {@code keepLast}; the marker goes first, so a crash mid-delete leaves no half checkpoint. */
    private List<Path> prune() throws IOException {
        List<Checkpoint> all = committed();
        List<Path> pruned = new ArrayList<>();
        for (Checkpoint c : all.subList(0, Math.max(0, all.size() - keepLast))) {
            files.deleteRecursively(new Path(c.path(), MARKER));
            files.deleteRecursively(c.path());
            pruned.add(c.path());
        }
        return pruned;
    }

    StoreFiles files() {
        return files;
    }

    Faults faults() {
        return faults;
    }

    static String stepName(long step) {
        return String.format("step-%06d", step);
    }
}

package io.share4v.train.checkpoint;

import io.share4v.model.io.CheckpointException;
import io.share4v.tensor.ParamLayout.Range;
import io.share4v.train.collective.BucketPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one optimizer shard file covers, recorded in its metadata so that the file describes itself: the rank and
 * world size that wrote it, the bucket plan's parameters (flat buffer size, bucket size in elements) and the element
 * ranges of the flat buffer its compact moments hold, in moment order. A resume, at the same or another world size,
 * computes the layout every saved file must have from its own bucket plan and refuses a file that differs (another
 * model, trainable scope or bucket size, or a file renamed to another rank), naming the file and the difference.
 *
 * @param ranges sorted, disjoint, adjacent ones merged (as {@link BucketPlan#shard})
 */
record ShardLayout(int rank, int world, long bufferElements, long bucketElements, List<Range> ranges) {
    /** Bumped when the metadata changes meaning; files of another version are refused, not misread. */
    static final String FORMAT_VERSION = "2";

    static final String META_FORMAT_VERSION = "format_version";
    static final String META_OPTIMIZER_STEP = "optimizer_step";
    static final String META_RANK = "rank";
    static final String META_WORLD_SIZE = "world_size";
    static final String META_BUFFER_ELEMENTS = "buffer_elements";
    static final String META_BUCKET_ELEMENTS = "bucket_elements";
    /** {@code start-end,start-end,...}: half-open element ranges of the flat buffer. */
    static final String META_RANGES = "ranges";

    ShardLayout {
        ranges = List.copyOf(ranges);
    }

    /** Rank {@code rank}'s shard of {@code plan}. */
    static ShardLayout of(BucketPlan plan, int rank) {
        return new ShardLayout(rank, plan.world(), plan.size(), plan.bucketElements(), plan.shard(rank));
    }

    /** Moment elements per tensor: the sum of the range sizes. */
    long elements() {
        return ranges.stream().mapToLong(Range::size).sum();
    }

    /** The file's metadata: this layout and the optimizer's step count. */
    Map<String, String> metadata(long optimizerStep) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(META_FORMAT_VERSION, FORMAT_VERSION);
        m.put(META_OPTIMIZER_STEP, Long.toString(optimizerStep));
        m.put(META_RANK, Integer.toString(rank));
        m.put(META_WORLD_SIZE, Integer.toString(world));
        m.put(META_BUFFER_ELEMENTS, Long.toString(bufferElements));
        m.put(META_BUCKET_ELEMENTS, Long.toString(bucketElements));
        StringBuilder sb = new StringBuilder();
        for (Range r : ranges) {
            sb.append(sb.length() == 0 ? "" : ",").append(r.start()).append('-').append(r.end());
        }
        m.put(META_RANGES, sb.toString());
        return m;
    }

    /** The layout a file's metadata records; {@code file} names it in every error. */
    static ShardLayout fromMetadata(Map<String, String> meta, String file) {
        String version = meta.get(META_FORMAT_VERSION);
        if (!FORMAT_VERSION.equals(version)) {
            throw new CheckpointException("optimizer shard " + file + " has metadata " + META_FORMAT_VERSION + " = "
                    + version + "; this build reads version " + FORMAT_VERSION
                    + " (shard files that record the element ranges they hold)");
        }
        List<Range> ranges = new ArrayList<>();
        String text = required(meta, META_RANGES, file);
        if (!text.isEmpty()) {
            for (String r : text.split(",", -1)) {
                String[] ends = r.split("-", -1);
                if (ends.length != 2) {
                    throw bad(file, META_RANGES, r, "start-end pairs separated by commas");
                }
                ranges.add(new Range(number(ends[0], file, META_RANGES), number(ends[1], file, META_RANGES)));
            }
        }
        return new ShardLayout(
                Math.toIntExact(number(required(meta, META_RANK, file), file, META_RANK)),
                Math.toIntExact(number(required(meta, META_WORLD_SIZE, file), file, META_WORLD_SIZE)),
                number(required(meta, META_BUFFER_ELEMENTS, file), file, META_BUFFER_ELEMENTS),
                number(required(meta, META_BUCKET_ELEMENTS, file), file, META_BUCKET_ELEMENTS),
                ranges);
    }

    /** The optimizer step count a file's metadata records. */
    static long optimizerStep(Map<String, String> meta, String file) {
        return number(required(meta, META_OPTIMIZER_STEP, file), file, META_OPTIMIZER_STEP);
    }

    /** How this (a file's) layout differs from {@code expected} (what the run computes for it); null when equal. */
    String differenceFrom(ShardLayout expected) {
        if (rank != expected.rank || world != expected.world) {
            return "it was written by rank " + rank + " of " + world + ", its place is rank " + expected.rank + " of "
                    + expected.world;
        }
        if (bufferElements != expected.bufferElements) {
            return "it is for a flat buffer of " + bufferElements + " elements, this model has "
                    + expected.bufferElements;
        }
        if (bucketElements != expected.bucketElements) {
            return "it was cut into gradient buckets of " + bucketElements + " elements, this run cuts "
                    + expected.bucketElements + " (collective.bucket_mb)";
        }
        for (int i = 0; i < Math.max(ranges.size(), expected.ranges.size()); i++) {
            Range got = i < ranges.size() ? ranges.get(i) : null;
            Range want = i < expected.ranges.size() ? expected.ranges.get(i) : null;
            if (got == null || !got.equals(want)) {
                return "its range " + (i + 1) + " is " + text(got) + ", this run computes " + text(want)
                        + " (another trainable scope?)";
            }
        }
        return null;
    }

    private static String text(Range r) {
        return r == null ? "absent" : "[" + r.start() + ", " + r.end() + ")";
    }

    private static String required(Map<String, String> meta, String key, String file) {
        String v = meta.get(key);
        if (v == null) {
            throw new CheckpointException("optimizer shard " + file + " has no metadata " + key);
        }
        return v;
    }

    private static long number(String text, String file, String key) {
        try {
            long v = Long.parseLong(text);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(file, key, text, "an integer >= 0");
    }

    private static CheckpointException bad(String file, String key, String value, String expected) {
        return new CheckpointException(
                "optimizer shard " + file + " has metadata " + key + " = " + value + "; expected " + expected);
    }
}

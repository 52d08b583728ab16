package io.share4v.jobs.shard;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import scala.Tuple2;

/** Outcome counts per dataset, reduced on executors as ("dataset\tWHAT", count) pairs. */
final class Tally {
    static final String WRITTEN = "WRITTEN";
    static final String MISMATCH = "MISMATCH_KEPT";
    static final String BYTES = "BYTES";

    /** Per dataset: written, mismatches kept, estimated bytes, rejects by reason. */
    record PerDataset(long written, long mismatchesKept, long bytes, TreeMap<String, Long> rejects) {
        long rejected() {
            return rejects.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final List<PerDataset> perDataset;

    private Tally(List<PerDataset> perDataset) {
        this.perDataset = perDataset;
    }

    static Iterator<Tuple2<String, Long>> pairs(ProcessedRecord r) {
        List<Tuple2<String, Long>> out = new ArrayList<>(3);
        if (r.written()) {
            out.add(new Tuple2<>(r.dataset + "\t" + WRITTEN, 1L));
            out.add(new Tuple2<>(r.dataset + "\t" + BYTES, r.estimatedBytes()));
            if (r.mismatch) {
                out.add(new Tuple2<>(r.dataset + "\t" + MISMATCH, 1L));
            }
        } else {
            out.add(new Tuple2<>(r.dataset + "\treject:" + r.reason, 1L));
        }
        return out.iterator();
    }

    static Tally of(Map<String, Long> counts, int datasets) {
        long[] written = new long[datasets];
        long[] mismatches = new long[datasets];
        long[] bytes = new long[datasets];
        List<TreeMap<String, Long>> rejects = new ArrayList<>();
        for (int d = 0; d < datasets; d++) {
            rejects.add(new TreeMap<>());
        }
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            int tab = e.getKey().indexOf('\t');
            int d = Integer.parseInt(e.getKey().substring(0, tab));
            String what = e.getKey().substring(tab + 1);
            switch (what) {
                case WRITTEN -> written[d] = e.getValue();
                case MISMATCH -> mismatches[d] = e.getValue();
                case BYTES -> bytes[d] = e.getValue();
                default -> rejects.get(d).put(what.substring("reject:".length()), e.getValue());
            }
        }
        List<PerDataset> per = new ArrayList<>();
        for (int d = 0; d < datasets; d++) {
            per.add(new PerDataset(written[d], mismatches[d], bytes[d], rejects.get(d)));
        }
        return new Tally(per);
    }

    PerDataset dataset(int d) {
        return perDataset.get(d);
    }

    long written() {
        return perDataset.stream().mapToLong(PerDataset::written).sum();
    }

    long rejected() {
        return perDataset.stream().mapToLong(PerDataset::rejected).sum();
    }

    long totalBytes() {
        return perDataset.stream().mapToLong(PerDataset::bytes).sum();
    }
}

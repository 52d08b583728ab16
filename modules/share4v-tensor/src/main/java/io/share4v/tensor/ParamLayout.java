package io.share4v.tensor;

import io.share4v.tensor.backend.Backend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Names, shapes and offsets of every parameter tensor inside one flat buffer (llm.c's
 * {@code fill_in_parameter_sizes}). The same layout indexes the flat parameter buffer, the flat gradient buffer
 * and the optimizer moments, so the gradient all-reduce, AdamW, freezing and checkpoints are operations on
 * ranges. Names are the HF checkpoint names, so a grep of the reference finds the tensor.
 */
public final class ParamLayout {
    /** One tensor: its HF name, shape, and {@code [offset, offset + size)} in the flat buffer. */
    public record Entry(String name, long[] shape, long offset, long size) {
        public Entry {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        @Override
        public String toString() {
            return name + Arrays.toString(shape) + "@" + offset;
        }
    }

    /** A half-open element range {@code [start, end)} of the flat buffer. */
    public record Range(long start, long end) {
        public long size() {
            return end - start;
        }
    }

    private final List<Entry> entries;
    private final Map<String, Entry> byName;
    private final long totalSize;

    private ParamLayout(List<Entry> entries) {
        this.entries = Collections.unmodifiableList(entries);
        Map<String, Entry> m = new LinkedHashMap<>();
        for (Entry e : entries) {
            m.put(e.name(), e);
        }
        this.byName = Collections.unmodifiableMap(m);
        this.totalSize = entries.isEmpty()
                ? 0
                : entries.get(entries.size() - 1).offset()
                        + entries.get(entries.size() - 1).size();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Adds tensors in order; offsets are assigned contiguously. */
    public static final class Builder {
        private final List<Entry> entries = new ArrayList<>();
        private final Map<String, Boolean> seen = new LinkedHashMap<>();
        private long next;

        public Builder add(String name, long... shape) {
            if (seen.put(name, Boolean.TRUE) != null) {
                throw new IllegalArgumentException("duplicate parameter name " + name);
            }
            long n = 1;
            for (long d : shape) {
                if (d < 1) {
                    throw new IllegalArgumentException(
                            "parameter " + name + " has non-positive dimension in " + Arrays.toString(shape));
                }
                n = Math.multiplyExact(n, d);
            }
            entries.add(new Entry(name, shape, next, n));
            next += n;
            return this;
        }

        public ParamLayout build() {
            return new ParamLayout(new ArrayList<>(entries));
        }
    }

    public List<Entry> entries() {
        return entries;
    }

    public long totalSize() {
        return totalSize;
    }

    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    public Entry entry(String name) {
        Entry e = byName.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no parameter named " + name);
        }
        return e;
    }

    /** A new zeroed flat buffer of {@code backend} sized for this layout (FLOAT for training, DOUBLE for checks). */
    public Tensor allocate(Backend backend, DType dtype) {
        return backend.allocate(dtype, totalSize);
    }

    /** The tensor {@code name} as a shaped view into {@code flat} (writes go to the flat buffer). */
    public Tensor view(Tensor flat, String name) {
        requireFlat(flat);
        Entry e = entry(name);
        return flat.slice(e.offset(), e.size()).reshape(e.shape());
    }

    /** The elements of {@code range} of {@code flat}, as a vector view. */
    public Tensor view(Tensor flat, Range range) {
        requireFlat(flat);
        return flat.slice(range.start(), range.size());
    }

    /**
     * The view of {@code name} when {@code selected} accepts the name, else null. Over a gradient buffer with the
     * training scope as {@code selected}, a frozen tensor's gradient view is null, which the kernels read as "skip
     * this gradient's work".
     */
    public Tensor view(Tensor flat, String name, Predicate<String> selected) {
        return selected.test(name) ? view(flat, name) : null;
    }

    /** The ranges of every tensor whose name matches, merged where adjacent (for freezing, optimizers, all-reduce). */
    public List<Range> ranges(Predicate<String> names) {
        List<Range> out = new ArrayList<>();
        for (Entry e : entries) {
            if (!names.test(e.name())) {
                continue;
            }
            if (!out.isEmpty() && out.get(out.size() - 1).end() == e.offset()) {
                Range last = out.remove(out.size() - 1);
                out.add(new Range(last.start(), e.offset() + e.size()));
            } else {
                out.add(new Range(e.offset(), e.offset() + e.size()));
            }
        }
        return out;
    }

    private void requireFlat(Tensor flat) {
        if (flat.rank() != 1 || flat.length() != totalSize) {
            throw new IllegalArgumentException("flat buffer " + flat
                    + " does not fit this layout: it needs a vector of " + totalSize + " elements");
        }
    }
}

package io.share4v.tensor.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.tensor.DType;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleSupplier;
import java.util.function.Predicate;

/**
 * Central finite differences in DOUBLE against analytic gradients: element {@code i} of an input gets
 * {@code (L(x + h) - L(x - h)) / 2h}, compared with the analytic gradient under a {@link Tolerance}. A check
 * collects every compared element; {@link #assertPassed()} fails with every element out of tolerance, each
 * named by tensor and index, and {@link #worst()} reports the largest relative error per tensor.
 *
 * <p>The loss is evaluated once more at the original point after each tensor, so whatever state the loss
 * leaves behind (activations, saved statistics) matches the unperturbed input again.
 */
public final class GradientCheck {
    /**
     * An element passes when {@code |a - n| <= abs + rel * max(floor, |a|, |n|)}. {@code abs} or {@code floor}
     * cover the difference quotient's rounding noise ({@code ~ eps * |loss| / h}), which dominates for tiny
     * true gradients: {@code floor} compares vanishing gradients absolutely to {@code rel * floor}.
     */
    public record Tolerance(double rel, double abs, double floor) {
        /** Relative with a floor: {@code |a - n| / max(floor, |a|, |n|) <= rel}. */
        public static Tolerance relative(double rel, double floor) {
            return new Tolerance(rel, 0, floor);
        }

        /** Relative plus an absolute allowance: {@code |a - n| <= abs + rel * max(|a|, |n|)}. */
        public static Tolerance relativePlusAbsolute(double rel, double abs) {
            return new Tolerance(rel, abs, 0);
        }

        boolean accepts(double analytic, double numeric) {
            return Math.abs(analytic - numeric) <= abs + rel * scale(analytic, numeric);
        }

        double scale(double analytic, double numeric) {
            return Math.max(floor, Math.max(Math.abs(analytic), Math.abs(numeric)));
        }
    }

    /** One compared element: tensor name, index inside the tensor, both gradients and their relative error. */
    public record Sample(String name, long index, double analytic, double numeric, double rel) {
        @Override
        public String toString() {
            return name + "[" + index + "]: analytic " + analytic + ", numeric " + numeric + ", relative error " + rel;
        }
    }

    private final DoubleSupplier loss;
    private final double h;
    private final Tolerance tolerance;
    private final Random random;
    private final Map<String, Sample> worst = new LinkedHashMap<>();
    private final List<Sample> failures = new ArrayList<>();

    /**
     * @param loss   the scalar loss, recomputed from the current contents of the inputs on every call
     * @param h      the step of the central difference
     * @param seed   for the elements {@link #sampled} picks
     */
    public GradientCheck(DoubleSupplier loss, double h, Tolerance tolerance, long seed) {
        this.loss = loss;
        this.h = h;
        this.tolerance = tolerance;
        this.random = new Random(seed);
    }

    /** Compares every element of {@code x} with the same element of {@code analytic}. */
    public List<Sample> every(String name, Tensor x, Tensor analytic) {
        requireDouble(name, x);
        List<Sample> out = new ArrayList<>();
        for (long i = 0; i < x.length(); i++) {
            out.add(compare(name, x, analytic, i, i));
        }
        loss.getAsDouble();
        return out;
    }

    /**
     * Compares elements {@code [offset, offset + size)} of the flat {@code x} with the same elements of the flat
     * {@code analytic}: all of them when there are at most {@code samples}, else {@code samples} random ones.
     * Indices in the report are relative to {@code offset}.
     */
    public List<Sample> sampled(String name, Tensor x, Tensor analytic, long offset, long size, int samples) {
        requireDouble(name, x);
        List<Sample> out = new ArrayList<>();
        if (size <= samples) {
            for (long i = offset; i < offset + size; i++) {
                out.add(compare(name, x, analytic, i, offset));
            }
        } else {
            for (int s = 0; s < samples; s++) {
                long i = offset + (long) (random.nextDouble() * size);
                out.add(compare(name, x, analytic, i, offset));
            }
        }
        loss.getAsDouble();
        return out;
    }

    /** {@link #sampled} for every tensor of {@code layout} that {@code which} accepts, in layout order. */
    public void sampled(ParamLayout layout, Tensor params, Tensor grads, Predicate<String> which, int samples) {
        for (ParamLayout.Entry e : layout.entries()) {
            if (which.test(e.name())) {
                sampled(e.name(), params, grads, e.offset(), e.size(), samples);
            }
        }
    }

    /** The largest relative error per checked tensor, in the order they were checked. */
    public List<Sample> worst() {
        return List.copyOf(worst.values());
    }

    /** The largest relative error over every checked element. */
    public Sample worstOverall() {
        return worst.values().stream()
                .max((a, b) -> Double.compare(a.rel(), b.rel()))
                .orElseThrow();
    }

    /** Fails naming every element outside the tolerance. */
    public void assertPassed() {
        StringBuilder msg = new StringBuilder();
        failures.forEach(f -> msg.append('\n').append(f));
        assertTrue(
                failures.isEmpty(),
                "finite differences disagree with the analytic gradient (" + tolerance + "):" + msg);
    }

    private Sample compare(String name, Tensor x, Tensor analytic, long i, long offset) {
        double orig = Tensors.get(x, i);
        Tensors.set(x, i, orig + h);
        double up = loss.getAsDouble();
        Tensors.set(x, i, orig - h);
        double down = loss.getAsDouble();
        Tensors.set(x, i, orig);
        double numeric = (up - down) / (2 * h);
        double a = Tensors.get(analytic, i);
        double diff = Math.abs(a - numeric);
        Sample s = new Sample(name, i - offset, a, numeric, diff == 0 ? 0 : diff / tolerance.scale(a, numeric));
        if (!tolerance.accepts(a, numeric)) {
            failures.add(s);
        }
        Sample w = worst.get(name);
        if (w == null || s.rel() > w.rel()) {
            worst.put(name, s);
        }
        return s;
    }

    private static void requireDouble(String name, Tensor x) {
        if (x.dtype() != DType.DOUBLE) {
            throw new IllegalArgumentException(name + " is " + x + "; finite differences need DOUBLE");
        }
    }
}

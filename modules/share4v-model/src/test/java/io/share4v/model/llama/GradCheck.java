package io.share4v.model.llama;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.tensor.ParamLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;
import java.util.function.Predicate;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Central finite differences in DOUBLE against analytic gradients, a few sampled elements of every tensor.
 * An element passes when {@code |a - n| <= atol + tol * max(|a|, |n|)}: {@code atol} covers the difference
 * quotient's rounding noise ({@code ~ eps * |loss| / h}), which dominates for tiny true gradients.
 */
public final class GradCheck {
    private GradCheck() {}

    public record Worst(String name, long index, double analytic, double numeric, double rel) {}

    /**
     * Checks {@code samples} random elements of every tensor {@code which} accepts; returns the worst case per
     * tensor and fails if any element is off by more than {@code atol + tol * max(|a|, |n|)}.
     */
    public static List<Worst> check(ParamLayout layout, INDArray params, INDArray grads, DoubleSupplier loss,
                                    Predicate<String> which, int samples, double h, double tol, long seed) {
        return check(layout, params, grads, loss, which, samples, h, tol, 1e-9, seed);
    }

    public static List<Worst> check(ParamLayout layout, INDArray params, INDArray grads, DoubleSupplier loss,
                                    Predicate<String> which, int samples, double h, double tol, double atol, long seed) {
        Random r = new Random(seed);
        List<Worst> out = new ArrayList<>();
        StringBuilder failures = new StringBuilder();
        for (ParamLayout.Entry e : layout.entries()) {
            if (!which.test(e.name())) {
                continue;
            }
            Worst worst = null;
            for (int s = 0; s < samples; s++) {
                long idx = e.offset() + (long) (r.nextDouble() * e.size());
                double orig = params.getDouble(idx);
                params.putScalar(idx, orig + h);
                double lp = loss.getAsDouble();
                params.putScalar(idx, orig - h);
                double lm = loss.getAsDouble();
                params.putScalar(idx, orig);
                double numeric = (lp - lm) / (2 * h);
                double analytic = grads.getDouble(idx);
                double rel = Math.abs(analytic - numeric) / Math.max(Math.max(Math.abs(analytic), Math.abs(numeric)), 1e-7);
                Worst w = new Worst(e.name(), idx - e.offset(), analytic, numeric, rel);
                if (Math.abs(analytic - numeric) > atol + tol * Math.max(Math.abs(analytic), Math.abs(numeric))) {
                    failures.append('\n').append(w);
                }
                if (worst == null || rel > worst.rel()) {
                    worst = w;
                }
            }
            out.add(worst);
        }
        assertTrue(failures.length() == 0, "finite differences disagree:" + failures);
        return out;
    }
}

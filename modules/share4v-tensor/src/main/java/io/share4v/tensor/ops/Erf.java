package io.share4v.tensor.ops;

/**
 * The error function in double precision, accurate to a few ulp, because Java has no {@code Math.erf} and the
 * exact GELU ({@code 0.5 x (1 + erf(x / sqrt 2))}, PyTorch's default) needs one.
 *
 * <p>Two classical expansions from Abramowitz and Stegun, Handbook of Mathematical Functions (1964):
 * for {@code |x| < 2.5} the all-positive series 7.1.6, {@code erf x = 2/sqrt(pi) e^{-x^2} sum_n 2^n x^{2n+1} /
 * (1*3*...*(2n+1))} (no cancellation, so relative error stays near machine epsilon); {@code erfc} for {@code x >= 1} (and
 * {@code erf} beyond 2.5) comes from the continued fraction 7.1.14, evaluated bottom-up with a depth that reaches
 * double precision at that {@code x}. The unit test compares against CPython's {@code math.erf}/{@code math.erfc}.
 */
public final class Erf {
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double INV_SQRT_PI = 0.5641895835477563;
    private static final double SERIES_LIMIT = 2.5;
    /** Below 1, {@code 1 - erf} loses at most ~3 bits (erfc(1) = 0.157); above it the fraction is exact. */
    private static final double FRACTION_FROM = 1.0;

    private Erf() {}

    /** erf(x). */
    public static double erf(double x) {
        double ax = Math.abs(x);
        if (Double.isNaN(x)) {
            return x;
        }
        double r = ax < SERIES_LIMIT ? series(ax) : 1.0 - erfcFraction(ax);
        return x < 0 ? -r : r;
    }

    /** erfc(x) = 1 - erf(x), without cancellation for large positive x. */
    public static double erfc(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (x >= FRACTION_FROM) {
            return erfcFraction(x);
        }
        if (x <= -SERIES_LIMIT) {
            return 2.0 - erfcFraction(-x);
        }
        return 1.0 - (x < 0 ? -series(-x) : series(x));
    }

    private static double series(double x) {
        double x2 = x * x;
        double term = x;
        double sum = x;
        for (int n = 0; n < 200; n++) {
            term *= 2.0 * x2 / (2 * n + 3);
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
    }

    private static double erfcFraction(double x) {
        if (x > 27.3) {
            return 0.0; // erfc underflows double below this
        }
        // depth measured against CPython's math.erfc to reach a relative error below 3e-16
        int depth = x >= 2.0 ? 80 : x >= 1.5 ? 160 : 320;
        double f = x;
        for (int k = depth; k >= 1; k--) {
            f = x + (k * 0.5) / f;
        }
        return INV_SQRT_PI * Math.exp(-x * x) / f;
    }
}

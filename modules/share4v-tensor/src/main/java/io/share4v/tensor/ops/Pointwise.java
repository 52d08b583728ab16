package io.share4v.tensor.ops;

/**
 * The activations and their derivatives in double, exactly as PyTorch defines them. Public for the kernels of the
 * backend modules, which must compute the same functions; not for model code.
 */
public final class Pointwise {
    private static final double INV_SQRT2 = 0.7071067811865476;
    private static final double INV_SQRT_2PI = 0.3989422804014327;
    public static final double QUICK_GELU_ALPHA = 1.702;

    private Pointwise() {}

    public static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    /** Phi(x), the standard normal CDF, via erfc so that the negative tail keeps its relative accuracy. */
    public static double normalCdf(double x) {
        return 0.5 * Erf.erfc(-x * INV_SQRT2);
    }

    /**
     * Phi(x) to float precision (relative error below 1.3e-7 everywhere, tails included) for the FLOAT kernels:
     * erfc from the Chebyshev-fitted exponential of Numerical Recipes' {@code erfcc} (fractional error < 1.2e-7),
     * one exp and no loop; the exact {@link Erf} costs ~190 ns per element, which made the projector's GELU a
     * hot spot of the training step. DOUBLE (the finite-difference checks) keeps {@link #normalCdf}.
     */
    public static double normalCdfFloat(double x) {
        double z = Math.abs(x) * INV_SQRT2;
        double t = 1.0 / (1.0 + 0.5 * z);
        double erfcz = t
                * Math.exp(
                        -z * z
                                - 1.26551223
                                + t
                                        * (1.00002368
                                                + t
                                                        * (0.37409196
                                                                + t
                                                                        * (0.09678418
                                                                                + t
                                                                                        * (-0.18628806
                                                                                                + t
                                                                                                        * (0.27886807
                                                                                                                + t
                                                                                                                        * (-1.13520398
                                                                                                                                + t
                                                                                                                                        * (1.48851587
                                                                                                                                                + t
                                                                                                                                                        * (-0.82215223
                                                                                                                                                                + t
                                                                                                                                                                        * 0.17087277)))))))));
        return x >= 0 ? 1.0 - 0.5 * erfcz : 0.5 * erfcz;
    }

    /** The exact GELU's value ({@code x Phi(x)}) and derivative ({@code Phi + x phi}) at float precision. */
    public static double geluFloat(double x) {
        return x * normalCdfFloat(x);
    }

    public static double geluDerivativeFloat(double x) {
        return normalCdfFloat(x) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    }

    public static double forward(Activation f, double x) {
        return switch (f) {
            case GELU -> x * normalCdf(x); // 0.5 x (1 + erf(x / sqrt 2)), torch.nn.GELU(approximate='none')
            case QUICK_GELU -> x * sigmoid(QUICK_GELU_ALPHA * x);
            case SILU -> x * sigmoid(x);
        };
    }

    public static double derivative(Activation f, double x) {
        switch (f) {
            case GELU:
                return normalCdf(x) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
            case QUICK_GELU: {
                double s = sigmoid(QUICK_GELU_ALPHA * x);
                return s + QUICK_GELU_ALPHA * x * s * (1.0 - s);
            }
            case SILU: {
                double s = sigmoid(x);
                return s * (1.0 + x * (1.0 - s));
            }
            default:
                throw new IllegalArgumentException("unknown activation " + f);
        }
    }
}

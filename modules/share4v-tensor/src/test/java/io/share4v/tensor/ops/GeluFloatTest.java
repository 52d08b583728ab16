package io.share4v.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The FLOAT kernels' fast normal CDF against the exact double one ({@link Erf}): relative error within float
 * precision over the whole range GELU sees, tails included, and the same for GELU's value and derivative.
 */
class GeluFloatTest {
    @Test
    void fastNormalCdfHasFloatPrecisionEverywhere() {
        double worstCdf = 0;
        double worstGelu = 0;
        double worstDeriv = 0;
        for (double x = -12; x <= 12; x += 1e-4) {
            double cdf = Pointwise.normalCdf(x);
            worstCdf = Math.max(worstCdf, Math.abs(Pointwise.normalCdfFloat(x) - cdf) / cdf);
            double g = Pointwise.forward(Activation.GELU, x);
            if (g != 0) {
                worstGelu = Math.max(worstGelu, Math.abs(Pointwise.geluFloat(x) - g) / Math.abs(g));
            }
            double d = Pointwise.derivative(Activation.GELU, x);
            // Phi + x phi cancels near its zero at x = -0.75 (both terms ~0.23): the error is Phi's, relative to
            // the terms' scale there, as in any float evaluation of the derivative
            worstDeriv =
                    Math.max(worstDeriv, Math.abs(Pointwise.geluDerivativeFloat(x) - d) / Math.max(Math.abs(d), 0.5));
        }
        System.out.printf("fast Phi: max rel err %.2e; GELU %.2e; GELU' %.2e%n", worstCdf, worstGelu, worstDeriv);
        assertTrue(worstCdf < 2e-7, "Phi " + worstCdf);
        assertTrue(worstGelu < 2e-7, "GELU " + worstGelu);
        assertTrue(worstDeriv < 2e-7, "GELU' " + worstDeriv);
    }
}

package io.share4v.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ErfTest {

    @Test
    void matchesCPythonToAFewUlp() throws IOException {
        int rows = 0;
        double worstErf = 0;
        double worstErfc = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                ErfTest.class.getResourceAsStream("/erf/erf_reference.csv"), StandardCharsets.UTF_8))) {
            r.readLine();
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.split(",");
                double x = Double.parseDouble(f[0]);
                worstErf = Math.max(worstErf, rel(Erf.erf(x), Double.parseDouble(f[1])));
                worstErfc = Math.max(worstErfc, rel(Erf.erfc(x), Double.parseDouble(f[2])));
                rows++;
            }
        }
        assertTrue(rows > 500, "reference rows: " + rows);
        // a few ulp: exp(-x*x) rounds x*x, which costs ~x^2 ulp in the far tail
        assertTrue(worstErf < 5e-15, "worst erf relative error " + worstErf);
        assertTrue(worstErfc < 5e-15, "worst erfc relative error " + worstErfc);
    }

    @Test
    void oddAndLimits() {
        assertEquals(-Erf.erf(0.7), Erf.erf(-0.7));
        assertEquals(1.0, Erf.erf(30));
        assertEquals(0.0, Erf.erfc(30));
        assertEquals(2.0, Erf.erfc(-30));
        assertTrue(Double.isNaN(Erf.erf(Double.NaN)));
    }

    private static double rel(double got, double want) {
        if (want == 0) {
            return Math.abs(got);
        }
        return Math.abs(got - want) / Math.abs(want);
    }
}

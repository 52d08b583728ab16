package io.share4v.train.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsTest {
    @TempDir
    Path tmp;

    record Row(long step, double loss, double lr) {}

    @Test
    void metricsAreOneJsonObjectPerLineAppendedAcrossOpens() throws Exception {
        Path f = tmp.resolve("run/metrics.jsonl");
        try (MetricsLog log = MetricsLog.append(f)) {
            log.write(new Row(0, 2.5, 0.0));
            log.write(new Row(1, 2.25, 1e-5));
        }
        try (MetricsLog log = MetricsLog.append(f)) { // a resumed run appends
            log.write(new Row(2, 2.0, 2e-5));
        }
        List<String> lines = Files.readAllLines(f);
        assertEquals(3, lines.size());
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertEquals(List.of("step", "loss", "lr"), iterable(first.fieldNames()));
        assertEquals(2.5, first.get("loss").asDouble());
        assertEquals(2, new ObjectMapper().readTree(lines.get(2)).get("step").asLong());
    }

    @Test
    void curvesAreAPngWithLossAboveLearningRate() throws Exception {
        List<TrainingCurves.Point> points = new ArrayList<>();
        for (int s = 0; s < 50; s++) {
            double lr = s < 5 ? 2e-5 * s / 5 : 2e-5 * 0.5 * (1 + Math.cos(Math.PI * (s - 5) / 45.0));
            points.add(new TrainingCurves.Point(s, s == 7 ? Double.NaN : 3.0 / (1 + s) + 0.1 * Math.sin(s), lr));
        }
        Path png = tmp.resolve("plots/curves.png");
        TrainingCurves.write(png, "tiny-finetune", points, 10);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(1000, img.getWidth());
        assertEquals(700, img.getHeight());
        assertTrue(distinctColours(img) > 10, "the chart has lines and text, not a blank image");
        assertThrows(IllegalArgumentException.class, () -> TrainingCurves.write(png, "x", points, 0));
    }

    @Test
    void etaUsesTheStepsThisProcessRan() {
        long s = 1_000_000_000L;
        Eta eta = new Eta(100, 20, 0);
        assertEquals("step 20/100 (20.0 %)", eta.line(20, 5 * s));
        assertEquals("step 30/100 (30.0 %), 2.00 s/step, ETA 2 min 20 s", eta.line(30, 20 * s));
        assertEquals("4 h 05 min", Eta.format(Duration.ofMinutes(245)));
        assertEquals("7 s", Eta.format(Duration.ofSeconds(7)));
        assertThrows(IllegalArgumentException.class, () -> new Eta(10, 11, 0));
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    @Test
    void validationPointsAreDrawnOnTheLossChart() throws Exception {
        List<TrainingCurves.Point> points = new ArrayList<>();
        for (int s = 0; s < 20; s++) {
            points.add(new TrainingCurves.Point(s, 3.0 - 0.1 * s, 1e-5));
        }
        Path without = tmp.resolve("without.png");
        Path with = tmp.resolve("with.png");
        TrainingCurves.write(without, "run", points, 5);
        TrainingCurves.write(
                with,
                "run",
                points,
                List.of(new TrainingCurves.EvalPoint(10, 2.2), new TrainingCurves.EvalPoint(20, 1.3)),
                5);
        int validationColour = 0xffd94801;
        assertEquals(0, count(ImageIO.read(without.toFile()), validationColour));
        assertTrue(count(ImageIO.read(with.toFile()), validationColour) > 100, "the validation series is drawn");
    }

    private static int count(BufferedImage img, int argb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                n += img.getRGB(x, y) == argb ? 1 : 0;
            }
        }
        return n;
    }

    private static int distinctColours(BufferedImage img) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                seen.add(img.getRGB(x, y));
            }
        }
        return seen.size();
    }
}

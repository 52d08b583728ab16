package io.share4v.train.metrics;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The picture of a run: training loss (per step, and its running mean over a window, which is what one reads a
 * noisy per-step loss by) and the validation loss (a marked point after each validation pass) above the learning
 * rate, all against the optimizer step, as a PNG written at every checkpoint. Headless Java2D through JFreeChart: works on cluster nodes without a display.
 */
public final class TrainingCurves {
    /** One optimizer step's point: its loss (NaN when the step had no supervised token) and learning rate. */
    public record Point(long step, double loss, double lr) {}

    /** One validation pass: its loss after {@code step} completed optimizer steps. */
    public record EvalPoint(long step, double loss) {}

    private static final int WIDTH = 1000;
    private static final int HEIGHT = 700;

    private TrainingCurves() {}

    /** Writes the curves of {@code points} (in step order) to {@code png}, titled {@code title}. */
    public static void write(Path png, String title, List<Point> points, int smoothingWindow) throws IOException {
        write(png, title, points, List.of(), smoothingWindow);
    }

    /** {@link #write}, with the validation losses {@code evals} (in step order) on the loss chart. */
    public static void write(Path png, String title, List<Point> points, List<EvalPoint> evals, int smoothingWindow)
            throws IOException {
        if (smoothingWindow < 1) {
            throw new IllegalArgumentException(
                    "smoothing window = " + smoothingWindow + " is invalid: expected >= 1 steps");
        }
        XYSeries loss = new XYSeries("loss");
        XYSeries smooth = new XYSeries("loss, mean of the last " + smoothingWindow + " steps");
        XYSeries lr = new XYSeries("learning rate");
        double[] window = new double[smoothingWindow];
        int filled = 0;
        double sum = 0;
        for (Point p : points) {
            lr.add(p.step(), p.lr());
            if (Double.isNaN(p.loss())) {
                continue;
            }
            loss.add(p.step(), p.loss());
            int slot = filled % smoothingWindow;
            sum += p.loss() - (filled >= smoothingWindow ? window[slot] : 0);
            window[slot] = p.loss();
            filled++;
            smooth.add(p.step(), sum / Math.min(filled, smoothingWindow));
        }
        XYSeriesCollection losses = new XYSeriesCollection(loss);
        losses.addSeries(smooth);
        XYPlot lossPlot = new XYPlot(losses, null, axis("loss"), renderer(new Color(0x9ecae1), new Color(0x08519c)));
        XYSeries validation = new XYSeries("validation loss");
        for (EvalPoint e : evals) {
            if (!Double.isNaN(e.loss())) {
                validation.add(e.step(), e.loss());
            }
        }
        if (!validation.isEmpty()) {
            XYLineAndShapeRenderer marked = new XYLineAndShapeRenderer(true, true);
            marked.setSeriesPaint(0, new Color(0xd94801));
            marked.setSeriesStroke(0, new BasicStroke(2f));
            lossPlot.setDataset(1, new XYSeriesCollection(validation));
            lossPlot.setRenderer(1, marked);
        }
        XYPlot lrPlot = new XYPlot(new XYSeriesCollection(lr), null, axis("learning rate"), renderer(Color.DARK_GRAY));
        NumberAxis steps = new NumberAxis("optimizer step");
        steps.setAutoRangeIncludesZero(false);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(steps);
        plot.add(lossPlot, 3);
        plot.add(lrPlot, 1);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
    }

    private static NumberAxis axis(String label) {
        NumberAxis a = new NumberAxis(label);
        a.setAutoRangeIncludesZero(false);
        return a;
    }

    private static XYLineAndShapeRenderer renderer(Color... colors) {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < colors.length; i++) {
            r.setSeriesPaint(i, colors[i]);
            r.setSeriesStroke(i, new BasicStroke(i == colors.length - 1 ? 2f : 1f));
        }
        return r;
    }
}

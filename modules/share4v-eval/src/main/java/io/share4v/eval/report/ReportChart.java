package io.share4v.eval.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * {@code report.png}: one group of bars per column of the paper's table: ours, ShareGPT4V-7B and ShareGPT4V-13B.
 * The benchmarks' scales differ (MME's sums are out of 2000 and 800, the rest are percentages), so every bar is the
 * number as a percentage of its benchmark's maximum, on one axis, and labelled with the number as reported. Where we
 * have no number the bar's place holds its status ({@code upload}, {@code judge}, {@code not run}, a dash when not
 * run at all), and where the paper has none (POPE) it says so.
 *
 * <p>Drawn with plain Java2D on a {@link BufferedImage} (works headless, on nodes without a display). The trainer's
 * {@code curves.png} uses JFreeChart, a dependency of the trainer only; this module has no charting library, and a
 * grouped bar chart is small enough to draw directly rather than add one (or move one into share4v-common, which every
 * module and the single-node bundle load).
 */
public final class ReportChart {
    public static final int WIDTH = 1600;
    public static final int HEIGHT = 860;
    /** Ours, ShareGPT4V-7B, ShareGPT4V-13B. */
    static final Color OURS = new Color(0x1f77b4);

    static final Color PAPER_7B = new Color(0xfdae6b);
    static final Color PAPER_13B = new Color(0xd94801);
    private static final Color GRID = new Color(0xdddddd);
    private static final Color MUTED = new Color(0x666666);
    private static final int LEFT = 100;
    private static final int RIGHT = 30;
    private static final int TOP = 120;
    private static final int BOTTOM = 110;
    private static final int GRID_STEP = 20;

    private ReportChart() {}

    /** Draws {@code report} and writes it to {@code png}. */
    public static void write(RunReport report, Path png) throws IOException {
        if (!ImageIO.write(draw(report), "png", png.toFile())) {
            throw new IOException(png + ": no PNG writer");
        }
    }

    /** The chart of {@code report}. */
    public static BufferedImage draw(RunReport report) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            List<ReportRow> rows = report.rows();
            double top = axisTop(rows);
            titles(g, report);
            legend(g, report.run().modelId());
            axes(g, top);
            double groupWidth = (double) (WIDTH - LEFT - RIGHT) / rows.size();
            for (int i = 0; i < rows.size(); i++) {
                group(g, rows.get(i), LEFT + i * groupWidth, groupWidth, top);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** The axis maximum: 100%, or more when a number exceeds its benchmark's maximum (a relative score can). */
    private static double axisTop(List<ReportRow> rows) {
        double max = 100;
        for (ReportRow r : rows) {
            for (Double v : new Double[] {r.ours(), r.paper7b(), r.paper13b()}) {
                if (v != null) {
                    max = Math.max(max, percent(v, r.column()));
                }
            }
        }
        return Math.ceil(max / GRID_STEP) * GRID_STEP;
    }

    private static double percent(double value, ReportColumn column) {
        return 100 * Math.max(0, value) / column.maximum();
    }

    private static int y(double percent, double top) {
        int plotBottom = HEIGHT - BOTTOM;
        return (int) Math.round(plotBottom - percent / top * (plotBottom - TOP));
    }

    private static void titles(Graphics2D g, RunReport report) {
        RunInfo run = report.run();
        String commit = run.gitCommit().length() > 12 ? run.gitCommit().substring(0, 12) : run.gitCommit();
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
        g.drawString(
                run.modelId() + " vs ShareGPT4V  (commit " + commit + ", checkpoint " + run.checkpointText() + ")",
                LEFT,
                34);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.setColor(MUTED);
        g.drawString(
                "Bar height: % of each benchmark's maximum (MME: points of 2000 / 800); labels: the numbers as"
                        + " reported. Published: " + PaperNumbers.SOURCE + ".",
                LEFT,
                58);
    }

    private static void legend(Graphics2D g, String modelId) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        String[] labels = {"ours (" + modelId + ")", "ShareGPT4V-7B (paper)", "ShareGPT4V-13B (paper)"};
        Color[] colors = {OURS, PAPER_7B, PAPER_13B};
        FontMetrics fm = g.getFontMetrics();
        int x = LEFT;
        for (int i = 0; i < labels.length; i++) {
            g.setColor(colors[i]);
            g.fillRect(x, 76, 16, 16);
            g.setColor(Color.BLACK);
            g.drawString(labels[i], x + 22, 90);
            x += 22 + fm.stringWidth(labels[i]) + 30;
        }
    }

    private static void axes(Graphics2D g, double top) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        for (int p = 0; p <= top; p += GRID_STEP) {
            int yy = y(p, top);
            g.setColor(GRID);
            g.drawLine(LEFT, yy, WIDTH - RIGHT, yy);
            g.setColor(Color.BLACK);
            String label = p + "%";
            g.drawString(label, LEFT - 8 - fm.stringWidth(label), yy + fm.getAscent() / 2 - 1);
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1.5f));
        g.drawLine(LEFT, y(0, top), WIDTH - RIGHT, y(0, top));
        g.drawLine(LEFT, TOP, LEFT, y(0, top));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        String axis = "score, % of the benchmark's maximum";
        int mid = (TOP + y(0, top)) / 2 + g.getFontMetrics().stringWidth(axis) / 2;
        rotated(g, axis, 28, mid);
    }

    private static void group(Graphics2D g, ReportRow row, double x, double width, double top) {
        double slot = width * 0.8 / 3;
        double start = x + width * 0.1;
        Double[] values = {row.ours(), row.paper7b(), row.paper13b()};
        Color[] colors = {OURS, PAPER_7B, PAPER_13B};
        int base = y(0, top);
        for (int i = 0; i < values.length; i++) {
            int left = (int) Math.round(start + i * slot + 1);
            int w = (int) Math.max(1, Math.round(slot - 2));
            int labelX = left + w / 2 + 5;
            if (values[i] == null) {
                g.setFont(new Font(Font.SANS_SERIF, Font.ITALIC, 12));
                g.setColor(MUTED);
                if (i > 0) {
                    rotated(g, "not in the paper", labelX, base - 4);
                } else if (row.status() == RowStatus.ABSENT) {
                    String dash = ReportMarkdown.DASH;
                    g.drawString(dash, left + (w - g.getFontMetrics().stringWidth(dash)) / 2, base - 6);
                } else {
                    rotated(g, row.status().text(), labelX, base - 4);
                }
                continue;
            }
            int barTop = y(percent(values[i], row.column()), top);
            g.setColor(colors[i]);
            g.fillRect(left, barTop, w, base - barTop);
            g.setFont(new Font(Font.SANS_SERIF, i == 0 ? Font.BOLD : Font.PLAIN, 11));
            g.setColor(Color.BLACK);
            String label = String.format(Locale.ROOT, "%.1f", values[i])
                    + (i == 0 && row.status() == RowStatus.PARTIAL ? " partial" : "");
            rotated(g, label, labelX, barTop - 3);
        }
        xLabel(g, row.column().label(), x, width, base);
    }

    /** The column's name under its group, on two lines when it is wider than the group. */
    private static void xLabel(Graphics2D g, String label, double x, double width, int base) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.setColor(Color.BLACK);
        FontMetrics fm = g.getFontMetrics();
        String[] lines = {label};
        if (fm.stringWidth(label) > width - 4) {
            int cut = Math.max(label.lastIndexOf('-', label.length() - 2), label.lastIndexOf(' '));
            if (cut > 0) {
                lines = new String[] {
                    label.substring(0, cut + 1).strip(),
                    label.substring(cut + 1).strip()
                };
            }
        }
        for (int i = 0; i < lines.length; i++) {
            int w = fm.stringWidth(lines[i]);
            g.drawString(lines[i], (int) Math.round(x + (width - w) / 2), base + 20 + i * (fm.getHeight()));
        }
    }

    /** {@code text} written upwards, starting at ({@code x}, {@code y}). */
    private static void rotated(Graphics2D g, String text, int x, int y) {
        AffineTransform saved = g.getTransform();
        g.translate(x, y);
        g.rotate(-Math.PI / 2);
        g.drawString(text, 0, 0);
        g.setTransform(saved);
    }
}

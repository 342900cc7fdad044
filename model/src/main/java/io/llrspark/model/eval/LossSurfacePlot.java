package io.llrspark.model.eval;

import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.style.Styler;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code loss-surface.png}: one heat map per example of the report's {@code obfuscation.loss_surface}, the loss over
 * the plane of the gradient's sign (across) and a random sign direction (up), side by side.
 */
final class LossSurfacePlot {
    private static final int WIDTH = 420;
    private static final int HEIGHT = 400;
    private static final Color[] SCALE = {new Color(0x30123b), new Color(0x4686fb), new Color(0x1be5b5),
            new Color(0xa4fc3c), new Color(0xfbb938), new Color(0xe4460a), new Color(0x7a0403)};

    private LossSurfacePlot() {
    }

    /** The picture, or null when the section has no surfaces. */
    @SuppressWarnings("unchecked")
    static byte[] png(Map<String, Object> section, String title) throws IOException {
        List<Map<String, Object>> points = (List<Map<String, Object>>) section.get("points");
        if (points == null || points.isEmpty()) {
            return null;
        }
        List<Double> coordinates = (List<Double>) section.get("coordinates");
        double radius = ((Number) section.get("radius")).doubleValue();
        List<String> ticks = new ArrayList<>();
        for (int i = 0; i < coordinates.size(); i++) {
            // Every other tick labelled: 21 labels do not fit under a 400-pixel chart.
            ticks.add(i % 2 == 0 || i == coordinates.size() - 1 ? String.format(Locale.ROOT, "%.2f", coordinates.get(i))
                    : " ".repeat(i % 4 + 1));
        }
        int header = 36;
        BufferedImage image = new BufferedImage(WIDTH * points.size(), HEIGHT + header, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        g.drawString(title + String.format(Locale.ROOT, "  (cross-entropy around x, ±%.3g along sign(∇ₓ loss) across,"
                + " a random sign direction up)", radius), 10, 22);
        for (int p = 0; p < points.size(); p++) {
            Map<String, Object> point = points.get(p);
            HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(HEIGHT)
                    .title(String.format(Locale.ROOT, "example %s (label %s%s)", point.get("example"), point.get("label"),
                            Boolean.TRUE.equals(point.get("correct")) ? "" : ", misclassified"))
                    .xAxisTitle("gradient sign").yAxisTitle("random sign").build();
            chart.getStyler().setRangeColors(SCALE).setShowValue(false).setDrawBorder(false)
                    .setLegendPosition(Styler.LegendPosition.OutsideE);
            chart.getStyler().setXAxisLabelRotation(90);
            chart.getStyler().setChartBackgroundColor(Color.WHITE);
            chart.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
            chart.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            List<List<Number>> loss = (List<List<Number>>) (List<?>) asLists(point.get("loss"));
            List<Number[]> cells = new ArrayList<>();
            for (int i = 0; i < loss.size(); i++) {
                for (int j = 0; j < loss.get(i).size(); j++) {
                    // Three significant digits: the legend prints its ends as they are, and 16 digits crowd out the map.
                    double v = loss.get(i).get(j).doubleValue();
                    cells.add(new Number[]{i, j, Double.isFinite(v) ? new BigDecimal(v).round(new MathContext(3))
                            .doubleValue() : v});
                }
            }
            chart.addSeries("loss", ticks, ticks, cells);
            Graphics2D cell = (Graphics2D) g.create(p * WIDTH, header, WIDTH, HEIGHT);
            chart.paint(cell, WIDTH, HEIGHT);
            cell.dispose();
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** A double[][] from the outcomes, or the lists of lists it reads back as from JSON. */
    private static List<List<Number>> asLists(Object loss) {
        if (loss instanceof double[][] rows) {
            List<List<Number>> out = new ArrayList<>();
            for (double[] row : rows) {
                List<Number> r = new ArrayList<>();
                for (double v : row) {
                    r.add(v);
                }
                out.add(r);
            }
            return out;
        }
        @SuppressWarnings("unchecked")
        List<List<Number>> lists = (List<List<Number>>) loss;
        return lists;
    }
}

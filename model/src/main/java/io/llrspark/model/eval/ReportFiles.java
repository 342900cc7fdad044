package io.llrspark.model.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.llrspark.model.storage.Storage;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes an evaluation report next to itself in three forms: {@code report.json} (the schema in docs/evaluation.md),
 * {@code report.csv} (one row per ε and attack), {@code robust-accuracy.png} (robust accuracy against ε per
 * attack) and, where the verdict drew them, {@code loss-surface.png}. report.json is written last: its presence means
 * the report is complete.
 */
public final class ReportFiles {
    public static final String JSON_NAME = "report.json";
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xd62728)};

    private ReportFiles() {
    }

    /** Where a run's report on one of its checkpoints goes: {@code <run>/reports/<checkpoint name>}. */
    public static String directory(Storage storage, String run, String checkpoint) {
        String name = checkpoint.substring(checkpoint.replaceAll("/+$", "").lastIndexOf('/') + 1);
        return storage.resolve(storage.resolve(run, "reports"), name);
    }

    /** Writes the three files under {@code directory}; returns the path of report.json. */
    public static String write(Storage storage, String directory, Map<String, Object> report) throws IOException {
        Map<String, Map<Double, Double>> curves = curves(report);
        write(storage, storage.resolve(directory, "report.csv"), csv(report, curves).getBytes(StandardCharsets.UTF_8));
        write(storage, storage.resolve(directory, "robust-accuracy.png"), png(report, curves));
        if (report.get("obfuscation") instanceof Map<?, ?> verdict && verdict.get("loss_surface") instanceof Map<?, ?> s) {
            @SuppressWarnings("unchecked")
            byte[] surface = LossSurfacePlot.png((Map<String, Object>) s, String.valueOf(report.get("checkpoint"))
                    .replaceAll(".*/", ""));
            if (surface != null) {
                write(storage, storage.resolve(directory, "loss-surface.png"), surface);
            }
        }
        String json = storage.resolve(directory, JSON_NAME);
        write(storage, json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(report));
        return json;
    }

    /** Robust accuracy by attack (and "worst-case"), each a map ε → accuracy in ascending ε. */
    @SuppressWarnings("unchecked")
    static Map<String, Map<Double, Double>> curves(Map<String, Object> report) {
        Map<String, Map<Double, Double>> curves = new LinkedHashMap<>();
        Map<String, Object> attacks = (Map<String, Object>) report.get("attacks");
        Map<String, Object> worst = (Map<String, Object>) report.get("robust_accuracy");
        List<String> epsilons = new ArrayList<>(attacks.keySet());
        epsilons.sort((a, b) -> Double.compare(Double.parseDouble(a), Double.parseDouble(b)));
        for (String eps : epsilons) {
            for (Map.Entry<String, Object> a : ((Map<String, Object>) attacks.get(eps)).entrySet()) {
                curves.computeIfAbsent(a.getKey(), k -> new LinkedHashMap<>())
                        .put(Double.parseDouble(eps), ((Number) a.getValue()).doubleValue());
            }
            curves.computeIfAbsent("worst-case", k -> new LinkedHashMap<>())
                    .put(Double.parseDouble(eps), ((Number) worst.get(eps)).doubleValue());
        }
        return curves;
    }

    static String csv(Map<String, Object> report, Map<String, Map<Double, Double>> curves) {
        StringBuilder sb = new StringBuilder("epsilon,attack,robust_accuracy,clean_accuracy,examples\n");
        for (Map.Entry<String, Map<Double, Double>> c : curves.entrySet()) {
            for (Map.Entry<Double, Double> p : c.getValue().entrySet()) {
                sb.append(String.format(Locale.ROOT, "%s,%s,%.6f,%.6f,%s%n", p.getKey(), c.getKey(), p.getValue(),
                        ((Number) report.get("clean_accuracy")).doubleValue(), report.get("examples")));
            }
        }
        return sb.toString();
    }

    static byte[] png(Map<String, Object> report, Map<String, Map<Double, Double>> curves) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int w = 640;
        int h = 420;
        int left = 60;
        int right = 170;
        int top = 40;
        int bottom = 50;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        double maxEps = curves.values().stream().flatMap(m -> m.keySet().stream()).mapToDouble(Double::doubleValue)
                .max().orElse(1);
        maxEps = maxEps > 0 ? maxEps : 1;
        int plotW = w - left - right;
        int plotH = h - top - bottom;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawRect(left, top, plotW, plotH);
        for (int i = 0; i <= 4; i++) {
            int y = top + plotH - i * plotH / 4;
            g.setColor(new Color(0xdddddd));
            g.drawLine(left + 1, y, left + plotW - 1, y);
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%.2f", i / 4.0), left - 36, y + 4);
        }
        for (int i = 0; i <= 4; i++) {
            int x = left + i * plotW / 4;
            g.drawString(String.format(Locale.ROOT, "%.3f", maxEps * i / 4), x - 14, top + plotH + 18);
        }
        g.drawString("epsilon (L-inf)", left + plotW / 2 - 40, h - 12);
        g.drawString(String.format(Locale.ROOT, "robust accuracy (clean %.3f, %s examples)",
                ((Number) report.get("clean_accuracy")).doubleValue(), report.get("examples")), left, top - 14);
        double clean = ((Number) report.get("clean_accuracy")).doubleValue();
        int k = 0;
        for (Map.Entry<String, Map<Double, Double>> c : curves.entrySet()) {
            g.setColor(COLORS[k % COLORS.length]);
            g.setStroke(new BasicStroke(c.getKey().equals("worst-case") ? 3f : 1.8f));
            int px = left;
            int py = top + plotH - (int) Math.round(clean * plotH);
            for (Map.Entry<Double, Double> p : c.getValue().entrySet()) {
                int x = left + (int) Math.round(p.getKey() / maxEps * plotW);
                int y = top + plotH - (int) Math.round(p.getValue() * plotH);
                g.drawLine(px, py, x, y);
                g.fillOval(x - 3, y - 3, 7, 7);
                px = x;
                py = y;
            }
            int ly = top + 16 + 18 * k;
            g.drawLine(left + plotW + 12, ly - 4, left + plotW + 32, ly - 4);
            g.setColor(Color.BLACK);
            g.drawString(c.getKey(), left + plotW + 38, ly);
            k++;
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    private static void write(Storage storage, String path, byte[] bytes) throws IOException {
        try (OutputStream out = storage.create(path)) {
            out.write(bytes);
        }
    }
}

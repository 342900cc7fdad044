package io.llrspark.model.cli;

import java.util.List;
import java.util.Map;

/** The evaluation report as a small text table for the terminal. */
public final class ReportTable {
    private ReportTable() {
    }

    @SuppressWarnings("unchecked")
    public static String render(Map<String, Object> report) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("examples %s, clean accuracy %.4f%n", report.get("examples"),
                ((Number) report.get("clean_accuracy")).doubleValue()));
        Map<String, Object> attacks = (Map<String, Object>) report.get("attacks");
        Map<String, Object> worst = (Map<String, Object>) report.get("robust_accuracy");
        Map<String, Object> gamma = (Map<String, Object>) report.get("gamma");
        boolean cascade = Boolean.TRUE.equals(report.get("cascade"));
        for (Map.Entry<String, Object> e : attacks.entrySet()) {
            sb.append(String.format("eps %-6s", e.getKey()));
            for (Map.Entry<String, Object> a : ((Map<String, Object>) e.getValue()).entrySet()) {
                sb.append(String.format("  %s%s %.4f", cascade ? "after " : "", a.getKey(),
                        ((Number) a.getValue()).doubleValue()));
            }
            sb.append(String.format("  worst-case %.4f", ((Number) worst.get(e.getKey())).doubleValue()));
            Object g = gamma.get(e.getKey());
            if (g instanceof Map<?, ?> gm) {
                sb.append(String.format("  gamma mean %.4f", ((Number) gm.get("mean")).doubleValue()));
            }
            sb.append('\n');
        }
        if (report.get("obfuscation") instanceof Map<?, ?> verdict) {
            sb.append(String.format("obfuscation (%s examples): %s%n", verdict.get("examples"), verdict.get("verdict")));
            for (Object o : (List<?>) verdict.get("checks")) {
                Map<?, ?> check = (Map<?, ?>) o;
                if ("warn".equals(check.get("status"))) {
                    Object eps = check.get("epsilon");
                    sb.append(String.format("  warn %s%s: %s (threshold %s)%n", check.get("check"),
                            eps == null ? "" : " at eps " + eps, check.get("figures"), check.get("threshold")));
                }
            }
        }
        return sb.toString();
    }
}

package io.llrspark.model.train;

import io.llrspark.model.objective.StepDiagnostics;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Running means of step diagnostics over a window of steps: the core every objective reports, and each named term
 * the objective declares (a NaN term, which a step did not measure, makes its mean NaN). Mergeable and serializable,
 * so steps taken on different executors sum into one figure.
 */
public final class DiagnosticsAverage implements Serializable {
    private double ce;
    private double total;
    private final Map<String, Double> terms = new LinkedHashMap<>();
    private long steps;
    private long examples;
    private int passes;
    private int forwardPasses;
    private long stepNanos;

    public void add(StepDiagnostics d, int batchSize) {
        add(d.cleanLoss(), d.total(), d.terms(), d.passes(), d.forwardPasses(), 1, batchSize);
    }

    public void merge(DiagnosticsAverage other) {
        if (other.steps > 0) {
            add(other.ce, other.total, other.terms, other.passes, other.forwardPasses, other.steps, other.examples);
        }
        stepNanos += other.stepNanos;
    }

    /** Adds time spent inside steps (a worker's, measured around each of its steps). */
    public void addStepNanos(long nanos) {
        stepNanos += nanos;
    }

    /** The time spent inside the steps added, summed over the workers that took them. */
    public long stepNanos() {
        return stepNanos;
    }

    private void add(double ceSum, double totalSum, Map<String, Double> termSums, int passes, int forwardPasses,
                     long steps, long examples) {
        ce += ceSum;
        total += totalSum;
        termSums.forEach((name, value) -> terms.merge(name, value, Double::sum));
        this.passes = passes;
        this.forwardPasses = forwardPasses;
        this.steps += steps;
        this.examples += examples;
    }

    public DiagnosticsAverage copy() {
        DiagnosticsAverage c = new DiagnosticsAverage();
        c.merge(this);
        return c;
    }

    /** Whether the objective's total stayed a finite number over every step added. */
    public boolean finite() {
        return Double.isFinite(total);
    }

    public long examples() {
        return examples;
    }

    public long steps() {
        return steps;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clean_ce", json(mean(ce)));
        terms.forEach((name, sum) -> m.put(name, json(mean(sum))));
        m.put("total", json(mean(total)));
        m.put("passes_per_step", passes);
        m.put("forward_passes_per_step", forwardPasses);
        m.put("steps", steps);
        m.put("examples", examples);
        return m;
    }

    private static final java.util.Set<String> CORE = java.util.Set.of("clean_ce", "total", "passes_per_step",
            "forward_passes_per_step", "steps", "examples");

    /** The average {@link #toMap} described (every other key is a term), so a resumed run can go on adding to it. */
    public static DiagnosticsAverage fromMap(Map<String, Object> m) {
        DiagnosticsAverage a = new DiagnosticsAverage();
        long steps = number(m, "steps").longValue();
        if (steps == 0) {
            return a;
        }
        Map<String, Double> terms = new LinkedHashMap<>();
        for (String name : m.keySet()) {
            if (!CORE.contains(name)) {
                terms.put(name, sum(m, name, steps));
            }
        }
        a.add(sum(m, "clean_ce", steps), sum(m, "total", steps), terms, number(m, "passes_per_step").intValue(),
                number(m, "forward_passes_per_step").intValue(), steps, number(m, "examples").longValue());
        return a;
    }

    private static Number number(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof Number n ? n : 0;
    }

    private static double sum(Map<String, Object> m, String key, long steps) {
        Object v = m.get(key);
        return (v instanceof Number n ? n.doubleValue() : Double.NaN) * steps;
    }

    public String describe() {
        StringBuilder sb = new StringBuilder("ce ").append(fmt(mean(ce)));
        terms.forEach((name, sum) -> sb.append("  ").append(name).append(' ').append(fmt(mean(sum))));
        return sb.append(String.format("  total %.4f  (%d passes/step)", mean(total), passes)).toString();
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.4f", v);
    }

    private double mean(double sum) {
        return steps == 0 ? Double.NaN : sum / steps;
    }

    /** JSON has no NaN: a term the objective does not measure is null. */
    private static Double json(double v) {
        return Double.isNaN(v) ? null : v;
    }
}

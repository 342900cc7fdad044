package io.llrspark.model.train;

import io.llrspark.model.objective.StepDiagnostics;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Running means of step diagnostics over a window of steps (NaN terms, which an objective does not measure, stay
 * NaN). Mergeable and serializable, so steps taken on different executors sum into one figure.
 */
public final class DiagnosticsAverage implements Serializable {
    private double ce;
    private double gamma;
    private double linear;
    private double regularizer;
    private double total;
    private long steps;
    private long examples;
    private int passes;
    private int forwardPasses;

    public void add(StepDiagnostics d, int batchSize) {
        ce += d.cleanLoss();
        gamma += d.gamma();
        linear += d.linearTerm();
        regularizer += d.regularizer();
        total += d.total();
        passes = d.passes();
        forwardPasses = d.forwardPasses();
        steps++;
        examples += batchSize;
    }

    public void merge(DiagnosticsAverage other) {
        if (other.steps == 0) {
            return;
        }
        ce += other.ce;
        gamma += other.gamma;
        linear += other.linear;
        regularizer += other.regularizer;
        total += other.total;
        passes = other.passes;
        forwardPasses = other.forwardPasses;
        steps += other.steps;
        examples += other.examples;
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
        m.put("gamma", json(mean(gamma)));
        m.put("linear_term", json(mean(linear)));
        m.put("regularizer", json(mean(regularizer)));
        m.put("total", json(mean(total)));
        m.put("passes_per_step", passes);
        m.put("forward_passes_per_step", forwardPasses);
        m.put("steps", steps);
        return m;
    }

    public String describe() {
        return String.format("ce %s  gamma %s  |dTg| %s  total %.4f  (%d passes/step)", fmt(mean(ce)),
                fmt(mean(gamma)), fmt(mean(linear)), mean(total), passes);
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

package io.llrspark.model.eval;

import io.llrspark.model.verdict.ProbeOutcome;

import java.io.Serializable;

/**
 * What the evaluation found for one test example: its label, whether the clean prediction was right, which attacks
 * broke it at each ε ({@code broken[e][a]}: by that attack alone, or in a cascade by it or an earlier one), the worst
 * case per ε, γ(ε, x) per ε (NaN when not measured), its share of each attack's cost ({@code cost[e][a]}), and, for
 * the examples the obfuscation checks ran on, what their probes found and its share of their cost (else null and
 * {@link StageCost#NONE}). Small and serializable: executors return these, the driver aggregates them.
 */
public record ExampleOutcome(int index, int label, boolean correct, boolean[][] broken, boolean[] brokenWorst,
                             double[] gamma, StageCost[][] cost, ProbeOutcome probes, StageCost probeCost)
        implements Serializable {
}

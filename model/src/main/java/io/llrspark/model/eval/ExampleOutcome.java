package io.llrspark.model.eval;

import java.io.Serializable;

/**
 * What the evaluation found for one test example: its label, whether the clean prediction was right, which attacks
 * broke it at each ε ({@code broken[e][a]}: by that attack alone, or in a cascade by it or an earlier one), the worst
 * case per ε, γ(ε, x) per ε (NaN when not measured), and its share of each attack's cost ({@code cost[e][a]}). Small
 * and serializable: executors return these, the driver aggregates them.
 */
public record ExampleOutcome(int index, int label, boolean correct, boolean[][] broken, boolean[] brokenWorst,
                             double[] gamma, StageCost[][] cost) implements Serializable {
}

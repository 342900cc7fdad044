package io.llrspark.model.eval;

import java.io.Serializable;

/**
 * What the evaluation found for one test example: its label, whether the clean prediction was right, which attacks
 * broke it at each ε ({@code broken[e][a]}), the worst case per ε, and γ(ε, x) per ε (NaN when not measured). Small
 * and serializable: executors return these, the driver aggregates them.
 */
public record ExampleOutcome(int index, int label, boolean correct, boolean[][] broken, boolean[] brokenWorst,
                             double[] gamma) implements Serializable {
}

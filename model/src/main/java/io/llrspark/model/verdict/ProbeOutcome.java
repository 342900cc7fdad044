package io.llrspark.model.verdict;

import java.io.Serializable;

/**
 * The probes' findings on one example: whether its clean prediction was right, which probes broke it at each
 * evaluated ε ({@code broken[e][probe.ordinal()]}, see {@link Probe} for which examples each ran on), whether PGD-k
 * broke it at each point of the ε ladder (raw: no closure over ε, so the monotonicity check can see a violation), and
 * whether its input gradient is zero or not finite; for the first few examples, the {@link LossSurface} around it
 * (else null).
 */
public record ProbeOutcome(boolean correct, boolean[][] broken, boolean[] ladderBroken, boolean deadGradient,
                           double[][] lossSurface)
        implements Serializable {
}

package io.llrspark.model.objective;

import java.util.SplittableRandom;

/**
 * Where a step stands: its iteration (for ε warm-up) and the seed its random draws derive from, so a resumed or
 * distributed run draws the same random starts as an uninterrupted local one.
 */
public record StepContext(long iteration, long seed) {

    public SplittableRandom random() {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + iteration);
    }
}

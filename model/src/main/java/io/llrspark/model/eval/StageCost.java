package io.llrspark.model.eval;

import java.io.Serializable;

/**
 * What one attack at one ε cost, as one example's share of its batch's (so shares add up to a total over any set of
 * examples): seconds of the task that ran it, and example-passes forward and backward (a pass with gradients counts
 * in both).
 */
public record StageCost(double seconds, double forwardPasses, double backwardPasses) implements Serializable {
    public static final StageCost NONE = new StageCost(0, 0, 0);

    StageCost plus(StageCost o) {
        return new StageCost(seconds + o.seconds, forwardPasses + o.forwardPasses, backwardPasses + o.backwardPasses);
    }
}

package io.llrspark.model.attack;

import io.llrspark.model.memory.StepMemory;
import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.LogitGradients;
import io.llrspark.model.net.Pass;
import io.llrspark.model.perturb.LinfBall;
import io.llrspark.model.settings.Section;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Auto-PGD in L∞ (Croce &amp; Hein, ICML 2020), in inference mode: no step size to tune. Per example the step η starts
 * at 2ε; each step moves with momentum, x' = P(x + 0.75·(P(x + η·sign ∇) − x) + 0.25·(x − x_prev)) (no momentum on
 * the first). The run is cut at checkpoints, the first after 22 % of the steps, each later segment 3 % of the steps
 * shorter than the one before, down to 6 %; at a checkpoint an example's η halves and it restarts from its
 * highest-loss point when at most 75 % of the segment's steps raised its loss, or when neither its η nor its best
 * loss changed since the last checkpoint. One pass (forward and backward) per step, one to start and one forward at
 * the end. The oscillation count of the first segment compares its first step with the starting point.
 */
record ApgdSearch(int steps, int restarts) implements Search {
    private static final double MOMENTUM = 0.75;
    private static final double OSCILLATION = 0.75;

    /** The loss of one run, for the examples {@code rows} of the batch (null: all), whose labels are {@code ys}. */
    interface Loss {
        AttackLoss of(INDArray ys, int[] rows);
    }

    ApgdSearch {
        if (steps < 1 || restarts < 1) {
            throw new IllegalArgumentException("APGD needs steps >= 1 and restarts >= 1, got steps=" + steps
                    + " restarts=" + restarts);
        }
    }

    /** From a section with {@code steps} and {@code restarts}. */
    static ApgdSearch read(Section s) {
        return new ApgdSearch(s.positive("steps"), s.positive("restarts"));
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("steps", steps);
        s.put("restarts", restarts);
        return s;
    }

    /**
     * The restarts at ε > 0 ({@link SearchAttack} answers ε = 0 itself), each on the examples earlier ones left
     * unbroken; per example the strongest point.
     */
    AttackResult run(Classifier net, INDArray x, INDArray y, double eps, long seed, Loss loss) {
        return Restarts.run(x, y, restarts, (xs, ys, rows, r) ->
                single(net, xs, ys, eps, new SplittableRandom(seed * 31 + r), loss.of(ys, rows)));
    }

    /**
     * One run: per example the last misclassified point if any step reached one, else the highest-loss point. The
     * points live in an {@link ApgdState}; each pass's arrays are scratch ({@link StepMemory#iteration()}).
     */
    AttackResult single(Classifier net, INDArray x, INDArray y, double eps, SplittableRandom random, AttackLoss loss) {
        int n = (int) x.size(0);
        ApgdState state = new ApgdState(x, start(x, eps, random), eps);
        double[] eta = new double[n];
        Arrays.fill(eta, 2 * eps);
        double[][] history = new double[steps + 1][];
        double[] bestLoss;
        boolean[] everBroken = new boolean[n];
        try (MemoryWorkspace step = StepMemory.iteration()) {
            Pass pass = net.inputPass(state.input(), loss, BatchStatistics.MOVING_AVERAGE);
            state.gradient(pass.inputGradient());
            System.arraycopy(state.gradient, 0, state.bestGradient, 0, state.gradient.length);
            history[0] = loss.values(pass.logits()).toDoubleVector();
            double[] margins = LogitGradients.marginValues(pass.logits(), y).toDoubleVector();
            for (int i = 0; i < n; i++) {
                everBroken[i] = margins[i] > 0;
            }
        }
        bestLoss = history[0].clone();
        int segment = Math.max((int) (0.22 * steps), 1);
        int shrink = Math.max((int) (0.03 * steps), 1);
        int shortest = Math.max((int) (0.06 * steps), 1);
        int inSegment = 0;
        double[] bestAtCheckpoint = bestLoss.clone();
        boolean[] reducedAtCheckpoint = new boolean[n];
        Arrays.fill(reducedAtCheckpoint, true);
        for (int k = 0; k < steps; k++) {
            state.step(eta, k == 0 ? 1.0 : MOMENTUM);
            double[] values;
            double[] margins;
            try (MemoryWorkspace step = StepMemory.iteration()) {
                Pass pass = net.inputPass(state.input(), loss, BatchStatistics.MOVING_AVERAGE);
                state.gradient(pass.inputGradient());
                values = loss.values(pass.logits()).toDoubleVector();
                margins = LogitGradients.marginValues(pass.logits(), y).toDoubleVector();
            }
            history[k + 1] = values;
            boolean[] nowBroken = new boolean[n];
            boolean[] improved = new boolean[n];
            for (int i = 0; i < n; i++) {
                if (margins[i] > 0) {
                    everBroken[i] = true;
                    nowBroken[i] = true;
                }
                if (values[i] > bestLoss[i]) {
                    bestLoss[i] = values[i];
                    improved[i] = true;
                }
            }
            state.take(state.broken, state.delta, nowBroken);
            state.take(state.best, state.delta, improved);
            state.take(state.bestGradient, state.gradient, improved);

            if (++inSegment == segment) {
                boolean[] halve = new boolean[n];
                for (int i = 0; i < n; i++) {
                    int increases = 0;
                    for (int c = 0; c < segment; c++) {
                        increases += history[k + 1 - c][i] > history[k - c][i] ? 1 : 0;
                    }
                    boolean oscillating = increases <= segment * OSCILLATION;
                    boolean stalled = !reducedAtCheckpoint[i] && bestAtCheckpoint[i] >= bestLoss[i];
                    reducedAtCheckpoint[i] = oscillating || stalled;
                    if (reducedAtCheckpoint[i]) {
                        eta[i] /= 2;
                        halve[i] = true;
                    }
                }
                bestAtCheckpoint = bestLoss.clone();
                state.take(state.delta, state.best, halve);
                state.take(state.gradient, state.bestGradient, halve);
                segment = Math.max(segment - shrink, shortest);
                inSegment = 0;
            }
        }
        state.take(state.best, state.broken, everBroken);
        return PgdSearch.evaluate(net, state.inputOf(state.best), y);
    }

    /**
     * The reference start: per example a uniform draw in [−1, 1]^d scaled so its largest coordinate is ε, then put in
     * the image box.
     */
    static INDArray start(INDArray x, double eps, SplittableRandom random) {
        int n = (int) x.size(0);
        int d = (int) (x.length() / n);
        double[] values = new double[n * d];
        for (int i = 0; i < n; i++) {
            double max = 0;
            for (int j = 0; j < d; j++) {
                values[i * d + j] = 2 * random.nextDouble() - 1;
                max = Math.max(max, Math.abs(values[i * d + j]));
            }
            for (int j = 0; j < d; j++) {
                values[i * d + j] *= eps / max;
            }
        }
        return LinfBall.project(x, Nd4j.create(values, x.shape(), 'c').castTo(x.dataType()), eps);
    }
}

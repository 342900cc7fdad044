package io.llrspark.model.attack;

import io.llrspark.model.memory.StepMemory;
import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.LogitGradients;
import io.llrspark.model.net.Rows;
import io.llrspark.model.settings.Section;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The Square attack in L∞ (Andriushchenko et al., ECCV 2020): a random search that never reads a gradient, so a
 * model that hides its gradients cannot hide from it. It starts from vertical stripes (each column of each channel at
 * ±ε), then per query sets one random square, of side √(p·h·w) with p falling from p-init on the reference schedule
 * (rescaled to the query budget), to x ± ε with one random sign per channel; the square and signs are shared by the
 * batch, and each example keeps the change when it raises its margin max_{j≠y} z_j − z_y. Examples stop once broken.
 * Forward passes only: one per query and still-robust example, one at the start and one at the end.
 */
public final class SquareAttack extends SearchAttack<SquareAttack.Settings> {

    /** @param queries the query budget per example and restart; {@code pInit} the first square's share of pixels */
    public record Settings(int queries, double pInit, int restarts) implements Search {
        public Settings {
            if (queries < 1 || restarts < 1 || !(pInit > 0 && pInit <= 1)) {
                throw new IllegalArgumentException("Square needs queries >= 1, restarts >= 1 and 0 < p-init <= 1, got "
                        + "queries=" + queries + " restarts=" + restarts + " p-init=" + pInit);
            }
        }

        static Settings read(Section s) {
            double pInit = s.positiveDouble("p-init");
            if (pInit > 1) {
                throw new io.llrspark.model.settings.ConfigError(s.path() + ".p-init: must be at most 1, got " + pInit);
            }
            return new Settings(s.positive("queries"), pInit, s.positive("restarts"));
        }

        @Override
        public Map<String, Object> settings() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("queries", queries);
            m.put("p_init", pInit);
            m.put("restarts", restarts);
            m.put("loss", "margin");
            return m;
        }
    }

    SquareAttack(Settings settings) {
        super("square", settings);
    }

    static SquareAttack read(Section s) {
        return new SquareAttack(Settings.read(s));
    }

    @Override
    AttackResult attack(Classifier net, INDArray x, INDArray y, double eps, long seed) {
        return Restarts.run(x, y, search.restarts(), (xs, ys, rows, r) ->
                single(net, xs, ys, eps, new SplittableRandom(seed * 31 + r)));
    }

    private AttackResult single(Classifier net, INDArray x, INDArray y, double eps, SplittableRandom random) {
        int n = (int) x.size(0);
        long[] image = imageShape(x);
        int c = (int) image[1];
        int h = (int) image[2];
        int w = (int) image[3];
        INDArray x4 = x.reshape(image);
        INDArray best = stripes(x4, eps, random);
        double[] margins = LogitGradients.marginValues(net.logits(best.reshape(x.shape()), BatchStatistics.MOVING_AVERAGE),
                y).toDoubleVector();
        // The still-robust examples, compacted; gathered again only when one breaks.
        int[] open = IntStream.range(0, n).filter(i -> margins[i] <= 0).toArray();
        Compact state = Compact.of(x4, best, y, open);
        for (int q = 0; q < search.queries() && open.length > 0; q++) {
            int side = Math.max((int) Math.round(Math.sqrt(share(q) * h * w)), 1);
            side = Math.min(side, Math.min(h, w));
            int top = random.nextInt(h - side + 1);
            int left = random.nextInt(w - side + 1);
            double[] signs = new double[c];
            for (int ch = 0; ch < c; ch++) {
                signs[ch] = random.nextBoolean() ? 1 : -1;
            }
            boolean anyBroken = false;
            try (MemoryWorkspace query = StepMemory.iteration()) {
                INDArray candidate = state.best.dup();
                for (int ch = 0; ch < c; ch++) {
                    INDArrayIndex[] square = {NDArrayIndex.all(), NDArrayIndex.point(ch),
                            NDArrayIndex.interval(top, top + side), NDArrayIndex.interval(left, left + side)};
                    INDArray moved = state.x.get(square).add(eps * signs[ch]);
                    candidate.get(square).assign(Transforms.max(Transforms.min(moved, 1.0, false), 0.0, false));
                }
                double[] now = LogitGradients.marginValues(net.logits(candidate.reshape(state.flatShape(x)),
                        BatchStatistics.MOVING_AVERAGE), state.y).toDoubleVector();
                double[] take = new double[open.length];
                for (int i = 0; i < open.length; i++) {
                    if (now[i] > margins[open[i]]) {
                        margins[open[i]] = now[i];
                        take[i] = 1;
                        anyBroken |= now[i] > 0;
                    }
                }
                Restarts.takeRows(state.best, candidate, take);
            }
            if (anyBroken) {
                state.scatterInto(best, open);
                open = Arrays.stream(open).filter(i -> margins[i] <= 0).toArray();
                state = Compact.of(x4, best, y, open);
            }
        }
        state.scatterInto(best, open);
        return PgdSearch.evaluate(net, best.reshape(x.shape()), y);
    }

    /** The reference schedule of p over the first 10 000 queries, rescaled to the budget. */
    private double share(int query) {
        int it = (int) ((double) query / search.queries() * 10_000);
        int halvings = it <= 10 ? 0 : it <= 50 ? 1 : it <= 200 ? 2 : it <= 500 ? 3 : it <= 1000 ? 4 : it <= 2000 ? 5
                : it <= 4000 ? 6 : it <= 6000 ? 7 : it <= 8000 ? 8 : 9;
        return search.pInit() / (1 << halvings);
    }

    /** Images [N, C, H, W] as they are; flat inputs [N, D] as one row of D pixels, one channel. */
    private static long[] imageShape(INDArray x) {
        if (x.rank() == 4) {
            return x.shape();
        }
        return new long[]{x.size(0), 1, 1, x.length() / x.size(0)};
    }

    /** x + ε·s per example, channel and column, s = ±1 at random, in the image box. */
    private static INDArray stripes(INDArray x, double eps, SplittableRandom random) {
        long n = x.size(0), c = x.size(1), w = x.size(3);
        double[] s = new double[(int) (n * c * w)];
        for (int i = 0; i < s.length; i++) {
            s[i] = random.nextBoolean() ? eps : -eps;
        }
        INDArray stripes = Nd4j.create(s, new long[]{n, c, 1, w}, 'c').castTo(x.dataType());
        INDArray moved = x.add(stripes.broadcast(x.shape()));
        return Transforms.max(Transforms.min(moved, 1.0, false), 0.0, false);
    }

    /** The still-robust examples' clean images, current points and labels, gathered. */
    private record Compact(INDArray x, INDArray best, INDArray y) {
        static Compact of(INDArray x, INDArray best, INDArray y, int[] open) {
            if (open.length == 0) {
                return new Compact(x, best, y);
            }
            return new Compact(Rows.select(x, open), Rows.select(best, open), Rows.select(y, open));
        }

        long[] flatShape(INDArray original) {
            long[] shape = original.shape().clone();
            shape[0] = best.size(0);
            return shape;
        }

        void scatterInto(INDArray full, int[] open) {
            for (int i = 0; i < open.length; i++) {
                full.get(NDArrayIndex.point(open[i])).assign(best.get(NDArrayIndex.point(i)));
            }
        }
    }
}

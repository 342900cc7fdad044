package io.llrspark.model.verdict;

import io.llrspark.model.attack.ApgdTargetedAttack;
import io.llrspark.model.attack.Attack;
import io.llrspark.model.attack.AttackResult;
import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.LogitGradients;
import io.llrspark.model.net.Rows;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Runs the verdict's probe attacks on one batch, seeded from the batch alone like the evaluation's own attacks, so a
 * batch's findings do not depend on where it runs.
 */
public final class ObfuscationProbes {
    private final VerdictSettings settings;

    public ObfuscationProbes(VerdictSettings settings) {
        this.settings = settings;
    }

    /**
     * The radii PGD-k runs at for the large-ε check: the evaluated ones, twice each where that is below the large ε,
     * and the large ε, ascending.
     */
    public static List<Double> ladder(List<Double> epsilons, double large) {
        TreeSet<Double> points = new TreeSet<>(epsilons);
        for (double e : epsilons) {
            if (2 * e < large) {
                points.add(2 * e);
            }
        }
        points.add(large);
        return new ArrayList<>(points);
    }

    /**
     * @param correct  per example, whether the clean prediction is right (only those are attacked)
     * @param surfaces the loss surface is drawn around this many of the first examples
     */
    public ProbeOutcome[] run(Classifier net, INDArray x, INDArray y, boolean[] correct, List<Double> epsilons,
                              int surfaces, long seed) {
        int n = correct.length;
        int[] clean = IntStream.range(0, n).filter(i -> correct[i]).toArray();
        List<Double> ladder = ladder(epsilons, settings.largeEpsilon());
        boolean[][] ladderBroken = new boolean[ladder.size()][];
        for (int k = 0; k < ladder.size(); k++) {
            ladderBroken[k] = breaks(settings.pgd(), net, x, y, clean, ladder.get(k), seed + 7919L * k);
        }
        boolean[][][] broken = new boolean[epsilons.size()][][];
        for (int e = 0; e < epsilons.size(); e++) {
            double eps = epsilons.get(e);
            long s = seed + 104_729L * (e + 1);
            boolean[][] byProbe = new boolean[Probe.values().length][];
            byProbe[Probe.PGD.ordinal()] = ladderBroken[ladder.indexOf(eps)];
            int[] open = unbroken(clean, byProbe[Probe.PGD.ordinal()]);
            byProbe[Probe.NOISE.ordinal()] = breaks(settings.noise(), net, x, y, open, eps, s + 1);
            Probe[] cascade = {Probe.STRONGER_PGD, Probe.APGD, Probe.APGD_T, Probe.SQUARE};
            Attack[] attacks = {settings.strongerPgd(), settings.apgd(), settings.apgdTargeted(), settings.square()};
            for (int p = 0; p < cascade.length; p++) {
                if (cascade[p] == Probe.APGD_T && !targetedRuns(y)) {
                    byProbe[Probe.APGD_T.ordinal()] = new boolean[n];
                    continue;
                }
                boolean[] b = breaks(attacks[p], net, x, y, open, eps, s + 2 + p);
                byProbe[cascade[p].ordinal()] = b;
                open = unbroken(open, b);
            }
            byProbe[Probe.FGSM.ordinal()] = breaks(settings.fgsm(), net, x, y, clean, eps, s + 6);
            broken[e] = byProbe;
        }
        boolean[] dead = deadGradients(net, x, y);
        double radius = LossSurface.radius(epsilons);
        ProbeOutcome[] out = new ProbeOutcome[n];
        for (int i = 0; i < n; i++) {
            boolean[][] mine = new boolean[epsilons.size()][Probe.values().length];
            for (int e = 0; e < epsilons.size(); e++) {
                for (int p = 0; p < mine[e].length; p++) {
                    mine[e][p] = broken[e][p][i];
                }
            }
            boolean[] ladderMine = new boolean[ladder.size()];
            for (int k = 0; k < ladder.size(); k++) {
                ladderMine[k] = ladderBroken[k][i];
            }
            int[] row = {i};
            double[][] surface = i >= surfaces ? null : LossSurface.around(net, Rows.select(x, row),
                    Rows.select(y, row), radius, settings.surfaceGrid(), seed + 31L * i);
            out[i] = new ProbeOutcome(correct[i], mine, ladderMine, dead[i], surface);
        }
        return out;
    }

    /** APGD-T's loss needs {@value ApgdTargetedAttack#MIN_CLASSES} classes; with fewer it is left out. */
    static boolean targetedRuns(INDArray y) {
        return y.size(1) >= ApgdTargetedAttack.MIN_CLASSES;
    }

    /** Per example of the batch, whether {@code attack} broke it; only the rows {@code rows} are attacked. */
    private static boolean[] breaks(Attack attack, Classifier net, INDArray x, INDArray y, int[] rows, double eps,
                                    long seed) {
        boolean[] out = new boolean[(int) x.size(0)];
        if (rows.length == 0) {
            return out;
        }
        AttackResult r = attack.run(net, Rows.select(x, rows), Rows.select(y, rows), eps, seed);
        for (int k = 0; k < rows.length; k++) {
            out[rows[k]] = r.success(k);
        }
        return out;
    }

    private static int[] unbroken(int[] rows, boolean[] broken) {
        return Arrays.stream(rows).filter(i -> !broken[i]).toArray();
    }

    /** Per example, whether ∇ₓ CE at the clean input is all zero or has a non-finite coordinate. */
    private static boolean[] deadGradients(Classifier net, INDArray x, INDArray y) {
        INDArray g = net.inputPass(x, LogitGradients.crossEntropy(y), BatchStatistics.MOVING_AVERAGE).inputGradient();
        int n = (int) x.size(0);
        INDArray rows = g.reshape(n, g.length() / n);
        double[] largest = Transforms.abs(rows, true).max(1).toDoubleVector();
        double[] sums = rows.sum(1).toDoubleVector();
        boolean[] dead = new boolean[n];
        for (int i = 0; i < n; i++) {
            dead[i] = largest[i] == 0 || !Double.isFinite(largest[i]) || !Double.isFinite(sums[i]);
        }
        return dead;
    }
}

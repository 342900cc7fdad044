package io.llrspark.model.eval;

import io.llrspark.model.attack.Attack;
import io.llrspark.model.attack.AttackResult;
import io.llrspark.model.attack.Labels;
import io.llrspark.model.attack.LocalLinearityMeasure;
import io.llrspark.model.config.RunConfig;
import io.llrspark.model.data.Examples;
import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.Rows;
import io.llrspark.model.verdict.ObfuscationProbes;
import io.llrspark.model.verdict.ProbeOutcome;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The attack protocol: every configured attack at every ε on one batch of the first test examples, giving per example
 * and per ε which attacks broke it, whether the worst case did, γ(ε, x), and on the first examples what the
 * obfuscation verdict's probes found — the table every report and verdict is built from. The unit of work is a batch, so a distributed evaluation spreads batches and gets the same table.
 */
public final class AttackProtocol implements Serializable {

    private final RunConfig.Evaluation config;
    private final long seed;

    public AttackProtocol(RunConfig.Evaluation config, long seed) {
        this.config = config;
        this.seed = seed;
    }

    public RunConfig.Evaluation config() {
        return config;
    }

    /** Number of evaluation batches: batch b holds examples [b·batch-size, (b+1)·batch-size) of the first n. */
    public int batches(int testSize) {
        return (examples(testSize) + config.batchSize() - 1) / config.batchSize();
    }

    public int examples(int testSize) {
        return config.examples() == 0 ? testSize : Math.min(config.examples(), testSize);
    }

    /**
     * One batch, attacked with every attack at every ε. Its random starts derive from the seed and the batch's first
     * example only, so a batch gives the same outcome wherever and with whatever else it is evaluated. In a cascade
     * (AutoAttack's saving) each attack runs only on the examples that are classified correctly and that no earlier
     * attack broke at that ε.
     */
    public List<ExampleOutcome> batch(Classifier network, Examples test, int b, DataType type) {
        List<Attack> attacks = config.attacks();
        List<Double> epsilons = config.epsilons();
        LocalLinearityMeasure gamma = config.gammaSteps() > 0 ? new LocalLinearityMeasure(config.gammaSteps(), 2.5) : null;
        int from = b * config.batchSize();
        int to = Math.min(examples(test.size()), from + config.batchSize());
        DataSet batch = test.range(from, to, type);
        INDArray x = batch.getFeatures();
        INDArray y = batch.getLabels();
        int[] labels = Labels.of(y);
        int n = labels.length;
        PassCounter net = new PassCounter(network);
        long[] predicted = net.logits(x, BatchStatistics.MOVING_AVERAGE).argMax(1).toLongVector();
        boolean[][][] broken = new boolean[n][epsilons.size()][attacks.size()];
        boolean[][] worstBroken = new boolean[n][epsilons.size()];
        double[][] gammas = new double[n][epsilons.size()];
        StageCost[][] cost = new StageCost[epsilons.size()][attacks.size()];
        for (int e = 0; e < epsilons.size(); e++) {
            double eps = epsilons.get(e);
            int[] open = IntStream.range(0, n).filter(i -> !config.cascade() || predicted[i] == labels[i]).toArray();
            for (int a = 0; a < attacks.size(); a++) {
                int[] rows = config.cascade() ? open : IntStream.range(0, n).toArray();
                net.take();
                long start = System.nanoTime();
                if (rows.length > 0) {
                    boolean all = rows.length == n;
                    AttackResult r = attacks.get(a).run(net, all ? x : Rows.select(x, rows), all ? y : Rows.select(y, rows), eps,
                            seed + 1_000_003L * a + 7919L * e + from);
                    for (int k = 0; k < rows.length; k++) {
                        broken[rows[k]][e][a] = r.success(k);
                    }
                }
                long[] passes = net.take();
                cost[e][a] = new StageCost((System.nanoTime() - start) / 1e9 / n, (double) passes[0] / n,
                        (double) passes[1] / n);
                for (int i = 0; i < n; i++) {
                    if (config.cascade() && a > 0) {
                        broken[i][e][a] |= broken[i][e][a - 1];
                    }
                    worstBroken[i][e] |= broken[i][e][a];
                }
                int attack = a;
                int epsilon = e;
                open = Arrays.stream(open).filter(i -> !broken[i][epsilon][attack]).toArray();
            }
            double[] g = gamma == null ? null : gamma.measure(network, x, y, eps, seed + 31L * e + from).toDoubleVector();
            for (int i = 0; i < n; i++) {
                gammas[i][e] = g == null ? Double.NaN : g[i];
            }
        }
        // An input that breaks the model at ε is a valid attack at every larger ε, and a misclassified clean input
        // is its own adversarial example: robust accuracy cannot rise with ε nor exceed clean accuracy.
        Integer[] ascending = new Integer[epsilons.size()];
        for (int e = 0; e < ascending.length; e++) {
            ascending[e] = e;
        }
        Arrays.sort(ascending, (p, q) -> Double.compare(epsilons.get(p), epsilons.get(q)));
        for (int i = 0; i < n; i++) {
            boolean wrong = predicted[i] != labels[i];
            for (int k = 0; k < ascending.length; k++) {
                int e = ascending[k];
                int smaller = k == 0 ? -1 : ascending[k - 1];
                worstBroken[i][e] |= wrong || (smaller >= 0 && worstBroken[i][smaller]);
                for (int a = 0; a < attacks.size(); a++) {
                    broken[i][e][a] |= wrong || (smaller >= 0 && broken[i][smaller][a]);
                }
            }
        }
        int probed = Math.max(0, Math.min(to, config.verdict().examplesOf(examples(test.size()))) - from);
        ProbeOutcome[] probes = new ProbeOutcome[n];
        StageCost probeCost = StageCost.NONE;
        if (probed > 0) {
            int[] rows = IntStream.range(0, probed).toArray();
            boolean[] correct = new boolean[probed];
            for (int i = 0; i < probed; i++) {
                correct[i] = predicted[i] == labels[i];
            }
            net.take();
            long start = System.nanoTime();
            boolean all = probed == n;
            ProbeOutcome[] found = new ObfuscationProbes(config.verdict()).run(net, all ? x : Rows.select(x, rows),
                    all ? y : Rows.select(y, rows), correct, epsilons,
                    Math.max(0, Math.min(probed, config.verdict().surfacePoints() - from)), seed + 15_485_863L + from);
            long[] passes = net.take();
            probeCost = new StageCost((System.nanoTime() - start) / 1e9 / probed, (double) passes[0] / probed,
                    (double) passes[1] / probed);
            System.arraycopy(found, 0, probes, 0, probed);
        }
        List<ExampleOutcome> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new ExampleOutcome(from + i, labels[i], predicted[i] == labels[i], broken[i], worstBroken[i],
                    gammas[i], cost, probes[i], i < probed ? probeCost : StageCost.NONE));
        }
        return out;
    }
}

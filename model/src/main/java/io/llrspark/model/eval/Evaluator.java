package io.llrspark.model.eval;

import io.llrspark.model.attack.Attack;
import io.llrspark.model.attack.AttackResult;
import io.llrspark.model.attack.Labels;
import io.llrspark.model.attack.LocalLinearityMeasure;
import io.llrspark.model.attack.WorstCase;
import io.llrspark.model.config.RunConfig;
import io.llrspark.model.data.Examples;
import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.progress.Progress;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Attacks the first test examples with every configured attack at every ε and aggregates per example: clean
 * accuracy, robust accuracy per attack and for the worst case, per-class robust accuracy and γ(ε, x). The unit of
 * work is a batch ({@link #evaluateBatch}), so a distributed evaluation spreads batches and aggregates the same way.
 */
public final class Evaluator {

    private final RunConfig.Evaluation config;
    private final long seed;
    private final PrintStream log;

    public Evaluator(RunConfig.Evaluation config, long seed, PrintStream log) {
        this.config = config;
        this.seed = seed;
        this.log = log;
    }

    /** Number of evaluation batches: batch b holds examples [b·batch-size, (b+1)·batch-size) of the first n. */
    public int batches(int testSize) {
        return (examples(testSize) + config.batchSize() - 1) / config.batchSize();
    }

    public int examples(int testSize) {
        return config.examples() == 0 ? testSize : Math.min(config.examples(), testSize);
    }

    /** Evaluates every batch here, with progress, and aggregates. */
    public Map<String, Object> evaluate(Classifier net, Examples test, DataType type) {
        long start = System.nanoTime();
        List<ExampleOutcome> outcomes = evaluateAll(net, test, type);
        return aggregate(outcomes, test.classes(), (System.nanoTime() - start) / 1e9);
    }

    /** Every batch's outcomes, evaluated here one batch after another, with progress. */
    public List<ExampleOutcome> evaluateAll(Classifier net, Examples test, DataType type) {
        int batches = batches(test.size());
        Progress progress = new Progress(log, "evaluate", batches);
        List<ExampleOutcome> outcomes = new ArrayList<>();
        int correct = 0;
        for (int b = 0; b < batches; b++) {
            List<ExampleOutcome> batch = evaluateBatch(net, test, b, type);
            outcomes.addAll(batch);
            correct += (int) batch.stream().filter(ExampleOutcome::correct).count();
            progress.report(b + 1, String.format("%d examples, clean acc %.4f", outcomes.size(),
                    (double) correct / outcomes.size()));
        }
        return outcomes;
    }

    /**
     * One batch, attacked with every attack at every ε. Its random starts derive from the seed and the batch's first
     * example only, so a batch gives the same outcome wherever and with whatever else it is evaluated.
     */
    public List<ExampleOutcome> evaluateBatch(Classifier net, Examples test, int b, DataType type) {
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
        long[] predicted = net.logits(x, BatchStatistics.MOVING_AVERAGE).argMax(1).toLongVector();
        boolean[][][] broken = new boolean[n][epsilons.size()][attacks.size()];
        boolean[][] worstBroken = new boolean[n][epsilons.size()];
        double[][] gammas = new double[n][epsilons.size()];
        for (int e = 0; e < epsilons.size(); e++) {
            double eps = epsilons.get(e);
            AttackResult worst = null;
            for (int a = 0; a < attacks.size(); a++) {
                AttackResult r = attacks.get(a).run(net, x, y, eps, seed + 1_000_003L * a + 7919L * e + from);
                for (int i = 0; i < n; i++) {
                    broken[i][e][a] = r.success(i);
                }
                worst = WorstCase.combine(worst, r);
            }
            double[] g = gamma == null ? null : gamma.measure(net, x, y, eps, seed + 31L * e + from).toDoubleVector();
            for (int i = 0; i < n; i++) {
                worstBroken[i][e] = worst.success(i);
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
        List<ExampleOutcome> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new ExampleOutcome(from + i, labels[i], predicted[i] == labels[i], broken[i], worstBroken[i],
                    gammas[i]));
        }
        return out;
    }

    /** The report's figures from every example's outcome (in any order). */
    public Map<String, Object> aggregate(List<ExampleOutcome> outcomes, int classes, double seconds) {
        List<String> attackNames = config.attacks().stream().map(Attack::name).toList();
        List<Double> epsilons = config.epsilons();
        int n = outcomes.size();
        int correct = 0;
        int[] perClassCount = new int[classes];
        int[][] robustPerAttack = new int[epsilons.size()][attackNames.size()];
        int[] robustWorst = new int[epsilons.size()];
        int[][] robustPerClass = new int[epsilons.size()][classes];
        List<List<Double>> gammas = new ArrayList<>();
        for (int e = 0; e < epsilons.size(); e++) {
            gammas.add(new ArrayList<>());
        }
        for (ExampleOutcome o : outcomes) {
            perClassCount[o.label()]++;
            correct += o.correct() ? 1 : 0;
            for (int e = 0; e < epsilons.size(); e++) {
                for (int a = 0; a < attackNames.size(); a++) {
                    robustPerAttack[e][a] += o.broken()[e][a] ? 0 : 1;
                }
                if (!o.brokenWorst()[e]) {
                    robustWorst[e]++;
                    robustPerClass[e][o.label()]++;
                }
                if (!Double.isNaN(o.gamma()[e])) {
                    gammas.get(e).add(o.gamma()[e]);
                }
            }
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("examples", n);
        report.put("clean_accuracy", (double) correct / n);
        Map<String, Object> robust = new LinkedHashMap<>();
        Map<String, Object> perAttack = new LinkedHashMap<>();
        Map<String, Object> perClass = new LinkedHashMap<>();
        Map<String, Object> gammaReport = new LinkedHashMap<>();
        for (int e = 0; e < epsilons.size(); e++) {
            String key = String.valueOf(epsilons.get(e));
            robust.put(key, (double) robustWorst[e] / n);
            Map<String, Object> byAttack = new LinkedHashMap<>();
            for (int a = 0; a < attackNames.size(); a++) {
                byAttack.put(attackNames.get(a), (double) robustPerAttack[e][a] / n);
            }
            perAttack.put(key, byAttack);
            List<Double> classAcc = new ArrayList<>();
            for (int c = 0; c < classes; c++) {
                classAcc.add(perClassCount[c] == 0 ? null : (double) robustPerClass[e][c] / perClassCount[c]);
            }
            perClass.put(key, classAcc);
            if (!gammas.get(e).isEmpty()) {
                gammaReport.put(key, summary(gammas.get(e)));
            }
        }
        report.put("robust_accuracy", robust);
        report.put("attacks", perAttack);
        report.put("per_class_robust_accuracy", perClass);
        report.put("gamma", gammaReport);
        Map<String, Object> attackSettings = new LinkedHashMap<>();
        attackSettings.put("names", attackNames);
        for (Attack a : config.attacks()) {
            attackSettings.put(a.name(), a.settings());
        }
        report.put("attack_settings", attackSettings);
        report.put("seconds", seconds);
        return report;
    }

    private static Map<String, Object> summary(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", Arrays.stream(v).average().orElse(Double.NaN));
        m.put("p50", quantile(v, 0.5));
        m.put("p90", quantile(v, 0.9));
        m.put("p99", quantile(v, 0.99));
        m.put("max", v.length == 0 ? Double.NaN : v[v.length - 1]);
        return m;
    }

    private static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1) + 0.5))];
    }
}

package io.llrspark.model.train;

import io.llrspark.model.attack.Attack;
import io.llrspark.model.attack.AttackResult;
import io.llrspark.model.attack.Labels;
import io.llrspark.model.attack.LocalLinearityMeasure;
import io.llrspark.model.attack.WorstCase;
import io.llrspark.model.config.RunConfig;
import io.llrspark.model.data.LabeledImages;
import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.Classifier;
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
 * accuracy, robust accuracy per attack and for the worst case, per-class robust accuracy and γ(ε, x).
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

    public Map<String, Object> evaluate(Classifier net, LabeledImages test, DataType type) {
        List<Attack> attacks = AttackSuite.from(config);
        int n = config.examples() == 0 ? test.size() : Math.min(config.examples(), test.size());
        List<Double> epsilons = config.epsilons();
        int classes = test.classes();
        int correct = 0;
        int[] perClassCount = new int[classes];
        int[][] robustPerAttack = new int[epsilons.size()][attacks.size()];
        int[] robustWorst = new int[epsilons.size()];
        int[][] robustPerClass = new int[epsilons.size()][classes];
        List<List<Double>> gammas = new ArrayList<>();
        for (int e = 0; e < epsilons.size(); e++) {
            gammas.add(new ArrayList<>());
        }
        LocalLinearityMeasure gamma = config.gammaSteps() > 0 ? new LocalLinearityMeasure(config.gammaSteps(), 2.5) : null;
        int batches = (n + config.batchSize() - 1) / config.batchSize();
        Progress progress = new Progress(log, "evaluate", batches);
        long start = System.nanoTime();
        for (int b = 0; b < batches; b++) {
            int from = b * config.batchSize();
            int to = Math.min(n, from + config.batchSize());
            DataSet batch = test.range(from, to, type);
            INDArray x = batch.getFeatures();
            INDArray y = batch.getLabels();
            int[] labels = Labels.of(y);
            long[] predicted = net.logits(x, BatchStatistics.MOVING_AVERAGE).argMax(1).toLongVector();
            for (int i = 0; i < labels.length; i++) {
                perClassCount[labels[i]]++;
                correct += predicted[i] == labels[i] ? 1 : 0;
            }
            for (int e = 0; e < epsilons.size(); e++) {
                double eps = epsilons.get(e);
                AttackResult worst = null;
                for (int a = 0; a < attacks.size(); a++) {
                    // Seeds depend on the batch's first example, so a batch's result does not depend on the others.
                    AttackResult r = attacks.get(a).run(net, x, y, eps, seed + 1_000_003L * a + 7919L * e + from);
                    robustPerAttack[e][a] += r.size() - r.successes();
                    worst = WorstCase.combine(worst, r);
                }
                for (int i = 0; i < labels.length; i++) {
                    if (!worst.success(i)) {
                        robustWorst[e]++;
                        robustPerClass[e][labels[i]]++;
                    }
                }
                if (gamma != null) {
                    INDArray g = gamma.measure(net, x, y, eps, seed + 31L * e + from);
                    for (double v : g.toDoubleVector()) {
                        gammas.get(e).add(v);
                    }
                }
            }
            progress.report(b + 1, String.format("%d examples, clean acc %.4f", to, (double) correct / to));
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
            for (int a = 0; a < attacks.size(); a++) {
                byAttack.put(attacks.get(a).name(), (double) robustPerAttack[e][a] / n);
            }
            perAttack.put(key, byAttack);
            List<Double> classAcc = new ArrayList<>();
            for (int c = 0; c < classes; c++) {
                classAcc.add(perClassCount[c] == 0 ? null : (double) robustPerClass[e][c] / perClassCount[c]);
            }
            perClass.put(key, classAcc);
            if (gamma != null) {
                gammaReport.put(key, summary(gammas.get(e)));
            }
        }
        report.put("robust_accuracy", robust);
        report.put("attacks", perAttack);
        report.put("per_class_robust_accuracy", perClass);
        report.put("gamma", gammaReport);
        Map<String, Object> attackSettings = new LinkedHashMap<>();
        attackSettings.put("names", config.attacks());
        attackSettings.put("pgd", Map.of("steps", config.pgd().steps(), "step_factor", config.pgd().stepFactor(),
                "restarts", config.pgd().restarts()));
        attackSettings.put("targeted", Map.of("steps", config.targeted().steps(),
                "step_factor", config.targeted().stepFactor(), "restarts", config.targeted().restarts()));
        report.put("attack_settings", attackSettings);
        report.put("seconds", (System.nanoTime() - start) / 1e9);
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

package io.llrspark.model.eval;

import io.llrspark.model.attack.Attack;
import io.llrspark.model.config.RunConfig;
import io.llrspark.model.verdict.LossSurface;
import io.llrspark.model.verdict.ObfuscationVerdict;
import io.llrspark.model.verdict.ProbeOutcome;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report's figures from the attack protocol's per-example outcomes (in any order): clean accuracy, robust
 * accuracy per attack (in a cascade: after it), after each attack and those before it, and for the worst case at
 * every ε, per-class robust accuracy, γ's distribution, what each attack cost (executor-seconds, example-passes), the
 * settings of the attacks that produced them, and the obfuscation verdict with its checks.
 */
final class RobustnessReport {
    private RobustnessReport() {
    }

    /** The report's figures from every example's outcome (in any order). */
    static Map<String, Object> of(RunConfig.Evaluation config, List<ExampleOutcome> outcomes, int classes,
                                  double seconds) {
        List<String> attackNames = config.attacks().stream().map(Attack::name).toList();
        List<Double> epsilons = config.epsilons();
        int n = outcomes.size();
        int correct = 0;
        int[] perClassCount = new int[classes];
        int[][] robustPerAttack = new int[epsilons.size()][attackNames.size()];
        int[][] robustCumulative = new int[epsilons.size()][attackNames.size()];
        StageCost[][] cost = new StageCost[epsilons.size()][attackNames.size()];
        for (StageCost[] row : cost) {
            Arrays.fill(row, StageCost.NONE);
        }
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
                boolean brokenSoFar = false;
                for (int a = 0; a < attackNames.size(); a++) {
                    robustPerAttack[e][a] += o.broken()[e][a] ? 0 : 1;
                    brokenSoFar |= o.broken()[e][a];
                    robustCumulative[e][a] += brokenSoFar ? 0 : 1;
                    cost[e][a] = cost[e][a].plus(o.cost()[e][a]);
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
        Map<String, Object> cumulative = new LinkedHashMap<>();
        Map<String, Object> compute = new LinkedHashMap<>();
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
            Map<String, Object> after = new LinkedHashMap<>();
            Map<String, Object> spent = new LinkedHashMap<>();
            for (int a = 0; a < attackNames.size(); a++) {
                after.put(attackNames.get(a), (double) robustCumulative[e][a] / n);
                spent.put(attackNames.get(a), costMap(cost[e][a]));
            }
            cumulative.put(key, after);
            compute.put(key, spent);
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
        // In a cascade an attack runs only where the earlier ones failed: its figure is the robust accuracy after it.
        report.put("cascade", config.cascade());
        report.put("attacks", config.cascade() ? cumulative : perAttack);
        report.put("cumulative_robust_accuracy", cumulative);
        report.put("compute", compute);
        report.put("per_class_robust_accuracy", perClass);
        report.put("gamma", gammaReport);
        Map<String, Object> attackSettings = new LinkedHashMap<>();
        attackSettings.put("names", attackNames);
        for (Attack a : config.attacks()) {
            attackSettings.put(a.name(), a.settings());
        }
        report.put("attack_settings", attackSettings);
        if (config.verdict().enabled()) {
            List<ProbeOutcome> probed = outcomes.stream().map(ExampleOutcome::probes).filter(p -> p != null).toList();
            Map<String, Object> verdict = new LinkedHashMap<>(ObfuscationVerdict.of(config.verdict(), epsilons, probed,
                    classes));
            StageCost probeCost = outcomes.stream().map(ExampleOutcome::probeCost).reduce(StageCost.NONE, StageCost::plus);
            verdict.put("compute", costMap(probeCost));
            verdict.put("loss_surface", lossSurfaces(config, outcomes));
            report.put("obfuscation", verdict);
        }
        report.put("seconds", seconds);
        return report;
    }

    /** The loss surfaces drawn around the first examples, by example, with the grid they were drawn on. */
    private static Map<String, Object> lossSurfaces(RunConfig.Evaluation config, List<ExampleOutcome> outcomes) {
        double radius = LossSurface.radius(config.epsilons());
        int grid = config.verdict().surfaceGrid();
        List<Double> coordinates = new ArrayList<>();
        for (int i = 0; i < grid; i++) {
            coordinates.add(LossSurface.coordinate(radius, grid, i));
        }
        List<Map<String, Object>> points = new ArrayList<>();
        outcomes.stream().filter(o -> o.probes() != null && o.probes().lossSurface() != null)
                .sorted(java.util.Comparator.comparingInt(ExampleOutcome::index)).forEach(o -> {
                    Map<String, Object> p = new LinkedHashMap<>();
                    p.put("example", o.index());
                    p.put("label", o.label());
                    p.put("correct", o.correct());
                    p.put("loss", o.probes().lossSurface());
                    points.add(p);
                });
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("radius", radius);
        m.put("coordinates", coordinates);
        m.put("axes", "loss[i][j] at x + coordinates[i]·sign(∇ₓ loss) + coordinates[j]·(random signs), clipped to [0, 1]");
        m.put("points", points);
        return m;
    }

    private static Map<String, Object> costMap(StageCost cost) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("executor_seconds", cost.seconds());
        c.put("forward_passes", Math.round(cost.forwardPasses()));
        c.put("backward_passes", Math.round(cost.backwardPasses()));
        return c;
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

package io.llrspark.model.verdict;

import io.llrspark.model.attack.Attack;
import io.llrspark.model.attack.Attacks;
import io.llrspark.model.settings.ConfigError;
import io.llrspark.model.settings.Section;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code llr.evaluation.verdict}: whether the obfuscation checks run, on how many of the evaluated examples, with
 * which probe attacks (PGD-k, a stronger PGD, and APGD-CE, APGD-T, Square, FGSM and noise from their own sections of
 * {@code llr.evaluation}), up to which large ε, the thresholds above which a check warns, and around how many of
 * the first examples, on how fine a grid, the loss surface is drawn.
 */
public record VerdictSettings(boolean enabled, int examples, Attack pgd, Attack strongerPgd, Attack apgd,
                              Attack apgdTargeted, Attack square, Attack fgsm, Attack noise, double largeEpsilon, Thresholds thresholds,
                              int surfacePoints, int surfaceGrid)
        implements Serializable {

    /**
     * Gaps in robust accuracy (fractions of the examples) above which a check warns. {@code attackStrength}: the
     * stronger PGD or APGD-CE beyond PGD-k; {@code gradientFree}: Square beyond every gradient attack;
     * {@code singleStep}: FGSM above the multi-step attacks on the same loss (PGD, stronger PGD, APGD-CE); {@code noise}: noise beyond PGD-k; {@code largeEpsilonAccuracy}: the
     * accuracy left at the large ε; {@code monotonic}: accuracy rising with ε; {@code deadGradients}: the share of
     * examples whose input gradient is zero or not finite.
     */
    public record Thresholds(double attackStrength, double gradientFree, double singleStep, double noise,
                             double largeEpsilonAccuracy, double monotonic, double deadGradients) implements Serializable {

        static Thresholds read(Section s) {
            return new Thresholds(fraction(s, "attack-strength"), fraction(s, "gradient-free"), fraction(s, "single-step"),
                    fraction(s, "noise"), fraction(s, "large-epsilon-accuracy"), fraction(s, "monotonic"),
                    fraction(s, "dead-gradients"));
        }

        private static double fraction(Section s, String key) {
            double v = s.nonNegativeDouble(key);
            if (v > 1) {
                throw new ConfigError(s.path() + "." + key + ": a fraction of the examples (0 to 1), got " + v);
            }
            return v;
        }

        Map<String, Object> settings() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("attack_strength", attackStrength);
            m.put("gradient_free", gradientFree);
            m.put("single_step", singleStep);
            m.put("noise", noise);
            m.put("large_epsilon_accuracy", largeEpsilonAccuracy);
            m.put("monotonic", monotonic);
            m.put("dead_gradients", deadGradients);
            return m;
        }
    }

    /** From {@code evaluation} (llr.evaluation): its {@code verdict} section and the probe attacks' own sections. */
    public static VerdictSettings read(Section evaluation) {
        Section v = evaluation.child("verdict");
        int examples = v.nonNegative("examples");
        int steps = v.positive("pgd-steps");
        int strongerSteps = v.positive("stronger-steps");
        int strongerRestarts = v.positive("stronger-restarts");
        if (strongerSteps < steps) {
            throw new ConfigError(v.path() + ".stronger-steps: must be at least pgd-steps (" + steps + "), got "
                    + strongerSteps);
        }
        double large = v.positiveDouble("large-epsilon");
        if (large > 1) {
            throw new ConfigError(v.path() + ".large-epsilon: pixels are in [0, 1], got " + large);
        }
        return new VerdictSettings(v.bool("enabled"), examples, Attacks.pgdCrossEntropy(steps, 1),
                Attacks.pgdCrossEntropy(strongerSteps, strongerRestarts), Attacks.named("apgd-ce", evaluation),
                Attacks.named("apgd-t", evaluation), Attacks.named("square", evaluation), Attacks.named("fgsm", evaluation), Attacks.named("noise", evaluation),
                large, Thresholds.read(v.child("thresholds")), v.nonNegative("surface-points"),
                v.positive("surface-grid"));
    }

    /** How many of the first {@code evaluated} examples the checks run on. */
    public int examplesOf(int evaluated) {
        return !enabled ? 0 : examples == 0 ? evaluated : Math.min(examples, evaluated);
    }

    Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pgd", pgd.settings());
        m.put("stronger_pgd", strongerPgd.settings());
        m.put("apgd", apgd.settings());
        m.put("apgd_t", apgdTargeted.settings());
        m.put("square", square.settings());
        m.put("fgsm", fgsm.settings());
        m.put("noise", noise.settings());
        m.put("large_epsilon", largeEpsilon);
        m.put("thresholds", thresholds.settings());
        m.put("surface_points", surfacePoints);
        m.put("surface_grid", surfaceGrid);
        return m;
    }
}

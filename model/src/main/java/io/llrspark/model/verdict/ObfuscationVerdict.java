package io.llrspark.model.verdict;

import io.llrspark.model.attack.ApgdTargetedAttack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The report's {@code obfuscation} section from the probes' per-example findings: each check with its figures,
 * threshold and pass / warn, and the verdict, "no sign of obfuscation" or "suspect: " and the checks that warned. The
 * checks follow Carlini et al. 2019 ("On Evaluating Adversarial Robustness") and Pintor et al. 2022 ("Indicators of
 * Attack Failure"): a model whose robustness comes from hiding its gradients shows it as attacks that stop helping
 * when made stronger, a gradient-free attack that does better than the gradient ones, one step doing far worse than
 * many, accuracy left at a radius where nothing can be robust, noise beating the attack, or gradients that are
 * simply absent.
 */
public final class ObfuscationVerdict {
    public static final String NO_SIGN = "no sign of obfuscation";

    private ObfuscationVerdict() {
    }

    /** @param classes the data's classes (APGD-T runs from {@value ApgdTargetedAttack#MIN_CLASSES} on) */
    public static Map<String, Object> of(VerdictSettings settings, List<Double> epsilons, List<ProbeOutcome> outcomes,
                                         int classes) {
        String gradientAttacks = classes >= ApgdTargetedAttack.MIN_CLASSES ? "PGD, APGD-CE, APGD-T"
                : "PGD, APGD-CE; APGD-T needs " + ApgdTargetedAttack.MIN_CLASSES + " classes";
        VerdictSettings.Thresholds t = settings.thresholds();
        int n = outcomes.size();
        List<Map<String, Object>> checks = new ArrayList<>();
        for (int e = 0; e < epsilons.size(); e++) {
            double eps = epsilons.get(e);
            double pgd = accuracy(outcomes, e, Set.of(Probe.PGD));
            double stronger = accuracy(outcomes, e, Set.of(Probe.PGD, Probe.STRONGER_PGD));
            double apgd = accuracy(outcomes, e, Set.of(Probe.PGD, Probe.STRONGER_PGD, Probe.APGD));
            double gradient = accuracy(outcomes, e, Set.of(Probe.PGD, Probe.STRONGER_PGD, Probe.APGD, Probe.APGD_T));
            double square = accuracy(outcomes, e, Set.of(Probe.PGD, Probe.STRONGER_PGD, Probe.APGD, Probe.APGD_T,
                    Probe.SQUARE));
            double fgsm = accuracy(outcomes, e, Set.of(Probe.FGSM));
            double noise = accuracy(outcomes, e, Set.of(Probe.PGD, Probe.NOISE));

            double moreSteps = pgd - stronger;
            double byApgd = stronger - apgd;
            Map<String, Object> strength = check("attack-strength", eps, exceeds(Math.max(moreSteps, byApgd), t.attackStrength()),
                    t.attackStrength(), String.format(Locale.ROOT,
                            "PGD %.4f, stronger PGD %.4f (%s), with APGD-CE %.4f (%s)", pgd, stronger, points(moreSteps),
                            apgd, points(byApgd)));
            strength.put("pgd", pgd);
            strength.put("stronger_pgd", stronger);
            strength.put("apgd", apgd);
            checks.add(strength);

            double bySquare = gradient - square;
            Map<String, Object> free = check("gradient-free", eps, exceeds(bySquare, t.gradientFree()), t.gradientFree(),
                    String.format(Locale.ROOT, "gradient attacks (%s) %.4f, with Square %.4f (%s)",
                            gradientAttacks, gradient, square, points(bySquare)));
            free.put("gradient_attacks", gradient);
            free.put("with_square", square);
            checks.add(free);

            double singleGap = fgsm - apgd;
            Map<String, Object> single = check("single-step", eps, exceeds(singleGap, t.singleStep()), t.singleStep(),
                    String.format(Locale.ROOT, "FGSM %.4f, multi-step on cross-entropy %.4f (%s)", fgsm, apgd,
                            points(singleGap)));
            single.put("fgsm", fgsm);
            single.put("multi_step", apgd);
            checks.add(single);

            double byNoise = pgd - noise;
            Map<String, Object> noisy = check("noise", eps, exceeds(byNoise, t.noise()), t.noise(),
                    String.format(Locale.ROOT, "PGD %.4f, with noise %.4f (%s)", pgd, noise, points(byNoise)));
            noisy.put("pgd", pgd);
            noisy.put("with_noise", noise);
            checks.add(noisy);
        }
        checks.add(largeEpsilon(settings, epsilons, outcomes));
        long dead = outcomes.stream().filter(ProbeOutcome::deadGradient).count();
        double deadShare = n == 0 ? 0 : (double) dead / n;
        Map<String, Object> gradients = check("dead-gradients", null, exceeds(deadShare, t.deadGradients()), t.deadGradients(),
                String.format(Locale.ROOT, "%d of %d examples with a zero or non-finite input gradient (%.4f)", dead, n,
                        deadShare));
        gradients.put("share", deadShare);
        checks.add(gradients);

        List<String> warned = new ArrayList<>();
        for (Map<String, Object> c : checks) {
            if ("warn".equals(c.get("status"))) {
                Object eps = c.get("epsilon");
                warned.add(c.get("check") + (eps == null ? "" : " at eps " + eps));
            }
        }
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("verdict", warned.isEmpty() ? NO_SIGN : "suspect: " + String.join(", ", warned));
        section.put("examples", n);
        section.put("checks", checks);
        section.put("settings", settings.settings());
        return section;
    }

    /** PGD-k over the ladder: near zero at the large ε, and not rising as ε grows. */
    private static Map<String, Object> largeEpsilon(VerdictSettings settings, List<Double> epsilons,
                                                    List<ProbeOutcome> outcomes) {
        List<Double> ladder = ObfuscationProbes.ladder(epsilons, settings.largeEpsilon());
        Map<String, Object> accuracy = new LinkedHashMap<>();
        double[] acc = new double[ladder.size()];
        double rise = 0;
        for (int k = 0; k < ladder.size(); k++) {
            int robust = 0;
            for (ProbeOutcome o : outcomes) {
                robust += o.correct() && !o.ladderBroken()[k] ? 1 : 0;
            }
            acc[k] = outcomes.isEmpty() ? 0 : (double) robust / outcomes.size();
            accuracy.put(String.valueOf(ladder.get(k)), acc[k]);
            if (k > 0) {
                rise = Math.max(rise, acc[k] - acc[k - 1]);
            }
        }
        double last = acc[acc.length - 1];
        VerdictSettings.Thresholds t = settings.thresholds();
        boolean warn = exceeds(last, t.largeEpsilonAccuracy()) || exceeds(rise, t.monotonic());
        StringBuilder figures = new StringBuilder("PGD");
        for (int k = 0; k < ladder.size(); k++) {
            figures.append(String.format(Locale.ROOT, " %.4f at eps %s%s", acc[k], ladder.get(k),
                    k + 1 < ladder.size() ? "," : ""));
        }
        if (rise > 0) {
            figures.append(String.format(Locale.ROOT, "; rises by up to %.1f points with eps", 100 * rise));
        }
        Map<String, Object> c = check("large-epsilon", null, warn, t.largeEpsilonAccuracy(), figures.toString());
        c.put("monotonic_threshold", t.monotonic());
        c.put("accuracy", accuracy);
        return c;
    }

    /**
     * Whether a share of the examples is above a threshold; a share equal to it, such as one example of 500 against
     * 0.002, is not, whatever the rounding of the subtraction that gave it.
     */
    private static boolean exceeds(double share, double threshold) {
        return share > threshold + 1e-9;
    }

    private static Map<String, Object> check(String name, Double eps, boolean warn, double threshold, String figures) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("check", name);
        c.put("epsilon", eps);
        c.put("status", warn ? "warn" : "pass");
        c.put("threshold", threshold);
        c.put("figures", figures);
        return c;
    }

    /** Robust accuracy against the union of {@code probes}: clean-correct and broken by none of them. */
    private static double accuracy(List<ProbeOutcome> outcomes, int e, Set<Probe> probes) {
        if (outcomes.isEmpty()) {
            return 0;
        }
        int robust = 0;
        for (ProbeOutcome o : outcomes) {
            boolean broken = !o.correct();
            for (Probe p : probes) {
                broken |= o.broken()[e][p.ordinal()];
            }
            robust += broken ? 0 : 1;
        }
        return (double) robust / outcomes.size();
    }

    private static String points(double gap) {
        return String.format(Locale.ROOT, "%+.1f points", -100 * gap);
    }
}

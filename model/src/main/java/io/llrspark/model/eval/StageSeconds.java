package io.llrspark.model.eval;

import io.llrspark.model.config.RunConfig;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Seconds each stage of the evaluation took, from outcomes: every attack over all ε, then the verdict's probes. The
 * progress lines show them, so a long evaluation says where its time goes while it runs.
 */
public final class StageSeconds {
    public static final String VERDICT = "verdict";

    private StageSeconds() {
    }

    /** The stages of {@code config}, in the order they run: its attacks' names, then {@value #VERDICT} if enabled. */
    public static java.util.List<String> stages(RunConfig.Evaluation config) {
        java.util.List<String> names = new java.util.ArrayList<>(config.attacks().stream().map(a -> a.name()).toList());
        if (config.verdict().enabled()) {
            names.add(VERDICT);
        }
        return names;
    }

    public static Map<String, Double> of(RunConfig.Evaluation config, Collection<ExampleOutcome> outcomes) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (String stage : stages(config)) {
            seconds.put(stage, 0.0);
        }
        for (ExampleOutcome o : outcomes) {
            for (StageCost[] perAttack : o.cost()) {
                for (int a = 0; a < perAttack.length; a++) {
                    seconds.merge(config.attacks().get(a).name(), perAttack[a].seconds(), Double::sum);
                }
            }
            if (o.probes() != null) {
                seconds.merge(VERDICT, o.probeCost().seconds(), Double::sum);
            }
        }
        return seconds;
    }

    /** "pgd-ce 12.0s, square 3.1s, verdict 40.2s" */
    public static String describe(Map<String, Double> seconds) {
        return seconds.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.1fs", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
    }
}

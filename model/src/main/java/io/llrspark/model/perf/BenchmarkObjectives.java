package io.llrspark.model.perf;

import io.llrspark.model.config.ConfigLoader;
import io.llrspark.model.config.RunConfig;
import io.llrspark.model.objective.TrainingObjective;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The objectives benchmarks time, named as in the README (standard, ADV-k, TRADES-k, LLR-k), built by the trainer's
 * own configuration ({@link RunConfig.Training#objective}): LLR with the paper's weights and the README's sign steps, every
 * objective at full ε (no warm-up), so a timed step is a representative one.
 */
public final class BenchmarkObjectives {
    private BenchmarkObjectives() {
    }

    public static TrainingObjective create(String name, double epsilon) {
        String[] parts = name.toUpperCase(Locale.ROOT).split("-", 2);
        List<String> sets = new ArrayList<>(List.of("llr.training.epsilon=" + epsilon));
        switch (parts[0]) {
            case "STANDARD" -> sets.add("llr.training.objective=standard");
            case "ADV" -> sets.addAll(List.of("llr.training.objective=adv", "llr.training.adv.warmup-steps=0",
                    "llr.training.adv.steps=" + steps(name, parts)));
            case "TRADES" -> sets.addAll(List.of("llr.training.objective=trades", "llr.training.trades.warmup-steps=0",
                    "llr.training.trades.steps=" + steps(name, parts)));
            case "LLR" -> sets.addAll(List.of("llr.training.objective=llr", "llr.training.llr.warmup-steps=0",
                    "llr.training.llr.step-rule=sign", "llr.training.llr.step-size=2.5",
                    "llr.training.llr.steps=" + steps(name, parts)));
            default -> throw new IllegalArgumentException("Unknown objective '" + name
                    + "': expected standard, ADV-k, TRADES-k or LLR-k");
        }
        RunConfig config = ConfigLoader.load(null, sets);
        return config.training().objective();
    }

    private static int steps(String name, String[] parts) {
        try {
            return Integer.parseInt(parts[1]);
        } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
            throw new IllegalArgumentException("Objective '" + name + "' needs its step count, e.g. ADV-10");
        }
    }
}

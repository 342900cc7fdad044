package io.llrspark.model.objective;

import io.llrspark.model.settings.Section;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The objectives by their {@code llr.training.objective} name, each reading its own section of {@code llr.training}
 * (the section of the same name: {@code llr.training.trades} for TRADES): a new objective is its class, with its
 * settings record, and a line here.
 */
public final class Objectives {
    private static final Map<String, Function<Section, ObjectiveSettings>> BY_NAME = new TreeMap<>(Map.of(
            StandardObjective.NAME, section -> new StandardObjective.Settings(),
            AdversarialTrainingObjective.NAME, AdversarialTrainingObjective.Settings::read,
            TradesObjective.NAME, TradesObjective.Settings::read,
            LlrObjective.NAME, LlrObjective.Settings::read));

    private Objectives() {
    }

    public static Set<String> names() {
        return BY_NAME.keySet();
    }

    /**
     * The settings of objective {@code name} from {@code training} (llr.training), validated; the other objectives'
     * sections are validated too, so a bad value fails the run that has it in its config whichever objective it runs.
     */
    public static ObjectiveSettings read(String name, Section training) {
        if (!BY_NAME.containsKey(name)) {
            throw new IllegalArgumentException("unknown objective '" + name + "', expected one of " + names());
        }
        Map<String, ObjectiveSettings> all = new TreeMap<>();
        BY_NAME.forEach((objective, reader) -> all.put(objective, reader.apply(training.child(objective))));
        return all.get(name);
    }
}

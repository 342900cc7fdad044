package io.llrspark.model.attack;

import io.llrspark.model.settings.ConfigError;
import io.llrspark.model.settings.Section;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The attacks by their {@code llr.evaluation.attacks} name, each built from its section of {@code llr.evaluation}
 * (the PGD attacks share {@code pgd}, the targeted PGD ones {@code targeted}, the untargeted APGD ones {@code apgd}): a
 * new attack is its class and a line here that names its section.
 */
public final class Attacks {
    private static final Map<String, Function<Section, Attack>> BY_NAME = new TreeMap<>(Map.of(
            "pgd-ce", e -> new PgdAttack(PgdAttack.Loss.CROSS_ENTROPY, PgdSearch.read(e.child("pgd"))),
            "pgd-margin", e -> new PgdAttack(PgdAttack.Loss.MARGIN, PgdSearch.read(e.child("pgd"))),
            "multi-targeted", e -> new MultiTargetedAttack(PgdSearch.read(e.child("targeted"))),
            "random-targeted", e -> new RandomTargetedAttack(PgdSearch.read(e.child("targeted"))),
            "apgd-ce", e -> new ApgdAttack(ApgdAttack.Loss.CROSS_ENTROPY, ApgdSearch.read(e.child("apgd"))),
            "apgd-dlr", e -> new ApgdAttack(ApgdAttack.Loss.DLR, ApgdSearch.read(e.child("apgd"))),
            "apgd-t", e -> ApgdTargetedAttack.read(e.child("apgd-targeted")),
            "square", e -> SquareAttack.read(e.child("square")),
            "fgsm", e -> new FgsmAttack(),
            "noise", e -> RandomNoiseAttack.read(e.child("noise"))));

    private Attacks() {
    }

    public static final String AUTOATTACK = "autoattack";

    /** Attack {@code name} (not a suite) from its section of {@code evaluation} (llr.evaluation). */
    public static Attack named(String name, Section evaluation) {
        Function<Section, Attack> reader = BY_NAME.get(name);
        if (reader == null) {
            throw new IllegalArgumentException("unknown attack " + name);
        }
        return reader.apply(evaluation);
    }

    /** Untargeted PGD on cross-entropy, sign steps of 2.5·ε/steps from uniform random starts. */
    public static Attack pgdCrossEntropy(int steps, int restarts) {
        return new PgdAttack(PgdAttack.Loss.CROSS_ENTROPY, new PgdSearch(steps, 2.5, restarts));
    }
    private static final List<String> AUTOATTACK_STAGES = List.of("apgd-ce", "apgd-t", "square");

    /** The attack names a run may give, {@code autoattack} among them. */
    public static Set<String> names() {
        Set<String> names = new TreeSet<>(BY_NAME.keySet());
        names.add(AUTOATTACK);
        return names;
    }

    /** The attacks a run names, in order, and whether each runs only on what the earlier ones left robust. */
    public record Suite(List<Attack> attacks, boolean cascade) {
    }

    /**
     * The attacks {@code evaluation}'s {@code attacks} key names, in its order, each from its own section; every
     * other attack's section is validated too, so a bad value fails whichever attacks a run names. {@code autoattack}
     * stands for AutoAttack's standard version without FAB: apgd-ce, apgd-t and square, in a cascade; {@code cascade}
     * asks for one over any list.
     */
    public static Suite read(Section evaluation) {
        Map<String, Attack> all = new TreeMap<>();
        BY_NAME.forEach((name, reader) -> all.put(name, reader.apply(evaluation)));
        List<String> names = evaluation.config().getStringList("attacks");
        String key = evaluation.path() + ".attacks";
        if (names.isEmpty()) {
            throw new ConfigError(key + ": needs at least one of " + names());
        }
        boolean cascade = evaluation.bool("cascade");
        List<Attack> attacks = new ArrayList<>();
        for (String name : names) {
            List<String> parts = name.equals(AUTOATTACK) ? AUTOATTACK_STAGES : List.of(name);
            cascade |= name.equals(AUTOATTACK);
            for (String part : parts) {
                Attack attack = all.get(part);
                if (attack == null) {
                    throw new ConfigError(key + ": unknown attack '" + name + "', expected some of " + names());
                }
                if (attacks.contains(attack)) {
                    throw new ConfigError(key + ": " + part + " named twice" + (parts.size() > 1 ? " (" + AUTOATTACK
                            + " is " + String.join(", ", AUTOATTACK_STAGES) + ")" : ""));
                }
                attacks.add(attack);
            }
        }
        return new Suite(List.copyOf(attacks), cascade);
    }
}

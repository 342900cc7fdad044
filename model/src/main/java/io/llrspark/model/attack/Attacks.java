package io.llrspark.model.attack;

import io.llrspark.model.settings.ConfigError;
import io.llrspark.model.settings.Section;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
            "square", e -> SquareAttack.read(e.child("square"))));

    private Attacks() {
    }

    public static Set<String> names() {
        return BY_NAME.keySet();
    }

    /**
     * The attacks {@code evaluation}'s {@code attacks} key names, in its order, each from its own section; every
     * other attack's section is validated too, so a bad value fails whichever attacks a run names.
     */
    public static List<Attack> read(Section evaluation) {
        Map<String, Attack> all = new TreeMap<>();
        BY_NAME.forEach((name, reader) -> all.put(name, reader.apply(evaluation)));
        List<String> names = evaluation.config().getStringList("attacks");
        String key = evaluation.path() + ".attacks";
        if (names.isEmpty()) {
            throw new ConfigError(key + ": needs at least one of " + names());
        }
        List<Attack> attacks = new ArrayList<>();
        for (String name : names) {
            Attack attack = all.get(name);
            if (attack == null) {
                throw new ConfigError(key + ": unknown attack '" + name + "', expected some of " + names());
            }
            attacks.add(attack);
        }
        return List.copyOf(attacks);
    }
}

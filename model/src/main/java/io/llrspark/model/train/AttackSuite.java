package io.llrspark.model.train;

import io.llrspark.model.attack.Attack;
import io.llrspark.model.attack.MultiTargetedAttack;
import io.llrspark.model.attack.PgdAttack;
import io.llrspark.model.attack.RandomTargetedAttack;
import io.llrspark.model.config.RunConfig;

import java.util.ArrayList;
import java.util.List;

/** The configured attacks, by name. */
public final class AttackSuite {
    private AttackSuite() {
    }

    public static List<Attack> from(RunConfig.Evaluation e) {
        List<Attack> attacks = new ArrayList<>();
        for (String name : e.attacks()) {
            attacks.add(switch (name) {
                case "pgd-ce" -> new PgdAttack(PgdAttack.Loss.CROSS_ENTROPY, e.pgd().steps(), e.pgd().stepFactor(), e.pgd().restarts());
                case "pgd-margin" -> new PgdAttack(PgdAttack.Loss.MARGIN, e.pgd().steps(), e.pgd().stepFactor(), e.pgd().restarts());
                case "multi-targeted" -> new MultiTargetedAttack(e.targeted().steps(), e.targeted().stepFactor(), e.targeted().restarts());
                case "random-targeted" -> new RandomTargetedAttack(e.targeted().steps(), e.targeted().stepFactor(), e.targeted().restarts());
                default -> throw new IllegalArgumentException("Unknown attack " + name);
            });
        }
        return attacks;
    }
}

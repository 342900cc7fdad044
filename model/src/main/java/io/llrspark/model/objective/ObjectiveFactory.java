package io.llrspark.model.objective;

import io.llrspark.model.config.RunConfig;

/** Builds the configured objective: a new objective is one class here and one config value. */
public final class ObjectiveFactory {
    private ObjectiveFactory() {
    }

    public static TrainingObjective create(RunConfig.Training t) {
        return switch (t.objective()) {
            case "standard" -> new StandardObjective();
            case "adv" -> new AdversarialTrainingObjective(new Perturbation(t.epsilon(), t.adv().warmupSteps(),
                    t.adv().steps(), Perturbation.Rule.SIGN, t.adv().stepFactor()));
            case "trades" -> new TradesObjective(t.trades().beta(), new Perturbation(t.epsilon(),
                    t.trades().warmupSteps(), t.trades().steps(), Perturbation.Rule.SIGN, t.trades().stepFactor()));
            case "llr" -> new LlrObjective(t.llr().nominalWeight(), t.llr().lambda(), t.llr().mu(), t.llr().h(),
                    new Perturbation(t.epsilon(), t.llr().warmupSteps(), t.llr().steps(),
                            "adam".equals(t.llr().stepRule()) ? Perturbation.Rule.ADAM : Perturbation.Rule.SIGN,
                            t.llr().stepSize()));
            default -> throw new IllegalArgumentException("Unknown objective " + t.objective());
        };
    }
}

package io.llrspark.model.objective;

import io.llrspark.model.settings.Section;

import java.io.Serializable;

/**
 * The inner sign-step search ADV-k and TRADES share, from their sections: {@code steps} sign steps of
 * {@code step-factor}·ε/steps, ε warmed up over {@code warmup-steps}.
 */
public record SearchSettings(int steps, double stepFactor, long warmupSteps) implements Serializable {

    static SearchSettings read(Section s) {
        return new SearchSettings(s.positive("steps"), s.positiveDouble("step-factor"), s.nonNegativeLong("warmup-steps"));
    }

    Perturbation at(double epsilon) {
        return new Perturbation(epsilon, warmupSteps, steps, Perturbation.Rule.SIGN, stepFactor);
    }
}

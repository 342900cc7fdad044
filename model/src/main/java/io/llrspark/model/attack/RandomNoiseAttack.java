package io.llrspark.model.attack;

import io.llrspark.model.net.Classifier;
import io.llrspark.model.perturb.LinfBall;
import io.llrspark.model.settings.Section;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random noise of L∞ size ε: corners of the ε-ball (each pixel ±ε, then clipped to the image box), the largest noise
 * of that size, a few draws per example, forward passes only. Any attack worth its name beats it; the obfuscation
 * verdict warns when it finds examples a gradient attack missed.
 */
public final class RandomNoiseAttack extends SearchAttack<RandomNoiseAttack.Settings> {

    /** @param samples draws per example (each on the examples no earlier draw broke) */
    public record Settings(int samples) implements Search {
        public Settings {
            if (samples < 1) {
                throw new IllegalArgumentException("random noise needs samples >= 1, got " + samples);
            }
        }

        static Settings read(Section s) {
            return new Settings(s.positive("samples"));
        }

        @Override
        public Map<String, Object> settings() {
            return Map.of("samples", samples, "distribution", "corners of the ball");
        }
    }

    RandomNoiseAttack(Settings settings) {
        super("noise", settings);
    }

    static RandomNoiseAttack read(Section s) {
        return new RandomNoiseAttack(Settings.read(s));
    }

    @Override
    AttackResult attack(Classifier net, INDArray x, INDArray y, double eps, long seed) {
        return Restarts.run(x, y, search.samples(), (xs, ys, rows, r) -> {
            SplittableRandom random = new SplittableRandom(seed * 31 + r);
            double[] signs = new double[(int) xs.length()];
            for (int i = 0; i < signs.length; i++) {
                signs[i] = random.nextBoolean() ? eps : -eps;
            }
            INDArray delta = LinfBall.project(xs, Nd4j.create(signs, xs.shape(), 'c').castTo(xs.dataType()), eps);
            return PgdSearch.evaluate(net, xs.add(delta), ys);
        });
    }
}

package io.llrspark.model.train;

import io.llrspark.model.TestNetworks;
import io.llrspark.model.checkpoint.CheckpointStore;
import io.llrspark.model.storage.LocalStorage;
import io.llrspark.model.config.ConfigLoader;
import io.llrspark.model.config.RunConfig;
import io.llrspark.model.net.arch.OptimizerSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The configured optimizer, schedule and weight decay reach the updater that moves the weights. */
class OptimizerScheduleTest {
    @TempDir
    Path dir;

    private List<INDArray> paramsPerIteration(String output, String... settings) throws Exception {
        List<String> all = new ArrayList<>(List.of("llr.training.objective=standard", "llr.training.epochs=1",
                "llr.training.batch-size=16", "llr.training.checkpoint-every=1", "llr.data.classes=4",
                "llr.output=\"" + output + "\""));
        all.addAll(List.of(settings));
        RunConfig config = ConfigLoader.load(null, all);
        new LocalTrainer(config, new LocalStorage(), new PrintStream(PrintStream.nullOutputStream()))
                .train(TestNetworks.bands(64), RunStart.NEW);
        CheckpointStore store = new CheckpointStore(new LocalStorage(), output);
        List<INDArray> params = new ArrayList<>();
        for (String c : store.committed()) {
            params.add(store.load(c).network().model().params().dup());
        }
        return params;
    }

    /**
     * A learning rate multiplied by 0 at iteration 2: Adam's steps 1 and 2 move the weights, 3 and 4 barely (DL4J's
     * Adam floors a zero step size at its epsilon, 1e-8).
     */
    @Test
    void learningRateScheduleTakesEffectAtItsBoundary() throws Exception {
        List<INDArray> p = paramsPerIteration(dir.resolve("schedule").toString(), "llr.training.lr-boundaries=[2]",
                "llr.training.lr-decay-factor=0");
        assertEquals(4, p.size(), "a checkpoint per iteration");
        double second = p.get(1).sub(p.get(0)).amaxNumber().doubleValue();
        double third = p.get(2).sub(p.get(1)).amaxNumber().doubleValue();
        double fourth = p.get(3).sub(p.get(2)).amaxNumber().doubleValue();
        assertTrue(second > 1e-4, "iteration 2 learns at 0.001: " + second);
        assertTrue(third < 1e-6 && fourth < 1e-6, "iterations 3 and 4 at learning rate 0: " + third + ", " + fourth);
    }

    /**
     * Nesterov momentum with a weight decay so strong it dominates the gradient: the weights shrink towards zero,
     * which they do not without it.
     */
    @Test
    void weightDecayShrinksWeightsUnderNesterov() throws Exception {
        List<INDArray> decayed = paramsPerIteration(dir.resolve("decay").toString(), "llr.training.optimizer=nesterov",
                "llr.training.learning-rate=0.05", "llr.training.weight-decay=5");
        List<INDArray> plain = paramsPerIteration(dir.resolve("plain").toString(), "llr.training.optimizer=nesterov",
                "llr.training.learning-rate=0.05");
        double decayedNorm = decayed.get(3).norm2Number().doubleValue();
        double plainNorm = plain.get(3).norm2Number().doubleValue();
        assertTrue(decayedNorm < 0.5 * plainNorm, decayedNorm + " vs " + plainNorm);
    }

    @Test
    void learningRateAtCountsBoundariesPassed() {
        OptimizerSpec s = new OptimizerSpec(OptimizerSpec.NESTEROV, 0.1, 0.9, 2e-4, List.of(80_000L, 88_000L), 0.1);
        assertEquals(0.1, s.learningRateAt(79_999), 1e-15);
        assertEquals(0.01, s.learningRateAt(80_000), 1e-15);
        assertEquals(0.001, s.learningRateAt(100_000), 1e-15);
    }
}

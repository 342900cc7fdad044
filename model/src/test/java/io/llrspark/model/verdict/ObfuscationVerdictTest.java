package io.llrspark.model.verdict;

import io.llrspark.model.TestNetworks;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.settings.Section;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ObfuscationVerdictTest {

    @BeforeEach
    void precision() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }

    private static VerdictSettings settings(String... overrides) {
        String path = "llr.evaluation";
        return VerdictSettings.read(new Section(ConfigFactory.parseString(String.join("\n", overrides))
                .withFallback(ConfigFactory.defaultReference().getConfig(path)), path));
    }

    /**
     * The model whose input gradient is zero everywhere (pixels quantized to quarters): every gradient attack sees a
     * flat loss, Square breaks every example. The gradient-free check (AutoAttack's own flag) and the dead-gradient
     * check must fire, with the figures that show it.
     */
    @Test
    void flagsAModelWithoutGradients() {
        int n = 20;
        Classifier net = TestNetworks.quantizing();
        INDArray x = TestNetworks.quantizingInputs(n);
        INDArray y = TestNetworks.quantizingLabels(n);
        VerdictSettings s = settings("square.queries = 100", "verdict.stronger-steps = 20", "verdict.stronger-restarts = 2");
        Map<String, Object> verdict = verdict(s, net, x, y, List.of(0.1));

        Map<String, Object> free = check(verdict, "gradient-free", 0.1);
        assertEquals("warn", free.get("status"), free.toString());
        assertTrue((double) free.get("gradient_attacks") >= 0.9, "gradient attacks fail: " + free);
        assertEquals(0.0, (double) free.get("with_square"), "Square breaks every example: " + free);
        Map<String, Object> dead = check(verdict, "dead-gradients", null);
        assertEquals("warn", dead.get("status"));
        assertEquals(1.0, (double) dead.get("share"));
        String v = (String) verdict.get("verdict");
        assertTrue(v.startsWith("suspect: ") && v.contains("gradient-free at eps 0.1") && v.contains("dead-gradients"), v);
    }

    /**
     * Softmax regression: every attack here finds the same optimum (FGSM's one step is it), noise and Square cannot
     * beat it, and at ε = 0.5 nothing is robust: no check may warn.
     */
    @Test
    void passesALinearModel() {
        int d = 64, n = 40, classes = 3;
        Nd4j.getRandom().setSeed(3);
        INDArray w = Nd4j.rand(DataType.FLOAT, d, classes).subi(0.5f).muli(0.5f);
        INDArray x = Nd4j.rand(DataType.FLOAT, n, d);
        Classifier net = TestNetworks.softmaxRegression(w, Nd4j.zeros(DataType.FLOAT, classes));
        long[] predicted = net.logits(x, io.llrspark.model.net.BatchStatistics.MOVING_AVERAGE).argMax(1).toLongVector();
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, classes);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, predicted[i], 1);
        }
        VerdictSettings s = settings("square.queries = 200", "verdict.stronger-steps = 30", "verdict.stronger-restarts = 2");
        Map<String, Object> verdict = verdict(s, net, x, y, List.of(0.02));

        assertEquals(ObfuscationVerdict.NO_SIGN, verdict.get("verdict"), verdict.get("checks").toString());
        Map<String, Object> single = check(verdict, "single-step", 0.02);
        assertEquals((double) single.get("multi_step"), (double) single.get("fgsm"), "FGSM is the optimum: " + single);
        double robust = (double) single.get("multi_step");
        assertTrue(robust > 0.2 && robust < 0.9, "the radius leaves some examples robust: " + robust);
        @SuppressWarnings("unchecked")
        Map<String, Object> ladder = (Map<String, Object>) check(verdict, "large-epsilon", null).get("accuracy");
        assertEquals(List.of("0.02", "0.04", "0.5"), new ArrayList<>(ladder.keySet()));
        assertEquals(0.0, (double) ladder.get("0.5"));
    }

    /** The checks' arithmetic on findings set by hand. */
    @Test
    void singleStepFarWeakerThanMultiStepWarns() {
        // 10 clean-correct examples; FGSM breaks 1, PGD 6: FGSM 0.9 against multi-step 0.4
        List<ProbeOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            boolean[] probes = new boolean[Probe.values().length];
            probes[Probe.FGSM.ordinal()] = i == 0;
            probes[Probe.PGD.ordinal()] = i < 6;
            outcomes.add(new ProbeOutcome(true, new boolean[][]{probes}, new boolean[]{i < 6, true}, false, null));
        }
        Map<String, Object> verdict = ObfuscationVerdict.of(settings("verdict.large-epsilon = 0.5"), List.of(0.3),
                outcomes, 10);
        Map<String, Object> single = check(verdict, "single-step", 0.3);
        assertEquals("warn", single.get("status"));
        assertEquals(0.9, (double) single.get("fgsm"), 1e-12);
        assertEquals(0.4, (double) single.get("multi_step"), 1e-12);
        assertEquals("suspect: single-step at eps 0.3", verdict.get("verdict"));

        Map<String, Object> relaxed = ObfuscationVerdict.of(settings("verdict.thresholds.single-step = 0.6"),
                List.of(0.3), outcomes, 10);
        assertEquals(ObfuscationVerdict.NO_SIGN, relaxed.get("verdict"));
    }

    /** AutoAttack's 0.2 points on 500 examples: one example Square alone breaks is at the threshold, two above it. */
    @Test
    void squareBeyondTheGradientAttacksWarnsAboveAutoAttacksThreshold() {
        for (int extra : new int[]{1, 2}) {
            List<ProbeOutcome> outcomes = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                boolean[] probes = new boolean[Probe.values().length];
                probes[Probe.PGD.ordinal()] = i < 100;
                probes[Probe.FGSM.ordinal()] = i < 100;
                probes[Probe.SQUARE.ordinal()] = i >= 100 && i < 100 + extra;
                outcomes.add(new ProbeOutcome(true, new boolean[][]{probes}, new boolean[]{i < 100, true}, false, null));
            }
            Map<String, Object> free = check(ObfuscationVerdict.of(settings(), List.of(0.3), outcomes, 10),
                    "gradient-free", 0.3);
            assertEquals(extra == 1 ? "pass" : "warn", free.get("status"), extra + " example(s): " + free);
        }
    }

    @Test
    void accuracyRisingWithEpsilonWarns() {
        // PGD breaks 5 of 10 at ε = 0.1 but only 2 at ε = 0.2 (and all at 0.5): accuracy rises by 0.3 with ε
        List<ProbeOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            boolean[] probes = new boolean[Probe.values().length];
            probes[Probe.PGD.ordinal()] = i < 5;
            probes[Probe.FGSM.ordinal()] = i < 5;
            outcomes.add(new ProbeOutcome(true, new boolean[][]{probes}, new boolean[]{i < 5, i < 2, true}, false, null));
        }
        Map<String, Object> verdict = ObfuscationVerdict.of(settings(), List.of(0.1), outcomes, 10);
        Map<String, Object> large = check(verdict, "large-epsilon", null);
        assertEquals("warn", large.get("status"), large.toString());
        assertTrue(((String) large.get("figures")).contains("rises by up to 30.0 points"), large.toString());
        assertFalse(verdict.get("verdict").toString().contains("single-step"));
    }

    private static Map<String, Object> verdict(VerdictSettings s, Classifier net, INDArray x, INDArray y,
                                               List<Double> epsilons) {
        long[] predicted = net.logits(x, io.llrspark.model.net.BatchStatistics.MOVING_AVERAGE).argMax(1).toLongVector();
        long[] labels = y.argMax(1).toLongVector();
        boolean[] correct = new boolean[labels.length];
        for (int i = 0; i < labels.length; i++) {
            correct[i] = predicted[i] == labels[i];
        }
        ProbeOutcome[] found = new ObfuscationProbes(s).run(net, x, y, correct, epsilons, 0, 11);
        return ObfuscationVerdict.of(s, epsilons, Arrays.asList(found), (int) y.size(1));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> check(Map<String, Object> verdict, String name, Double eps) {
        for (Object o : (List<?>) verdict.get("checks")) {
            Map<String, Object> c = (Map<String, Object>) o;
            if (name.equals(c.get("check")) && java.util.Objects.equals(eps, c.get("epsilon"))) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " at " + eps + " in " + verdict.get("checks"));
    }
}

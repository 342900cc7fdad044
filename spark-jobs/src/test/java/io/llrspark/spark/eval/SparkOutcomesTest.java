package io.llrspark.spark.eval;

import io.llrspark.model.train.RunStart;
import io.llrspark.model.TestNetworks;
import io.llrspark.model.checkpoint.CheckpointStore;
import io.llrspark.model.storage.LocalStorage;
import io.llrspark.model.config.ConfigLoader;
import io.llrspark.model.config.RunConfig;
import io.llrspark.model.data.LabeledImages;
import io.llrspark.model.eval.CheckpointEvaluation;
import io.llrspark.model.eval.Evaluator;
import io.llrspark.model.eval.ExampleOutcome;
import io.llrspark.model.train.LocalTrainer;
import io.llrspark.model.data.IdxFiles;
import io.llrspark.spark.storage.HadoopStorage;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The distributed evaluation equals the single-process one, example for example, however the batches are spread. */
class SparkOutcomesTest {
    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void distributedOutcomesEqualTheSingleProcessOnesForTwoAndThreePartitions() throws IOException {
        Map<String, Object> report = distributedEqualsLocal(List.of(
                "llr.evaluation.attacks=[pgd-ce, pgd-margin, multi-targeted, random-targeted]",
                "llr.evaluation.pgd.steps=5", "llr.evaluation.pgd.restarts=2", "llr.evaluation.targeted.steps=3"), 4);
        assertEquals(false, report.get("cascade"));
    }

    /**
     * The AutoAttack cascade (APGD-CE, APGD-T, Square, each on what the earlier left robust) too: the same outcomes
     * however the batches are spread, robust accuracy never rising from one stage to the next, and each stage's
     * compute in the report (Square forward passes only).
     */
    @Test
    @SuppressWarnings("unchecked")
    void theAutoAttackCascadeIsTheSameDistributedAndReportsEachStage() throws IOException {
        Map<String, Object> report = distributedEqualsLocal(List.of("llr.evaluation.attacks=[autoattack]",
                "llr.evaluation.apgd.steps=6", "llr.evaluation.apgd-targeted.steps=4",
                "llr.evaluation.apgd-targeted.target-classes=2", "llr.evaluation.square.queries=30"), 3);
        assertEquals(true, report.get("cascade"));
        for (String eps : List.of("0.05", "0.1", "0.2")) {
            Map<String, Object> after = (Map<String, Object>) ((Map<String, Object>)
                    report.get("cumulative_robust_accuracy")).get(eps);
            assertEquals(List.of("apgd-ce", "apgd-t", "square"), List.copyOf(after.keySet()));
            double ce = ((Number) after.get("apgd-ce")).doubleValue();
            double t = ((Number) after.get("apgd-t")).doubleValue();
            double sq = ((Number) after.get("square")).doubleValue();
            assertTrue(ce >= t && t >= sq, eps + ": " + after);
            assertEquals(sq, ((Number) ((Map<String, Object>) report.get("robust_accuracy")).get(eps)).doubleValue(),
                    1e-12, "the cascade's last stage is the worst case");
            Map<String, Map<String, Number>> compute = (Map<String, Map<String, Number>>)
                    ((Map<String, Object>) report.get("compute")).get(eps);
            assertTrue(compute.get("apgd-ce").get("backward_passes").longValue() > 0, compute.toString());
            assertEquals(0, compute.get("square").get("backward_passes").longValue(), "Square reads no gradient");
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> distributedEqualsLocal(List<String> attacks, int attackCount) throws IOException {
        LabeledImages data = TestNetworks.bands(48);
        List<String> settings = new ArrayList<>(IdxFiles.writeIdx(data, dir.resolve("data")));
        settings.addAll(List.of("llr.training.objective=standard", "llr.training.batch-size=16",
                "llr.training.epochs=2", "llr.output=\"" + dir.resolve("run") + "\"",
                "llr.evaluation.epsilons=[0.2, 0.05, 0.1]", "llr.evaluation.examples=40",
                "llr.evaluation.batch-size=8", "llr.evaluation.gamma-steps=3",
                // the obfuscation verdict's probes on the first 20 examples: two and a half batches
                "llr.evaluation.verdict.examples=20", "llr.evaluation.verdict.pgd-steps=3",
                "llr.evaluation.verdict.stronger-steps=6", "llr.evaluation.verdict.stronger-restarts=2",
                "llr.evaluation.apgd.steps=6", "llr.evaluation.apgd-targeted.steps=4",
                "llr.evaluation.apgd-targeted.target-classes=2", "llr.evaluation.square.queries=30",
                "llr.evaluation.noise.samples=3", "llr.evaluation.verdict.surface-grid=5"));
        settings.addAll(attacks);
        RunConfig config = ConfigLoader.load(null, settings);
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
        String checkpoint = new LocalTrainer(config, new LocalStorage(), quiet).train(data, RunStart.NEW).checkpoint();

        CheckpointStore.Loaded loaded = new CheckpointStore(new LocalStorage(), config.output()).load(checkpoint);
        Evaluator evaluator = new Evaluator(config.evaluation(), config.seed(), quiet);
        CheckpointEvaluation local = new CheckpointEvaluation(config, new LocalStorage(), quiet);
        List<ExampleOutcome> expected = evaluator.evaluateAll(loaded.network(), local.testSource().open(new LocalStorage()),
                config.network().arrayType());
        assertEquals(40, expected.size());

        try (JavaSparkContext sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("eval-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"))) {
            HadoopStorage storage = new HadoopStorage(sc.hadoopConfiguration());
            for (int partitions : new int[]{2, 3}) {
                List<ExampleOutcome> got = new ArrayList<>(new SparkOutcomes(sc, config, storage, partitions, quiet)
                        .outcomes(evaluator, loaded));
                got.sort(Comparator.comparingInt(ExampleOutcome::index));
                assertEquals(expected.size(), got.size(), partitions + " partitions");
                for (int i = 0; i < expected.size(); i++) {
                    ExampleOutcome e = expected.get(i);
                    ExampleOutcome g = got.get(i);
                    String where = partitions + " partitions, example " + i;
                    assertEquals(e.index(), g.index(), where);
                    assertEquals(e.label(), g.label(), where);
                    assertEquals(e.correct(), g.correct(), where);
                    assertTrue(Arrays.deepEquals(e.broken(), g.broken()), where);
                    assertArrayEquals(e.brokenWorst(), g.brokenWorst(), where);
                    assertArrayEquals(e.gamma(), g.gamma(), 1e-6, where);
                    assertEquals(i < 20, g.probes() != null, where + ": probed only among the first 20");
                    if (i < 20) {
                        assertTrue(Arrays.deepEquals(e.probes().broken(), g.probes().broken()), where);
                        assertArrayEquals(e.probes().ladderBroken(), g.probes().ladderBroken(), where);
                        assertEquals(e.probes().deadGradient(), g.probes().deadGradient(), where);
                    }
                }
            }

            // The whole report, written by the distributed path: JSON, CSV and plot side by side.
            CheckpointEvaluation.Written written = new CheckpointEvaluation(config, storage, quiet)
                    .evaluate(checkpoint, "test", new SparkOutcomes(sc, config, storage, 0, quiet));
            Map<String, Object> report = written.report();
            double clean = ((Number) report.get("clean_accuracy")).doubleValue();
            Map<String, Object> robust = (Map<String, Object>) report.get("robust_accuracy");
            double r05 = ((Number) robust.get("0.05")).doubleValue();
            double r10 = ((Number) robust.get("0.1")).doubleValue();
            double r20 = ((Number) robust.get("0.2")).doubleValue();
            assertTrue(clean >= r05 && r05 >= r10 && r10 >= r20, "robust accuracy must not rise with eps: clean "
                    + clean + ", " + r05 + ", " + r10 + ", " + r20);
            Map<String, Object> verdict = (Map<String, Object>) report.get("obfuscation");
            assertEquals(20, verdict.get("examples"));
            assertTrue(verdict.get("verdict").toString().matches("no sign of obfuscation|suspect: .+"), verdict.toString());
            assertTrue(((Number) ((Map<String, Object>) verdict.get("compute")).get("backward_passes")).longValue() > 0);
            Path reports = Path.of(written.path()).getParent();
            assertTrue(Files.readString(reports.resolve("report.json")).contains("\"code_version\" : \"test\""));
            List<String> csv = Files.readAllLines(reports.resolve("report.csv"));
            assertEquals(1 + 3 * (attackCount + 1), csv.size(), "header + 3 eps x (attacks + worst case): " + csv);
            assertNotNull(ImageIO.read(reports.resolve("robust-accuracy.png").toFile()), "a readable PNG");
            // the loss surfaces around the first four examples, one heat map each, in one readable PNG
            java.awt.image.BufferedImage surfaces = ImageIO.read(reports.resolve("loss-surface.png").toFile());
            assertNotNull(surfaces, "a readable loss-surface PNG");
            assertEquals(4, ((List<?>) ((Map<String, Object>) verdict.get("loss_surface")).get("points")).size());
            assertTrue(surfaces.getWidth() > 3 * surfaces.getHeight(), "four maps side by side");
            return report;
        }
    }
}

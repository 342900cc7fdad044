package io.llrspark.model.eval;

import io.llrspark.model.train.RunStart;
import io.llrspark.model.TestNetworks;
import io.llrspark.model.storage.LocalStorage;
import io.llrspark.model.config.ConfigLoader;
import io.llrspark.model.config.RunConfig;
import io.llrspark.model.data.IdxFiles;
import io.llrspark.model.data.LabeledImages;
import io.llrspark.model.train.LocalTrainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two overlapping evaluate-new runs never evaluate the same checkpoint, and together evaluate each one. */
class NewCheckpointEvaluationTest {
    @TempDir
    Path dir;

    @Test
    void overlappingRunsEvaluateEachCheckpointExactlyOnce() throws Exception {
        String run = dir.resolve("run").toString();
        LabeledImages data = TestNetworks.bands(32);
        List<String> settings = new ArrayList<>(IdxFiles.writeIdx(data, dir.resolve("data")));
        settings.addAll(List.of("llr.training.objective=standard", "llr.training.epochs=3",
                "llr.training.batch-size=16", "llr.output=\"" + run + "\"",
                "llr.evaluation.examples=16", "llr.evaluation.batch-size=8", "llr.evaluation.attacks=[pgd-ce]",
                "llr.evaluation.pgd.steps=2", "llr.evaluation.pgd.restarts=1", "llr.evaluation.gamma-steps=0",
                "llr.evaluation.verdict.enabled=false"));
        RunConfig config = ConfigLoader.load(null, settings);
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
        new LocalTrainer(config, new LocalStorage(), quiet).train(data, RunStart.NEW);

        Map<String, Integer> evaluations = new ConcurrentHashMap<>();
        NewCheckpointEvaluation.Evaluation evaluation = checkpoint -> {
            evaluations.merge(checkpoint, 1, Integer::sum);
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            CheckpointEvaluation ce = new CheckpointEvaluation(config, new LocalStorage(), quiet);
            return ce.evaluate(checkpoint, "test", (ev, loaded) -> ev.evaluateAll(loaded.network(), data,
                    config.network().arrayType()));
        };
        // Both runs' lines, for a failure's message.
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        PrintStream runLog = new PrintStream(lines, true, StandardCharsets.UTF_8);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<List<NewCheckpointEvaluation.Outcome>>> runs = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            runs.add(pool.submit(() -> {
                start.await();
                return new NewCheckpointEvaluation(new LocalStorage(), run, runLog, Duration.ofMillis(200),
                        Duration.ofHours(1)).run(evaluation, false);
            }));
        }
        start.countDown();
        List<NewCheckpointEvaluation.Outcome> all = new ArrayList<>();
        for (Future<List<NewCheckpointEvaluation.Outcome>> f : runs) {
            all.addAll(f.get());
        }
        pool.shutdown();

        String seen = "\n" + lines.toString(StandardCharsets.UTF_8);
        assertEquals(3, evaluations.size(), "each of the 3 checkpoints evaluated: " + evaluations + seen);
        assertEquals(Collections.nCopies(3, 1), new ArrayList<>(evaluations.values()), "none twice: " + evaluations + seen);
        assertEquals(3, all.stream().filter(o -> o.status() == NewCheckpointEvaluation.Status.EVALUATED).count(),
                all + seen);
        for (String checkpoint : evaluations.keySet()) {
            Path reports = Path.of(ReportFiles.directory(new LocalStorage(), run, checkpoint));
            assertTrue(Files.exists(reports.resolve("report.json")));
            assertFalse(Files.exists(reports.resolve(NewCheckpointEvaluation.LOCK_NAME)), "locks are released");
        }
    }
}

package io.llrspark.spark.e2e;

import io.llrspark.model.checkpoint.CheckpointStore;
import io.llrspark.model.data.LabeledImages;
import io.llrspark.model.data.idx.IdxReader;
import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.storage.LocalStorage;
import io.llrspark.spark.KryoSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A worker of a standalone cluster killed (SIGKILL, the worker JVM and its executor, as when a spot node goes away)
 * in the middle of an epoch: the job finishes on the remaining worker, because Spark runs the lost tasks of the
 * round again from the same broadcast parameters (the driver's network changes only when a round's results are all
 * in), and ends where an undisturbed run on the same cluster ends. Each round's metrics count every worker's steps
 * once.
 */
class ExecutorLossIT {
    private static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    @Test
    void aRunThatLosesAWorkerEndsAsAnUndisturbedOne(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isDirectory(FASHION), "needs the Debian package dataset-fashion-mnist");
        Path undisturbed = dir.resolve("undisturbed");
        Path disturbed = dir.resolve("disturbed");
        long lostTasks;
        try (SparkProcesses spark = new SparkProcesses(dir)) {
            String master = spark.standaloneCluster(2, "3g");
            Process whole = spark.start("whole", train(spark, master, undisturbed));
            assertTrue(whole.waitFor(10, TimeUnit.MINUTES), "undisturbed run did not finish");
            assertEquals(0, whole.exitValue(), spark.log("whole"));

            spark.logTaskAttempts();
            Process job = spark.start("disturbed", train(spark, master, disturbed));
            Path metrics = disturbed.resolve("metrics.jsonl");
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (lines(metrics) < 2 && job.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(job.isAlive(), "the run must still be going when its worker is killed:\n" + spark.log("disturbed"));
            int linesAtKill = lines(metrics);
            // The next round's tasks (eight steps each, over a second) start within milliseconds of the line.
            Thread.sleep(300);
            spark.kill("worker-1");
            assertTrue(job.waitFor(10, TimeUnit.MINUTES), "disturbed run did not finish");
            String log = spark.log("disturbed");
            assertEquals(0, job.exitValue(), log);
            assertTrue(linesAtKill < lines(undisturbed.resolve("metrics.jsonl")),
                    "killed after the last round: nothing was disturbed");
            assertTrue(log.contains("Lost executor"), "Spark saw the executor go:\n" + log);
            lostTasks = log.lines().filter(l -> l.matches(".*Starting task \\d+\\.[1-9].*")).count();
            assertTrue(lostTasks >= 1, "killed while the worker ran a task of the round, which ran again:\n" + log);
        }

        List<String> a = Files.readAllLines(undisturbed.resolve("metrics.jsonl"));
        List<String> b = Files.readAllLines(disturbed.resolve("metrics.jsonl"));
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(field(a.get(i), "steps"), field(b.get(i), "steps"), "metrics line " + (i + 1) + " counts each worker step once");
        }
        LabeledImages test = IdxReader.read(FASHION.resolve("t10k-images-idx3-ubyte.gz"),
                FASHION.resolve("t10k-labels-idx1-ubyte.gz"), 10);
        DataSet batch = test.range(0, 1000, DataType.FLOAT);
        CheckpointStore.Loaded x = last(undisturbed);
        CheckpointStore.Loaded y = last(disturbed);
        assertEquals(x.position(), y.position());
        double accX = accuracy(x, batch);
        double accY = accuracy(y, batch);
        double diff = x.network().model().params().sub(y.network().model().params()).amaxNumber().doubleValue();
        System.out.printf("ExecutorLossIT: %d lost tasks run again; clean accuracy undisturbed %.1f %%, disturbed "
                + "%.1f %%, max |dw| %.3g%n", lostTasks, 100 * accX, 100 * accY, diff);
        assertTrue(accX > 0.3, "the undisturbed run learned (chance is 10 %): " + accX);
        assertEquals(accX, accY, 0.01, "accuracy within 1 point of the undisturbed run");
    }

    private static List<String> train(SparkProcesses spark, String master, Path output) {
        List<String> conf = new ArrayList<>(List.of("spark.executor.memory=1g", "spark.executor.cores=1",
                "spark.task.maxFailures=4"));
        conf.addAll(KryoSettings.submitConf());
        return spark.submit(master, SparkProcesses.Kernels.VECTOR, conf,
                List.of("train", "--config", Path.of("..", "conf", "local.conf").toString(),
                        "--set", "llr.data.train-limit=4096", "--set", "llr.training.batch-size=64",
                        "--set", "llr.training.epochs=1", "--set", "llr.training.llr.steps=1",
                        "--set", "llr.training.log-every=8", "--set", "llr.spark.workers=2",
                        "--set", "llr.spark.averaging-frequency=8", "--set", "llr.output=\"" + output + "\""));
    }

    private static int lines(Path file) throws java.io.IOException {
        return Files.exists(file) ? Files.readAllLines(file).size() : 0;
    }

    private static double field(String metricsLine, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\"\\s*:\\s*([0-9.eE+-]+)")
                .matcher(metricsLine);
        assertTrue(m.find(), name + " in " + metricsLine);
        return Double.parseDouble(m.group(1));
    }

    private static CheckpointStore.Loaded last(Path run) throws Exception {
        CheckpointStore store = new CheckpointStore(new LocalStorage(), run.toString());
        return store.load(store.latest().orElseThrow());
    }

    private static double accuracy(CheckpointStore.Loaded loaded, DataSet batch) {
        INDArray logits = loaded.network().logits(batch.getFeatures(), BatchStatistics.MOVING_AVERAGE);
        INDArray predicted = logits.argMax(1);
        INDArray truth = batch.getLabels().argMax(1);
        return predicted.eq(truth).castTo(DataType.INT32).sumNumber().doubleValue() / batch.numExamples();
    }
}

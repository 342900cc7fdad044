package io.llrspark.spark.e2e;

import io.llrspark.model.checkpoint.CheckpointStore;
import io.llrspark.model.storage.LocalStorage;
import io.llrspark.model.data.idx.IdxReader;
import io.llrspark.model.data.LabeledImages;
import io.llrspark.model.net.BatchStatistics;
import io.llrspark.spark.KryoSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * spark-submit of {@code train} against a standalone master with two workers, each in its own JVM with its own
 * executor JVM, on a Fashion-MNIST subset; then the checkpoint it wrote is loaded and used, and {@code evaluate}
 * attacks it on the same cluster, with Kryo as Spark's serializer. The run takes libnd4j's ops without the Vector
 * API kernels, so that the fallback paths run end to end; it compares nothing with a run that takes the kernels.
 */
class StandaloneClusterTrainIT {
    private static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    /** Small executors, serializing with Kryo as the launchers do: the app jar must carry the registrators' classes. */
    private static List<String> sparkConf() {
        List<String> conf = new ArrayList<>(List.of("spark.executor.memory=1g", "spark.executor.cores=1"));
        conf.addAll(KryoSettings.submitConf());
        return conf;
    }

    @Test
    void trainsOnAStandaloneClusterAndWritesALoadableCheckpoint(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isDirectory(FASHION), "needs the Debian package dataset-fashion-mnist");
        Path out = dir.resolve("run");
        try (SparkProcesses spark = new SparkProcesses(dir)) {
            String master = spark.standaloneCluster(2, "3g");
            Process job = spark.start("submit", spark.submit(master, SparkProcesses.Kernels.ND4J_FALLBACK, sparkConf(),
                    List.of("train", "--config", Path.of("..", "conf", "local.conf").toString(),
                            "--set", "llr.data.train-limit=512", "--set", "llr.training.batch-size=64",
                            "--set", "llr.training.epochs=1", "--set", "llr.training.llr.steps=1",
                            "--set", "llr.training.log-every=2", "--set", "llr.spark.averaging-frequency=2",
                            "--set", "llr.output=\"" + out + "\"")));
            assertTrue(job.waitFor(10, TimeUnit.MINUTES), "spark-submit did not finish");
            String log = spark.log("submit");
            assertEquals(0, job.exitValue(), "spark-submit failed:\n" + log);
            assertTrue(log.contains("2 workers"), log);
            assertTrue(log.contains("ETA"), "progress lines: " + log);
            // The work ran in executor JVMs the workers launched, not in the driver.
            for (int w = 0; w < 2; w++) {
                try (var apps = Files.walk(dir.resolve("worker-" + w))) {
                    assertTrue(apps.anyMatch(p -> p.getFileName().toString().equals("stderr")),
                            "worker " + w + " launched no executor");
                }
            }

            CheckpointStore written = new CheckpointStore(new LocalStorage(), out.toString());
            Process eval = spark.start("evaluate", spark.submit(master, SparkProcesses.Kernels.ND4J_FALLBACK, sparkConf(),
                    List.of("evaluate", "--config", Path.of("..", "conf", "local.conf").toString(),
                            "--checkpoint", written.latest().orElseThrow(),
                            "--set", "llr.evaluation.examples=100", "--set", "llr.evaluation.batch-size=25",
                            "--set", "llr.evaluation.pgd.steps=5", "--set", "llr.evaluation.pgd.restarts=1",
                            "--set", "llr.evaluation.gamma-steps=2", "--set", "llr.output=\"" + out + "\"",
                            // the verdict's probes on the executors too, on a small budget
                            "--set", "llr.evaluation.verdict.examples=25", "--set", "llr.evaluation.verdict.pgd-steps=3",
                            "--set", "llr.evaluation.verdict.stronger-steps=6",
                            "--set", "llr.evaluation.verdict.stronger-restarts=1", "--set", "llr.evaluation.apgd.steps=5",
                            "--set", "llr.evaluation.apgd-targeted.steps=3", "--set", "llr.evaluation.square.queries=20",
                            "--set", "llr.evaluation.verdict.surface-grid=5")));
            assertTrue(eval.waitFor(10, TimeUnit.MINUTES), "evaluate did not finish");
            String evalLog = spark.log("evaluate");
            assertEquals(0, eval.exitValue(), "evaluate failed:\n" + evalLog);
            assertTrue(evalLog.contains("clean accuracy"), evalLog);
            assertTrue(evalLog.contains("obfuscation (25 examples): "), evalLog);
            Path report = out.resolve("reports").resolve(Path.of(written.latest().orElseThrow()).getFileName())
                    .resolve("report.json");
            assertTrue(Files.readString(report).contains("\"examples\" : 100"), Files.readString(report));
        }
        CheckpointStore store = new CheckpointStore(new LocalStorage(), out.toString());
        CheckpointStore.Loaded loaded = store.load(store.latest().orElseThrow());
        assertEquals(1, loaded.position().epoch());
        assertEquals(8, loaded.position().iteration(), "8 minibatches of 64, 32 per worker: 8 steps in 4 rounds");
        LabeledImages test = IdxReader.read(FASHION.resolve("t10k-images-idx3-ubyte.gz"),
                FASHION.resolve("t10k-labels-idx1-ubyte.gz"), 10);
        INDArray logits = loaded.network().logits(test.range(0, 100, DataType.FLOAT).getFeatures(),
                BatchStatistics.MOVING_AVERAGE);
        assertEquals(100, logits.size(0));
        assertTrue(Double.isFinite(logits.sumNumber().doubleValue()));
        assertTrue(Files.readString(out.resolve("metrics.jsonl")).contains("\"gamma\""));
    }
}

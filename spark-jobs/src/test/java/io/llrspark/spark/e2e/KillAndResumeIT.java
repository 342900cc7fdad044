package io.llrspark.spark.e2e;

import com.typesafe.config.Config;
import io.llrspark.model.TestNetworks;
import io.llrspark.model.checkpoint.CheckpointStore;
import io.llrspark.model.checkpoint.LocalStorage;
import io.llrspark.model.config.ConfigLoader;
import io.llrspark.model.data.LabeledImages;
import io.llrspark.model.train.TrainingLoop;
import io.llrspark.spark.SparkSettings;
import io.llrspark.spark.SparkTestData;
import io.llrspark.spark.storage.HadoopStorage;
import io.llrspark.spark.train.TrainJob;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A spark-submit'ed {@code train} killed (SIGKILL) once its first checkpoint is committed, then run again with
 * {@code --resume}, ends with the parameters of an uninterrupted run: same seed, same data order, same random starts.
 */
class KillAndResumeIT {

    @Test
    void killedRunResumedEqualsUninterruptedRun(@TempDir Path dir) throws Exception {
        LabeledImages data = TestNetworks.bands(96);
        List<String> settings = new ArrayList<>(SparkTestData.writeIdx(data, dir.resolve("data")));
        settings.addAll(List.of("llr.training.objective=llr", "llr.training.llr.steps=1",
                "llr.training.llr.warmup-steps=3", "llr.training.batch-size=16", "llr.training.epochs=4",
                "llr.training.checkpoint-every=1", "llr.training.log-every=1",
                "llr.spark.workers=2", "llr.spark.averaging-frequency=1"));
        Path killed = dir.resolve("killed");
        Path whole = dir.resolve("whole");

        try (SparkProcesses spark = new SparkProcesses(dir)) {
            Process first = spark.start("first", spark.submit("local[2]", List.of(), args(settings, killed, false)));
            CheckpointStore store = new CheckpointStore(new LocalStorage(), killed.toString());
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (store.committed().isEmpty() && first.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(first.isAlive(), "the run must still be going when killed:\n" + spark.log("first"));
            first.destroyForcibly().waitFor();
            int committedAtKill = store.committed().size();
            assertTrue(committedAtKill >= 1, "killed before its first checkpoint:\n" + spark.log("first"));
            assertFalse(store.latest().orElseThrow().contains("ckpt-e0004"), "the run had already finished");

            Process resumed = spark.start("resumed", spark.submit("local[2]", List.of(), args(settings, killed, true)));
            assertTrue(resumed.waitFor(5, TimeUnit.MINUTES), "resumed run did not finish");
            assertEquals(0, resumed.exitValue(), spark.log("resumed"));
            assertTrue(spark.log("resumed").contains("Resuming from"), spark.log("resumed"));
        }

        List<String> wholeSettings = new ArrayList<>(settings);
        wholeSettings.add("llr.output=\"" + whole + "\"");
        Config merged = ConfigLoader.merge(null, wholeSettings);
        TrainingLoop.Result uninterrupted;
        try (JavaSparkContext sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("whole")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"))) {
            uninterrupted = TrainJob.run(sc, ConfigLoader.fromMerged(merged), SparkSettings.from(merged),
                    new HadoopStorage(sc.hadoopConfiguration()), false, new PrintStream(PrintStream.nullOutputStream()));
        }
        CheckpointStore store = new CheckpointStore(new LocalStorage(), killed.toString());
        CheckpointStore.Loaded end = store.load(store.latest().orElseThrow());
        assertEquals(4, end.position().epoch());
        assertEquals(uninterrupted.network().iteration(), end.network().iteration());
        INDArray a = uninterrupted.network().model().params();
        INDArray b = end.network().model().params();
        double diff = a.sub(b).amaxNumber().doubleValue();
        assertTrue(diff < 1e-5, "resumed run differs from the uninterrupted one by " + diff);
        assertTrue(Files.readString(killed.resolve("metrics.jsonl")).lines().count() >= 12,
                "metrics keep every logged window across the kill");
    }

    private static List<String> args(List<String> settings, Path output, boolean resume) {
        List<String> a = new ArrayList<>(List.of("train", "--config", Path.of("..", "conf", "local.conf").toString()));
        for (String s : settings) {
            a.addAll(List.of("--set", s));
        }
        a.addAll(List.of("--set", "llr.output=\"" + output + "\""));
        if (resume) {
            a.add("--resume");
        }
        return a;
    }
}

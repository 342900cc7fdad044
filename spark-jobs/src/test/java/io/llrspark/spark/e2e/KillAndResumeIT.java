package io.llrspark.spark.e2e;

import io.llrspark.model.TestNetworks;
import io.llrspark.model.checkpoint.CheckpointStore;
import io.llrspark.model.storage.LocalStorage;
import io.llrspark.model.data.LabeledImages;
import io.llrspark.model.data.IdxFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

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
 * {@code --resume}, ends with the parameters of an uninterrupted run, bit for bit: same seed, same data order, same
 * random starts, and the same code path (launcher, Vector API kernels, JVM flags, threads) for all three runs.
 */
class KillAndResumeIT {

    @Test
    void killedRunResumedEqualsUninterruptedRun(@TempDir Path dir) throws Exception {
        LabeledImages data = TestNetworks.bands(96);
        List<String> settings = new ArrayList<>(IdxFiles.writeIdx(data, dir.resolve("data")));
        settings.addAll(List.of("llr.training.objective=llr", "llr.training.llr.steps=1",
                "llr.training.llr.warmup-steps=3", "llr.training.batch-size=16", "llr.training.epochs=4",
                "llr.training.checkpoint-every=1", "llr.training.log-every=1",
                "llr.spark.workers=2", "llr.spark.averaging-frequency=1"));
        Path killed = dir.resolve("killed");
        Path whole = dir.resolve("whole");

        try (SparkProcesses spark = new SparkProcesses(dir)) {
            Process first = spark.start("first", submit(spark, settings, killed, false));
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

            Process resumed = spark.start("resumed", submit(spark, settings, killed, true));
            assertTrue(resumed.waitFor(5, TimeUnit.MINUTES), "resumed run did not finish");
            assertEquals(0, resumed.exitValue(), spark.log("resumed"));
            assertTrue(spark.log("resumed").contains("Resuming from"), spark.log("resumed"));

            // The run it is held against goes through the same launcher, kernels, JVM flags and threads.
            Process uninterrupted = spark.start("whole", submit(spark, settings, whole, false));
            assertTrue(uninterrupted.waitFor(5, TimeUnit.MINUTES), "uninterrupted run did not finish");
            assertEquals(0, uninterrupted.exitValue(), spark.log("whole"));
            for (String run : List.of("first", "resumed", "whole")) {
                assertTrue(spark.log(run).contains("Using incubator modules: jdk.incubator.vector"),
                        run + " took the Vector API kernels:\n" + spark.log(run));
            }
        }

        CheckpointStore store = new CheckpointStore(new LocalStorage(), killed.toString());
        CheckpointStore.Loaded end = store.load(store.latest().orElseThrow());
        CheckpointStore wholeStore = new CheckpointStore(new LocalStorage(), whole.toString());
        CheckpointStore.Loaded reference = wholeStore.load(wholeStore.latest().orElseThrow());
        assertEquals(4, end.position().epoch());
        assertEquals(reference.position(), end.position());
        INDArray a = reference.network().model().params();
        INDArray b = end.network().model().params();
        double diff = a.sub(b).amaxNumber().doubleValue();
        assertEquals(0.0, diff, "resumed run differs from the uninterrupted one by " + diff);
        assertTrue(Files.readString(killed.resolve("metrics.jsonl")).lines().count() >= 12,
                "metrics keep every logged window across the kill");
    }

    private static List<String> submit(SparkProcesses spark, List<String> settings, Path output, boolean resume) {
        List<String> a = new ArrayList<>(List.of("train", "--config", Path.of("..", "conf", "local.conf").toString()));
        for (String s : settings) {
            a.addAll(List.of("--set", s));
        }
        a.addAll(List.of("--set", "llr.output=\"" + output + "\""));
        if (resume) {
            a.add("--resume");
        }
        return spark.submit("local[2]", SparkProcesses.Kernels.VECTOR, List.of(), a);
    }
}

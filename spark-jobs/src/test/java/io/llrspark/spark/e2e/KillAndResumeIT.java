package io.llrspark.spark.e2e;

import io.llrspark.model.TestNetworks;
import io.llrspark.model.checkpoint.CheckpointStore;
import io.llrspark.model.data.LabeledImages;
import io.llrspark.model.data.IdxFiles;
import io.llrspark.spark.storage.HadoopStorage;
import io.llrspark.spark.storage.S3Server;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A spark-submit'ed {@code train} whose driver is killed (SIGKILL) once its first checkpoint is committed, then run
 * again with {@code --resume}, resumes from the newest checkpoint committed at the kill (so redoes at most one
 * checkpoint interval) and ends with the parameters of an uninterrupted run, bit for bit: same seed, same data order,
 * same random starts, and the same code path (launcher, Vector API kernels, JVM flags, threads) for all three runs.
 * With the output on a local file system and on an S3 server.
 */
class KillAndResumeIT {

    @Test
    void killedRunResumedEqualsUninterruptedRun(@TempDir Path dir) throws Exception {
        killAndResume(dir, dir.resolve("killed").toString(), dir.resolve("whole").toString(), Map.of(),
                new Configuration());
    }

    @Test
    void killedRunWithItsOutputOnS3ResumesAndEqualsUninterruptedRun(@TempDir Path dir) throws Exception {
        try (S3Server s3 = new S3Server("runs")) {
            killAndResume(dir, "s3a://runs/killed", "s3a://runs/whole", s3.settings(), s3.hadoopConf());
        }
    }

    private static void killAndResume(Path dir, String killed, String whole, Map<String, String> hadoop,
                                      Configuration conf) throws Exception {
        LabeledImages data = TestNetworks.bands(96);
        List<String> settings = new ArrayList<>(IdxFiles.writeIdx(data, dir.resolve("data")));
        settings.addAll(List.of("llr.training.objective=llr", "llr.training.llr.steps=1",
                "llr.training.llr.warmup-steps=3", "llr.training.batch-size=16", "llr.training.epochs=4",
                "llr.training.checkpoint-every=1", "llr.training.log-every=1",
                "llr.spark.workers=2", "llr.spark.averaging-frequency=1"));
        List<String> sparkConf = new ArrayList<>();
        hadoop.forEach((key, value) -> sparkConf.add("spark.hadoop." + key + "=" + value));
        HadoopStorage storage = new HadoopStorage(conf);
        CheckpointStore store = new CheckpointStore(storage, killed);

        try (SparkProcesses spark = new SparkProcesses(dir)) {
            Process first = spark.start("first", submit(spark, settings, sparkConf, killed, false));
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (store.committed().isEmpty() && first.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(first.isAlive(), "the run must still be going when killed:\n" + spark.log("first"));
            first.destroyForcibly().waitFor();
            String newestAtKill = store.latest().orElseThrow(() -> new AssertionError(
                    "killed before its first checkpoint:\n" + spark.log("first")));
            assertFalse(newestAtKill.contains("ckpt-e0004"), "the run had already finished");

            Process resumed = spark.start("resumed", submit(spark, settings, sparkConf, killed, true));
            assertTrue(resumed.waitFor(5, TimeUnit.MINUTES), "resumed run did not finish");
            assertEquals(0, resumed.exitValue(), spark.log("resumed"));
            assertTrue(spark.log("resumed").contains("Resuming from " + newestAtKill + " "),
                    "resumes from the newest checkpoint committed at the kill, " + newestAtKill + ":\n"
                            + spark.log("resumed"));

            // The run it is held against goes through the same launcher, kernels, JVM flags and threads.
            Process uninterrupted = spark.start("whole", submit(spark, settings, sparkConf, whole, false));
            assertTrue(uninterrupted.waitFor(5, TimeUnit.MINUTES), "uninterrupted run did not finish");
            assertEquals(0, uninterrupted.exitValue(), spark.log("whole"));
            for (String run : List.of("first", "resumed", "whole")) {
                assertTrue(spark.log(run).contains("Using incubator modules: jdk.incubator.vector"),
                        run + " took the Vector API kernels:\n" + spark.log(run));
            }
        }

        CheckpointStore.Loaded end = store.load(store.latest().orElseThrow());
        CheckpointStore wholeStore = new CheckpointStore(storage, whole);
        CheckpointStore.Loaded reference = wholeStore.load(wholeStore.latest().orElseThrow());
        assertEquals(4, end.position().epoch());
        assertEquals(reference.position(), end.position());
        INDArray a = reference.network().model().params();
        INDArray b = end.network().model().params();
        double diff = a.sub(b).amaxNumber().doubleValue();
        assertEquals(0.0, diff, "resumed run differs from the uninterrupted one by " + diff);
        String metrics;
        try (InputStream in = storage.open(storage.resolve(killed, "metrics.jsonl"))) {
            metrics = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(metrics.lines().count() >= 12, "metrics keep every logged window across the kill");
    }

    private static List<String> submit(SparkProcesses spark, List<String> settings, List<String> sparkConf,
                                       String output, boolean resume) {
        List<String> a = new ArrayList<>(List.of("train", "--config", Path.of("..", "conf", "local.conf").toString()));
        for (String s : settings) {
            a.addAll(List.of("--set", s));
        }
        a.addAll(List.of("--set", "llr.output=\"" + output + "\""));
        if (resume) {
            a.add("--resume");
        }
        return spark.submit("local[2]", SparkProcesses.Kernels.VECTOR, sparkConf, a);
    }
}

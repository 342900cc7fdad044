package io.llrspark.spark.e2e;

import io.llrspark.model.checkpoint.CheckpointStore;
import io.llrspark.model.storage.Storage;
import io.llrspark.spark.storage.HadoopStorage;
import io.llrspark.spark.storage.S3Server;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A process writing checkpoints ({@link CheckpointWriter}) is SIGKILLed at 20 random points, on a local file system
 * and on an S3 server, each time going on where the previous one stopped. After every kill the newest committed
 * checkpoint is the last one the writer reported committed (or the one after, whose marker landed before the
 * report), it loads, and every committed checkpoint holds one write's parameters: a torn one is never loaded.
 */
class TornCheckpointIT {
    private static final int KILLS = 20;

    @Test
    void killedCheckpointWritesOnALocalFileSystem(@TempDir Path dir) throws Exception {
        killRepeatedly(dir, dir.resolve("run").toString(), Map.of(), new Configuration());
    }

    @Test
    void killedCheckpointWritesOnS3(@TempDir Path dir) throws Exception {
        try (S3Server s3 = new S3Server("runs")) {
            killRepeatedly(dir, "s3a://runs/torn", s3.settings(), s3.hadoopConf());
        }
    }

    private static void killRepeatedly(Path dir, String run, Map<String, String> hadoop, Configuration conf)
            throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String context = "seed " + seed + ", run " + run;
        CheckpointStore store = new CheckpointStore(new HadoopStorage(conf), run);
        int midWrite = 0;
        try (SparkProcesses processes = new SparkProcesses(dir)) {
            for (int k = 0; k < KILLS; k++) {
                String name = "writer-" + k;
                List<String> cmd = new ArrayList<>(List.of(SparkProcesses.java(), "-Xmx512m"));
                cmd.addAll(List.of(SparkProcesses.OFFHEAP.split(" ")));
                cmd.addAll(List.of(SparkProcesses.JVM_OPENS.split(" ")));
                cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), CheckpointWriter.class.getName(), run));
                hadoop.forEach((key, value) -> cmd.add(key + "=" + value));
                processes.start(name, cmd);
                awaitFirstCommit(processes, name, context);
                // A write takes tens of milliseconds and the writer does nothing else: most kills land inside one.
                Thread.sleep(random.nextInt(400));
                processes.kill(name);

                List<String> lines = processes.log(name).lines().toList();
                long reported = lines.stream().filter(l -> l.startsWith("committed ")).mapToLong(
                        l -> Long.parseLong(l.substring("committed ".length()))).max().orElseThrow();
                String last = lines.get(lines.size() - 1);
                if (last.startsWith("writing ")) {
                    midWrite++;
                }
                ByteArrayOutputStream warnings = new ByteArrayOutputStream();
                CheckpointStore.Loaded newest = store.newestLoadable(new PrintStream(warnings, true,
                        StandardCharsets.UTF_8)).orElseThrow();
                long found = CheckpointWriter.iterationOf(newest.path());
                String at = context + ", kill " + k + " after '" + last + "'";
                assertEquals("", warnings.toString(StandardCharsets.UTF_8), "nothing committed is torn: " + at);
                assertTrue(found == reported || found == reported + 1, "newest " + found + ", last reported "
                        + reported + ": " + at);
                assertHoldsOneWrite(newest, found, at);
            }
        }
        List<String> committed = store.committed();
        for (String checkpoint : committed) {
            assertHoldsOneWrite(store.load(checkpoint), CheckpointWriter.iterationOf(checkpoint), context);
        }
        System.out.printf("%s: %d kills, %d inside a write, %d committed checkpoints%n", context, KILLS, midWrite,
                committed.size());
        assertTrue(midWrite >= KILLS / 2, midWrite + " of " + KILLS + " kills landed inside a write (" + context + ")");
        if (!run.startsWith("s3a:")) {
            assertFalse(leftovers(new HadoopStorage(conf), run).isEmpty(), "a killed write leaves temporary files "
                    + "(which the run that resumes removes): else these kills tested nothing");
        }
    }

    private static void assertHoldsOneWrite(CheckpointStore.Loaded loaded, long iteration, String at) {
        INDArray params = loaded.network().model().params();
        assertEquals(iteration, params.minNumber().doubleValue(), 0.0, loaded.path() + ": " + at);
        assertEquals(iteration, params.maxNumber().doubleValue(), 0.0, loaded.path() + ": " + at);
    }

    private static List<String> leftovers(Storage storage, String run) throws Exception {
        List<String> found = new ArrayList<>();
        String checkpoints = storage.resolve(run, "checkpoints");
        for (Storage.Entry dir : storage.entries(checkpoints)) {
            for (Storage.Entry e : storage.everyEntry(storage.resolve(checkpoints, dir.name()))) {
                if (Storage.inProgress(e.name())) {
                    found.add(dir.name() + "/" + e.name());
                }
            }
        }
        return found;
    }

    private static void awaitFirstCommit(SparkProcesses processes, String name, String context)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (processes.log(name).contains("committed ")) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the writer never committed a checkpoint (" + context + "):\n"
                + processes.log(name));
    }
}

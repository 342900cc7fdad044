package io.llrspark.spark.e2e;

import io.llrspark.model.data.IdxFiles;
import io.llrspark.spark.KryoSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Executors given too little memory run out of it for real on a standalone cluster, and the job ends with one line
 * naming the setting to raise, exit status 2, instead of Spark's trace: too little Java heap for the data (an executor
 * of 480 MB holding a 470 MB training set), and a JavaCPP physical-memory limit below what the executor uses.
 */
class ExecutorMemoryIT {

    @Test
    void anExecutorOutOfHeapIsOneLineNamingTheSetting(@TempDir Path dir) throws Exception {
        // 600 000 blank 28x28 images: 470 MB to hold, a few hundred KB gzipped.
        int count = 600_000;
        Path images = dir.resolve("images.idx.gz");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new GZIPOutputStream(
                Files.newOutputStream(images), 1 << 16)))) {
            out.writeInt(0x00000803);
            out.writeInt(count);
            out.writeInt(28);
            out.writeInt(28);
            byte[] image = new byte[784];
            for (int i = 0; i < count; i++) {
                out.write(image);
            }
        }
        Path labels = dir.resolve("labels.idx.gz");
        try (OutputStream out = Files.newOutputStream(labels)) {
            out.write(IdxFiles.gzip(IdxFiles.labels(0x00000801, count, count, 10)));
        }

        try (SparkProcesses spark = new SparkProcesses(dir)) {
            String master = spark.standaloneCluster(1, "1g");
            String heap = failedRun(spark, master, "heap", List.of("spark.executor.memory=480m"), List.of(
                    "--set", "llr.data.train-images=\"" + images + "\"",
                    "--set", "llr.data.train-labels=\"" + labels + "\""));
            assertTrue(heap.startsWith("config error: an executor ran out of Java heap: raise the launchers' "
                    + "--executor-memory (LLR_EXECUTOR_MEMORY; spark.executor.memory, now 480m;"), heap);

            List<String> small = IdxFiles.writeIdx(io.llrspark.model.TestNetworks.bands(64), dir.resolve("small"));
            List<String> settings = new ArrayList<>();
            small.forEach(s -> settings.addAll(List.of("--set", s)));
            String offHeap = failedRun(spark, master, "offheap", List.of("spark.executor.memory=1g",
                    "spark.executor.extraJavaOptions=-Dorg.bytedeco.javacpp.maxphysicalbytes=200M "
                            + SparkProcesses.Kernels.VECTOR.flag), settings);
            assertTrue(offHeap.startsWith("config error: an executor could not allocate the arrays its task carries: "
                    + "JavaCPP's physical-memory limit"), offHeap);
            assertTrue(offHeap.contains("raise --executor-offheap (LLR_EXECUTOR_OFFHEAP)"), offHeap);
        }
    }

    /** The one line of a run that must fail for lack of memory, after checking it failed that way. */
    private static String failedRun(SparkProcesses spark, String master, String name, List<String> memory,
                                    List<String> data) throws Exception {
        List<String> conf = new ArrayList<>(memory);
        conf.addAll(List.of("spark.executor.cores=1", "spark.task.maxFailures=2"));
        conf.addAll(KryoSettings.submitConf());
        List<String> args = new ArrayList<>(List.of("train", "--config", Path.of("..", "conf", "local.conf").toString()));
        args.addAll(data);
        args.addAll(List.of("--set", "llr.training.epochs=1", "--set", "llr.spark.workers=1",
                "--set", "llr.output=\"" + spark.work().resolve(name + "-run") + "\""));
        Process run = spark.start(name, spark.submit(master, SparkProcesses.Kernels.VECTOR, conf, args));
        assertTrue(run.waitFor(5, TimeUnit.MINUTES), "the job did not end:\n" + spark.log(name));
        String log = spark.log(name) + "\nexecutors:\n" + spark.executorLogs();
        assertEquals(2, run.exitValue(), log);
        List<String> ours = log.lines().filter(l -> l.startsWith("config error: ")).toList();
        assertEquals(1, ours.size(), log);
        assertTrue(log.lines().noneMatch(l -> l.startsWith("Exception in thread \"main\"")), log);
        System.out.println("ExecutorMemoryIT, " + name + ": " + ours.get(0));
        return ours.get(0);
    }
}

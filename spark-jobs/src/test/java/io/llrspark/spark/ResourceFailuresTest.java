package io.llrspark.spark;

import io.llrspark.model.TestNetworks;
import io.llrspark.model.data.IdxFiles;
import io.llrspark.model.settings.ConfigError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Memory settings too small for the job end in one line naming the setting to raise. Spark's own refusal is produced
 * for real here; the cluster managers' container kills (YARN, Kubernetes) cannot be, so their messages, as Spark 3.5
 * words them, are matched as text.
 */
class ResourceFailuresTest {
    @TempDir
    Path dir;

    @AfterEach
    void clearSparkProperties() {
        for (String key : List.of("spark.master", "spark.testing.memory", "spark.ui.enabled", "spark.driver.host")) {
            System.clearProperty(key);
        }
    }

    /** Spark refuses a driver with less than 450 MB of heap: the message names the setting, exit status 2. */
    @Test
    void sparkRefusingItsMemoryIsOneLineAndStatusTwo() throws IOException {
        System.setProperty("spark.master", "local[1]");
        System.setProperty("spark.ui.enabled", "false");
        System.setProperty("spark.driver.host", "127.0.0.1");
        // What Spark takes for the JVM's heap: 200 MB.
        System.setProperty("spark.testing.memory", String.valueOf(200L << 20));
        List<String> args = new ArrayList<>(List.of("train", "--config", "../conf/local.conf"));
        for (String s : IdxFiles.writeIdx(TestNetworks.bands(16), dir.resolve("data"))) {
            args.addAll(List.of("--set", s));
        }
        args.addAll(List.of("--set", "llr.output=\"" + dir.resolve("out") + "\""));
        MainAccess.Outcome o = MainAccess.run(args);
        assertEquals(2, o.status(), o.err());
        assertTrue(o.err().strip().startsWith("config error: Spark refuses to start with so little memory: raise "
                + "LLR_DRIVER_MEMORY"), o.err());
        assertTrue(o.err().contains("[INVALID_DRIVER_MEMORY] System memory 209715200 must be at least"), o.err());
    }

    @Test
    void containerKillsNameTheOffHeapSetting() {
        for (String spark : List.of("Job aborted due to stage failure: Task 3 in stage 2.0 failed 4 times, most "
                        + "recent failure: Lost task 3.3 (executor 7): ExecutorLostFailure (executor 7 exited caused "
                        + "by one of the running tasks) Reason: Container killed by YARN for exceeding physical memory "
                        + "limits. 5.5 GB of 5.5 GB physical memory used. Consider boosting "
                        + "spark.executor.memoryOverhead.",
                "Job aborted due to stage failure: ... ExecutorLostFailure (executor 3 exited caused by one of the "
                        + "running tasks) Reason: The executor with id 3 exited with exit code 137(SIGKILL, possible "
                        + "container OOM).")) {
            ConfigError e = ResourceFailures.explain(new IllegalStateException("wrapped", new Exception(spark)));
            assertNotNull(e, spark);
            assertTrue(e.getMessage().startsWith("an executor used more memory than its container allows: ND4J "
                    + "keeps its arrays off the Java heap, so raise the launchers' --executor-offheap"), e.getMessage());
        }
        assertNull(ResourceFailures.explain(new Exception("Job aborted: Task 1 failed: java.io.IOException: "
                + "connection reset")), "other failures keep their own message");
    }
}

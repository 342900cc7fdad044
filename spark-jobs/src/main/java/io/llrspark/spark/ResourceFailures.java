package io.llrspark.spark;

import io.llrspark.model.settings.ConfigError;
import org.apache.spark.SparkConf;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Job failures that mean a memory setting is too small, said as one line naming the setting to raise (exit 2 through
 * {@link ConfigError}) instead of Spark's trace. Spark reports them only as text (a lost executor's exit code, the
 * cluster manager's reason, the task's error), so that is what is matched. Of JavaCPP's limits only
 * {@code maxphysicalbytes} (the whole process's resident memory) stops ND4J: its CPU arrays are not counted against
 * {@code maxbytes} (a 200 MB array allocates with maxbytes at 10 MB). An executor over {@code maxphysicalbytes} fails
 * to deserialize its task ("unread block data"), ND4J having swallowed JavaCPP's error.
 */
final class ResourceFailures {

    private record Kind(Pattern evidence, String advice) {
    }

    private static final List<Kind> KINDS = List.of(
            new Kind(Pattern.compile("\\[INVALID_(DRIVER|EXECUTOR)_MEMORY\\][^\\n]*"),
                    "Spark refuses to start with so little memory: raise LLR_DRIVER_MEMORY (local mode) or the "
                            + "launchers' --driver-memory / --executor-memory (spark.executor.memory, now %1$s)"),
            new Kind(Pattern.compile("Cannot allocate new \\w*Pointer[^\\n]*|Physical memory usage is too high[^\\n]*"),
                    "ND4J could not allocate memory off the Java heap: raise the launchers' --executor-offheap "
                            + "(LLR_EXECUTOR_OFFHEAP), which sets org.bytedeco.javacpp.maxbytes and "
                            + "spark.executor.memoryOverhead (now %2$s) together"),
            // ND4J's deserialization swallows the allocation's error, so a task that carries arrays fails this way.
            new Kind(Pattern.compile("unread block data"),
                    "an executor could not allocate the arrays its task carries: JavaCPP's physical-memory limit "
                            + "(org.bytedeco.javacpp.maxphysicalbytes, which the launchers set to the heap plus "
                            + "--executor-offheap) is below what the executor uses: raise --executor-offheap "
                            + "(LLR_EXECUTOR_OFFHEAP)"),
            new Kind(Pattern.compile("(?i)exceeding (physical |virtual )?memory limits[^\\n]*|OOMKilled|possible "
                    + "container OOM"),
                    "an executor used more memory than its container allows: ND4J keeps its arrays off the Java "
                            + "heap, so raise the launchers' --executor-offheap (LLR_EXECUTOR_OFFHEAP; "
                            + "spark.executor.memoryOverhead, now %2$s), or lower llr.training.batch-size / "
                            + "llr.evaluation.batch-size"),
            new Kind(Pattern.compile("java\\.lang\\.OutOfMemoryError[^\\n]*|exited with code 52|exit code 52"),
                    "an executor ran out of Java heap: raise the launchers' --executor-memory (LLR_EXECUTOR_MEMORY; "
                            + "spark.executor.memory, now %1$s; in local mode the driver's heap, LLR_DRIVER_MEMORY), "
                            + "or lower llr.training.batch-size / llr.evaluation.batch-size"));

    private ResourceFailures() {
    }

    /** The error to report instead of {@code failure}, or null if it is not a memory setting's doing. */
    static ConfigError explain(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String text = String.valueOf(t.getMessage());
            for (Kind kind : KINDS) {
                Matcher m = kind.evidence().matcher(t instanceof OutOfMemoryError ? t + "\n" + text : text);
                if (m.find()) {
                    SparkConf conf = new SparkConf();
                    String advice = String.format(kind.advice(), conf.get("spark.executor.memory", "1g"),
                            conf.get("spark.executor.memoryOverhead", "10% of spark.executor.memory, at least 384m"));
                    return new ConfigError(advice + " (Spark: " + m.group().strip() + ")", failure);
                }
            }
        }
        return null;
    }
}

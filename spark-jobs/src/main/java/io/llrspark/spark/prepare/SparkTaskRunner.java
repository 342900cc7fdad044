package io.llrspark.spark.prepare;

import io.llrspark.model.tasks.TaskFunction;
import io.llrspark.model.tasks.TaskProgress;
import io.llrspark.model.tasks.TaskRunner;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

import java.io.PrintStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Runs every task as a Spark task of its own (one partition each, so a slow shard holds up nobody else) and collects
 * the results in input order. Progress lines come from task completions on the driver.
 */
public final class SparkTaskRunner implements TaskRunner {
    public static final String JOB_GROUP = "llr-prepare-data";
    private final JavaSparkContext sc;
    private final PrintStream log;

    public SparkTaskRunner(JavaSparkContext sc, PrintStream log) {
        this.sc = sc;
        this.log = log;
    }

    @Override
    public <T extends Serializable, R extends Serializable> List<R> run(String description, List<T> inputs,
                                                                        ToLongFunction<T> files,
                                                                        TaskFunction<T, R> function) {
        if (inputs.isEmpty()) {
            return new ArrayList<>();
        }
        List<byte[]> payloads = inputs.stream().map(JavaSerialized::bytes).toList();
        TaskProgress progress = new TaskProgress(log, description, inputs, files);
        SparkListener listener = new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.taskInfo().successful()) {
                    // One stage, one partition per input: the task's index is the input's.
                    progress.completed(end.taskInfo().index());
                }
            }
        };
        sc.sc().addSparkListener(listener);
        try {
            sc.setJobGroup(JOB_GROUP, description, false);
            List<byte[]> results = sc.parallelize(payloads, payloads.size()).map(new RunTask<>(function)).collect();
            List<R> out = new ArrayList<>(results.size());
            for (byte[] r : results) {
                out.add(JavaSerialized.read(r));
            }
            return out;
        } finally {
            sc.clearJobGroup();
            sc.sc().removeSparkListener(listener);
        }
    }
}

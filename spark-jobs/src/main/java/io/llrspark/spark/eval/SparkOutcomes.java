package io.llrspark.spark.eval;

import io.llrspark.model.checkpoint.CheckpointStore;
import io.llrspark.model.storage.Storage;
import io.llrspark.model.config.RunConfig;
import io.llrspark.model.data.ExampleSource;
import io.llrspark.model.data.sources.ExampleSources;
import io.llrspark.model.eval.Evaluator;
import io.llrspark.model.eval.ExampleOutcome;
import io.llrspark.model.eval.OutcomeSource;
import io.llrspark.model.eval.StageSeconds;
import io.llrspark.model.progress.Progress;
import io.llrspark.spark.data.HadoopSettings;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.DoubleAccumulator;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Attacks a checkpoint's test batches on the executors: the checkpoint is broadcast, the batches (the unit the
 * single-process evaluation uses, with the same seeds) are spread over partitions, and the per-example outcomes come
 * back to the driver. Whatever the partitioning, every batch is evaluated exactly as in one process.
 */
public final class SparkOutcomes implements OutcomeSource {
    private final JavaSparkContext sc;
    private final RunConfig config;
    private final Storage storage;
    private final int partitions;
    private final PrintStream log;

    /** @param partitions tasks to spread the batches over (0: one task per batch, which balances load best) */
    public SparkOutcomes(JavaSparkContext sc, RunConfig config, Storage storage, int partitions, PrintStream log) {
        this.sc = sc;
        this.config = config;
        this.storage = storage;
        this.partitions = partitions;
        this.log = log;
    }

    @Override
    public List<ExampleOutcome> outcomes(Evaluator evaluator, CheckpointStore.Loaded checkpoint) throws IOException {
        ExampleSource test = ExampleSources.test(config.data(), config.seed());
        int batches = evaluator.protocol().batches(test.shape(storage).size());
        int tasks = partitions > 0 ? Math.min(partitions, batches) : batches;
        Broadcast<CheckpointStore.Blob> blob = sc.broadcast(checkpoint.blob());
        Progress progress = new Progress(log, "evaluate", tasks);
        AtomicInteger done = new AtomicInteger();
        Map<String, DoubleAccumulator> stageSeconds = new LinkedHashMap<>();
        for (String stage : StageSeconds.stages(config.evaluation())) {
            stageSeconds.put(stage, sc.sc().doubleAccumulator("evaluate: seconds in " + stage));
        }
        SparkListener listener = new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.taskInfo().successful()) {
                    Map<String, Double> seconds = new LinkedHashMap<>();
                    stageSeconds.forEach((stage, acc) -> seconds.put(stage, acc.value()));
                    progress.report(done.incrementAndGet(), (tasks == batches ? "batches attacked"
                            : "partitions of " + batches + " batches attacked") + "; executor-seconds by stage: "
                            + StageSeconds.describe(seconds));
                }
            }
        };
        sc.sc().addSparkListener(listener);
        try {
            sc.setJobGroup("llr-evaluate", "evaluate " + checkpoint.path() + ": " + batches + " batches of "
                    + config.evaluation().batchSize() + " in " + tasks + " tasks", false);
            List<Integer> ids = IntStream.range(0, batches).boxed().toList();
            return new ArrayList<>(sc.parallelize(ids, tasks)
                    .mapPartitions(new AttackBatches(blob, config.evaluation(), config.seed(), test,
                            HadoopSettings.of(sc.hadoopConfiguration()), config.network().arrayType(), stageSeconds))
                    .collect());
        } finally {
            sc.sc().removeSparkListener(listener);
            blob.destroy();
        }
    }
}

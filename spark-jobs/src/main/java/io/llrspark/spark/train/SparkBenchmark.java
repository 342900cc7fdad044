package io.llrspark.spark.train;

import io.llrspark.model.perf.Machine;
import io.llrspark.model.net.arch.NetworkFactory;
import io.llrspark.model.storage.Storage;
import io.llrspark.model.config.RunConfig;
import io.llrspark.model.data.DatasetShape;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.train.DiagnosticsAverage;
import io.llrspark.model.data.MinibatchOrder;
import io.llrspark.model.data.ExampleSource;
import io.llrspark.model.data.sources.ExampleSources;
import io.llrspark.model.objective.ObjectiveHook;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Times rounds of the configured objective on Spark (after warm-up rounds) and prints images/s, ms per optimizer step
 * and where a round's time goes: inside the workers' training steps, or around them (broadcast, scheduling, decoding,
 * serialization, averaging). A benchmark, not a test; compare with {@code submit/llr bench} at the same minibatch.
 */
public final class SparkBenchmark {
    private SparkBenchmark() {
    }

    public static void run(JavaSparkContext sc, RunConfig config, SparkSettings settings, Storage storage, int warmup,
                           int rounds, PrintStream out) throws IOException {
        ExampleSource source = ExampleSources.training(config.data(), config.seed());
        DatasetShape shape = source.shape(storage);
        ParameterAveragingSteps steps = new ParameterAveragingSteps(sc, settings, config, source);
        Classifier net = NetworkFactory.build(config.networkSpec(shape));
        ObjectiveHook.bind(net, config.training().objective(), config.seed());
        int batch = config.training().batchSize();
        int[] order = MinibatchOrder.permutation(shape.size(), config.seed(), 0);
        int perRound = steps.batchesPerRound();
        if ((long) (warmup + rounds) * perRound * batch > shape.size()) {
            throw new IllegalArgumentException("bench: " + (warmup + rounds) + " rounds of " + perRound
                    + " minibatches need more than the " + shape.size() + " training examples");
        }
        // The driver's machine: in local mode the workers' too; on a cluster, see each executor's.
        out.println(Machine.describe());
        out.printf("%s on Spark (%s): %d workers, minibatch %d (%d per worker), averaging every %d steps; "
                        + "%d timed rounds after %d warm-up rounds%n", config.training().objectiveName(),
                sc.master(), steps.workers(), batch, batch / steps.workers(), perRound, rounds, warmup);
        double wall = 0;
        double inSteps = 0;
        long examples = 0;
        int optimizerSteps = 0;
        for (int r = 0; r < warmup + rounds; r++) {
            List<int[]> batches = new ArrayList<>();
            for (int b = r * perRound; b < (r + 1) * perRound; b++) {
                batches.add(MinibatchOrder.batch(order, batch, b));
            }
            DiagnosticsAverage d = steps.runRound(net, 0, batches, "bench round " + (r + 1));
            if (r >= warmup) {
                ParameterAveragingSteps.RoundTiming t = steps.lastRound();
                wall += t.wallSeconds();
                inSteps += t.meanWorkerStepSeconds();
                examples += d.examples();
                optimizerSteps += perRound;
            }
        }
        out.printf("images/s            %10.1f%n", examples / wall);
        out.printf("ms per step         %10.1f  (one optimizer step over the whole minibatch)%n",
                wall * 1000 / optimizerSteps);
        out.printf("in workers' steps   %9.1f%%  (mean worker time inside fit)%n", 100 * inSteps / wall);
        out.printf("around the steps    %9.1f%%  (broadcast, scheduling, decoding, serialization, averaging)%n",
                100 * (wall - inSteps) / wall);
    }
}

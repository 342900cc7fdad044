package io.llrspark.spark.train;

import io.llrspark.model.settings.ConfigError;
import io.llrspark.model.config.RunConfig;
import io.llrspark.model.data.ExampleSource;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.dl4j.ClassifierGraph;
import io.llrspark.model.train.DiagnosticsAverage;
import io.llrspark.model.train.StepExecutor;
import io.llrspark.spark.data.HadoopSettings;
import io.llrspark.spark.data.LoadBatches;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.graph.dataset.DataSetToMultiDataSetFn;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Steps taken on Spark executors in rounds of parameter averaging. {@code llr.training.batch-size} is the minibatch
 * of one optimizer step across all workers, as in the local trainer: a round takes F minibatches of the loop's order,
 * worker w trains on the w-th slice (batch-size / W examples) of each, and the driver's network becomes the average
 * of the workers'. With one worker a round is exactly F local steps; with averaging every step it is synchronous
 * training on the same minibatches as the local trainer.
 */
public final class ParameterAveragingSteps implements StepExecutor {
    private final JavaSparkContext sc;
    private final int workers;
    private final int frequency;
    private final LoadBatches loader;
    private final ObjectiveTrainingMaster master;
    private final DiagnosticsAccumulator diagnostics = new DiagnosticsAccumulator();
    private RoundTiming lastRound;
    private Classifier wrappedNet;
    private SparkDl4jMultiLayer multiLayer;
    private SparkComputationGraph graph;

    public ParameterAveragingSteps(JavaSparkContext sc, SparkSettings settings, RunConfig config, ExampleSource source) {
        this.sc = sc;
        this.workers = settings.workers(sc.defaultParallelism());
        this.frequency = settings.averagingFrequency();
        this.loader = new LoadBatches(source, HadoopSettings.of(sc.hadoopConfiguration()), config.network().arrayType());
        int batch = config.training().batchSize();
        if (batch % workers != 0) {
            // DL4J's worker re-batches its input to one fixed size: unequal slices would be merged across steps.
            throw new ConfigError("llr.training.batch-size (" + batch + ") must be a multiple of the number of workers ("
                    + workers + ", llr.spark.workers or Spark's default parallelism)");
        }
        int perWorker = batch / workers;
        ParameterAveragingTrainingMaster.Builder b = new ParameterAveragingTrainingMaster.Builder(workers, perWorker)
                .batchSizePerWorker(perWorker)
                .averagingFrequency(frequency)
                .saveUpdater(settings.averageUpdaterState())
                .workerPrefetchNumBatches(settings.prefetchBatches())
                .aggregationDepth(settings.aggregationDepth())
                .repartionData(Repartition.Never)
                .rngSeed(config.seed());
        this.master = new ObjectiveTrainingMaster(b, config.training().objective(), config.seed());
        sc.sc().register(diagnostics, "llr step diagnostics");
        master.addHook(new DiagnosticsHook(diagnostics));
    }

    public int workers() {
        return workers;
    }

    @Override
    public int batchesPerRound() {
        return frequency;
    }

    @Override
    public DiagnosticsAverage runRound(Classifier net, int epoch, List<int[]> batches, String description) {
        List<List<int[]>> perWorker = slices(batches, workers);
        int longest = perWorker.stream().mapToInt(List::size).max().orElse(0);
        int startIteration = net.iteration();
        sc.setJobGroup("llr-train", description + " on " + perWorker.size() + " workers", false);
        List<LoadBatches.WorkerBatches> work = perWorker.stream().map(b -> new LoadBatches.WorkerBatches(epoch, b)).toList();
        JavaRDD<DataSet> data = sc.parallelize(work, work.size()).flatMap(loader);
        diagnostics.reset();
        long start = System.nanoTime();
        if (net instanceof ClassifierGraph) {
            master.round(graph(net), data.map(new DataSetToMultiDataSetFn()));
        } else {
            master.round(multiLayer(net), data);
        }
        net.iteration(startIteration + longest);
        DiagnosticsAverage round = diagnostics.value().copy();
        lastRound = new RoundTiming((System.nanoTime() - start) / 1e9, round.stepNanos() / 1e9 / perWorker.size(),
                perWorker.size());
        return round;
    }

    /**
     * Where a round's time went: its wall time on the driver, and the mean time a worker spent inside training steps
     * (the rest is broadcast, task scheduling, decoding, result serialization and averaging).
     */
    public record RoundTiming(double wallSeconds, double meanWorkerStepSeconds, int workers) {
    }

    public RoundTiming lastRound() {
        return lastRound;
    }

    /**
     * Worker w's minibatches: the w-th contiguous slice of each minibatch (sizes differ by at most one, which only the
     * last, short minibatch of an epoch can make happen). Workers left without examples are left out.
     */
    static List<List<int[]>> slices(List<int[]> batches, int workers) {
        List<List<int[]>> out = new ArrayList<>(workers);
        for (int w = 0; w < workers; w++) {
            out.add(new ArrayList<>());
        }
        for (int[] batch : batches) {
            int from = 0;
            for (int w = 0; w < workers; w++) {
                int n = batch.length / workers + (w < batch.length % workers ? 1 : 0);
                if (n > 0) {
                    out.get(w).add(Arrays.copyOfRange(batch, from, from + n));
                }
                from += n;
            }
        }
        out.removeIf(List::isEmpty);
        return out;
    }

    private SparkDl4jMultiLayer multiLayer(Classifier net) {
        if (wrappedNet != net) {
            multiLayer = new SparkDl4jMultiLayer(sc, (MultiLayerNetwork) net.model(), master);
            wrappedNet = net;
        }
        return multiLayer;
    }

    private SparkComputationGraph graph(Classifier net) {
        if (wrappedNet != net) {
            graph = new SparkComputationGraph(sc, (ComputationGraph) net.model(), master);
            wrappedNet = net;
        }
        return graph;
    }
}

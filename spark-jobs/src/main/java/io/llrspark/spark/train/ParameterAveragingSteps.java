package io.llrspark.spark.train;

import io.llrspark.model.config.RunConfig;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.ClassifierGraph;
import io.llrspark.model.train.DiagnosticsAverage;
import io.llrspark.model.train.StepExecutor;
import io.llrspark.model.train.TrainingLoop;
import io.llrspark.spark.ObjectiveTrainingMaster;
import io.llrspark.spark.SparkSettings;
import io.llrspark.spark.data.HadoopSettings;
import io.llrspark.spark.data.IdxSource;
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
import java.util.List;

/**
 * Steps taken on Spark executors in rounds of parameter averaging: a round gives each of W workers F consecutive
 * minibatches of the loop's order (worker w the w-th run of F), the workers train with the objective, and the driver's
 * network becomes the average of theirs. With one worker, a round is exactly F local steps.
 */
public final class ParameterAveragingSteps implements StepExecutor {
    private final JavaSparkContext sc;
    private final int workers;
    private final int frequency;
    private final LoadBatches loader;
    private final ObjectiveTrainingMaster master;
    private final DiagnosticsAccumulator diagnostics = new DiagnosticsAccumulator();
    private Classifier wrappedNet;
    private SparkDl4jMultiLayer multiLayer;
    private SparkComputationGraph graph;

    public ParameterAveragingSteps(JavaSparkContext sc, SparkSettings settings, RunConfig config, IdxSource source) {
        this.sc = sc;
        this.workers = settings.workers(sc.defaultParallelism());
        this.frequency = settings.averagingFrequency();
        this.loader = new LoadBatches(source, HadoopSettings.of(sc.hadoopConfiguration()), TrainingLoop.dataType(config));
        int batch = config.training().batchSize();
        ParameterAveragingTrainingMaster.Builder b = new ParameterAveragingTrainingMaster.Builder(workers, batch)
                .batchSizePerWorker(batch)
                .averagingFrequency(frequency)
                .saveUpdater(settings.averageUpdaterState())
                .workerPrefetchNumBatches(settings.prefetchBatches())
                .aggregationDepth(settings.aggregationDepth())
                .repartionData(Repartition.Never)
                .rngSeed(config.seed());
        this.master = new ObjectiveTrainingMaster(b, config.training(), config.seed());
        sc.sc().register(diagnostics, "llr step diagnostics");
        master.addHook(new DiagnosticsHook(diagnostics));
    }

    public int workers() {
        return workers;
    }

    @Override
    public int batchesPerRound() {
        return workers * frequency;
    }

    @Override
    public DiagnosticsAverage runRound(Classifier net, List<int[]> batches, String description) {
        List<List<int[]>> perWorker = split(batches, workers);
        int longest = perWorker.get(0).size();
        int start = net.iteration();
        sc.setJobDescription(description + " on " + perWorker.size() + " workers");
        JavaRDD<DataSet> data = sc.parallelize(perWorker, perWorker.size()).flatMap(loader);
        diagnostics.reset();
        if (net instanceof ClassifierGraph) {
            master.round(graph(net), data.map(new DataSetToMultiDataSetFn()));
        } else {
            master.round(multiLayer(net), data);
        }
        net.iteration(start + longest);
        return diagnostics.value().copy();
    }

    /** Contiguous runs, the first ones one longer when the batches do not divide evenly; no worker gets none. */
    static List<List<int[]>> split(List<int[]> batches, int workers) {
        int parts = Math.min(workers, batches.size());
        List<List<int[]>> out = new ArrayList<>(parts);
        int from = 0;
        for (int w = 0; w < parts; w++) {
            int n = batches.size() / parts + (w < batches.size() % parts ? 1 : 0);
            out.add(new ArrayList<>(batches.subList(from, from + n)));
            from += n;
        }
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

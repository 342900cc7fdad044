package io.llrspark.spark.train;

import io.llrspark.model.objective.TrainingObjective;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.spark.api.WorkerConfiguration;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Parameter averaging whose workers train with our objectives ({@link ObjectiveTrainingWorker}); averaging,
 * updater-state averaging and result aggregation stay DL4J's. {@link #round} runs one averaging round on data the
 * caller has already laid out, one partition per worker, so the caller decides which worker sees which minibatch.
 */
public class ObjectiveTrainingMaster extends ParameterAveragingTrainingMaster {

    private final TrainingObjective objective;
    private final long seed;

    public ObjectiveTrainingMaster(Builder builder, TrainingObjective objective, long seed) {
        super(builder);
        this.objective = objective;
        this.seed = seed;
    }

    /** One round: each partition of {@code data} trains on one worker, then parameters are averaged into the driver's. */
    public void round(SparkDl4jMultiLayer network, JavaRDD<DataSet> data) {
        doIteration(network, data, 1, 1);
    }

    public void round(SparkComputationGraph graph, JavaRDD<MultiDataSet> data) {
        doIteration(graph, data, 1, 1);
    }

    @Override
    public ParameterAveragingTrainingWorker getWorkerInstance(SparkDl4jMultiLayer network) {
        NetBroadcastTuple state = new NetBroadcastTuple(network.getNetwork().getLayerWiseConfigurations(),
                network.getNetwork().params(), network.getNetwork().getUpdater().getStateViewArray());
        return worker(network.getSparkContext().broadcast(state), false);
    }

    @Override
    public ParameterAveragingTrainingWorker getWorkerInstance(SparkComputationGraph graph) {
        NetBroadcastTuple state = new NetBroadcastTuple(graph.getNetwork().getConfiguration(),
                graph.getNetwork().params(), graph.getNetwork().getUpdater().getStateViewArray());
        return worker(graph.getSparkContext().broadcast(state), true);
    }

    private ObjectiveTrainingWorker worker(Broadcast<NetBroadcastTuple> state, boolean graph) {
        WorkerConfiguration conf = new WorkerConfiguration(graph, rddDataSetNumExamples, batchSizePerWorker,
                averagingFrequency, prefetchNumBatches, collectTrainingStats);
        return new ObjectiveTrainingWorker(state, saveUpdater, conf, trainingHookList, listeners, getRouterProvider(),
                objective, seed);
    }
}

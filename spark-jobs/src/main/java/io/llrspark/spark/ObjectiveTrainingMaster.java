package io.llrspark.spark;

import io.llrspark.model.config.RunConfig;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.spark.api.WorkerConfiguration;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;

/**
 * Parameter averaging whose workers train with our objectives ({@link ObjectiveTrainingWorker}); averaging,
 * updater-state averaging, splitting and repartitioning stay DL4J's.
 */
public class ObjectiveTrainingMaster extends ParameterAveragingTrainingMaster {

    private final RunConfig.Training training;
    private final long seed;

    public ObjectiveTrainingMaster(Builder builder, RunConfig.Training training, long seed) {
        super(builder);
        this.training = training;
        this.seed = seed;
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
                training, seed);
    }
}

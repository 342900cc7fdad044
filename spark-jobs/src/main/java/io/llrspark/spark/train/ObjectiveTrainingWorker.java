package io.llrspark.spark.train;

import io.llrspark.model.objective.TrainingObjective;
import io.llrspark.model.net.dl4j.ClassifierGraph;
import io.llrspark.model.net.dl4j.ClassifierNetwork;
import io.llrspark.model.objective.ObjectiveHook;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.core.storage.StatsStorageRouterProvider;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.api.WorkerConfiguration;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;

import java.util.Collection;

/**
 * DL4J's parameter-averaging worker with one change: the network it trains is our {@link ClassifierNetwork} or
 * {@link ClassifierGraph} with the configured objective, so every {@code fit()} on an executor runs standard, ADV,
 * TRADES or LLR exactly as the local trainer does. Worker i (the partition it trains) draws its random starts from
 * its own stream, so workers do not perturb their different minibatches with the same noise; worker 0's stream is
 * the local trainer's.
 */
public class ObjectiveTrainingWorker extends ParameterAveragingTrainingWorker {

    private static final long STREAM_STRIDE = 0x9E3779B97F4A7C15L;

    private final TrainingObjective objective;
    private final long seed;

    public ObjectiveTrainingWorker(Broadcast<NetBroadcastTuple> broadcast, boolean saveUpdater,
                                   WorkerConfiguration configuration, Collection<TrainingHook> hooks,
                                   Collection<TrainingListener> listeners, StatsStorageRouterProvider routerProvider,
                                   TrainingObjective objective, long seed) {
        super(broadcast, saveUpdater, configuration, hooks, listeners, routerProvider);
        this.objective = objective;
        this.seed = seed;
    }

    @Override
    public MultiLayerNetwork getInitialModel() {
        ClassifierNetwork net = ClassifierNetwork.of(super.getInitialModel());
        ObjectiveHook.bind(net, objective, workerSeed());
        return net;
    }

    @Override
    public ComputationGraph getInitialModelGraph() {
        ClassifierGraph net = ClassifierGraph.of(super.getInitialModelGraph());
        ObjectiveHook.bind(net, objective, workerSeed());
        return net;
    }

    private long workerSeed() {
        return seed + STREAM_STRIDE * TaskContext.getPartitionId();
    }
}

package io.llrspark.model.train;

import io.llrspark.model.net.Classifier;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A network's parameters (batch-normalization statistics included) and optimizer state as they were before a round,
 * to put back when the round produced non-finite numbers ({@code llr.training.non-finite = skip}): the round then
 * leaves no trace in the model, as if its minibatches had not been drawn. Costs one copy of each per round.
 */
final class RoundSnapshot {
    private final INDArray params;
    private final INDArray optimizerState;

    private RoundSnapshot(Classifier net) {
        params = net.model().params().dup();
        INDArray state = optimizerState(net.model());
        optimizerState = state == null ? null : state.dup();
    }

    static RoundSnapshot of(Classifier net) {
        return new RoundSnapshot(net);
    }

    void restore(Classifier net) {
        net.model().setParams(params);
        INDArray state = optimizerState(net.model());
        if (state != null && optimizerState != null) {
            state.assign(optimizerState);
        }
    }

    /** Whether every parameter is a finite number: a sum over them is NaN or infinite otherwise. */
    static boolean finite(Classifier net) {
        return Double.isFinite(net.model().params().sumNumber().doubleValue());
    }

    private static INDArray optimizerState(Model model) {
        if (model instanceof MultiLayerNetwork n) {
            return n.getUpdater() == null ? null : n.getUpdater().getStateViewArray();
        }
        if (model instanceof ComputationGraph g) {
            return g.getUpdater() == null ? null : g.getUpdater().getStateViewArray();
        }
        return null;
    }
}
